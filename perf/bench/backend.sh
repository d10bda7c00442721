# Sourced by perf/bench/profile.sh and tail.sh: an nginx backend pinned to cpu1 on 127.0.0.1:$BPORT
# serving 100 B at /small. start_backend sets NG (its pid) and BACKEND_DIR; stop_backend ends it.
start_backend() {
  BACKEND_DIR=$(mktemp -d /tmp/ringway-backend.XXXX); chmod 755 "$BACKEND_DIR"   # nginx workers run as nobody
  head -c 100 /dev/zero | tr '\0' 'x' > "$BACKEND_DIR/small"
  cat > "$BACKEND_DIR/nginx.conf" <<NG
worker_processes 1; daemon off; pid $BACKEND_DIR/nginx.pid; error_log $BACKEND_DIR/error.log;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000;
  server { listen 127.0.0.1:$BPORT; location / { root $BACKEND_DIR; } } }
NG
  taskset -c 1 nginx -c "$BACKEND_DIR/nginx.conf" -p "$BACKEND_DIR" & NG=$!
  sleep 1
}

stop_backend() {
  kill "$NG"; wait "$NG" 2>/dev/null; rm -rf "$BACKEND_DIR"
}
