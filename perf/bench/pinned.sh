# Sourced by perf/bench/profile.sh, tail.sh, first-seconds.sh and aot.sh (after setting ROOT): the
# peer harness's layout for one Ringway. Sourcing it builds Ringway and sets the ports (BPORT, default
# 21990; RPORT, default 21985). start_backend: an nginx backend on cpu1 at 127.0.0.1:$BPORT serving
# 100 B at /small (sets NG, BACKEND_DIR). start_ringway JAVA_OPTS LOG: perf/bench/target.sh alone
# on cpu0 on $RPORT (admin on $RPORT+2) with those JVM options, back once it answers (sets RW).
BPORT="${BPORT:-21990}" RPORT="${RPORT:-21985}"
"$ROOT/ringway" build >&2
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

start_ringway() {
  BACKEND_HOST=127.0.0.1 BACKEND_PORT=$BPORT RINGWAY_PORT=$RPORT RINGWAY_TCP_PORT=$((RPORT + 1)) \
    RINGWAY_ADMIN=127.0.0.1:$((RPORT + 2)) RINGWAY_JAVA_OPTS="$1" \
    setsid taskset -c 0 "$ROOT/perf/bench/target.sh" > "$2" 2>&1 & RW=$!
  for _ in $(seq 60); do curl -s -o /dev/null "http://127.0.0.1:$RPORT/small" && break; sleep 0.5; done
}

stop_ringway() {
  kill -TERM -- -"$RW" 2>/dev/null; wait "$RW" 2>/dev/null
}
