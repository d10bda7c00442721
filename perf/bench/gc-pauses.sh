#!/usr/bin/env bash
# Young-collection pauses of Ringway under load, with the GC's own log (no JFR), pinned like the peer
# harness: Ringway (perf/bench/target.sh, one event loop) alone on cpu0, an nginx backend and the
# load on cpu1. 10 s of wrk -c50 (warm-up), then 20 s of h2load --h1 -c50 at 18,000 req/s (open loop).
#   perf/bench/gc-pauses.sh [OUT_DIR]                       # the launcher's defaults (+ AlwaysPreTouch)
#   RINGWAY_JAVA_OPTS="-XX:+UseParallelGC -Xms512m -Xmx512m" perf/bench/gc-pauses.sh /tmp/old
# Prints every young pause of the fixed-rate part (total, and the scavenge phase) and the latency
# summary; OUT_DIR keeps gc.log (-Xlog:gc*=debug) and the load output.
set -u
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${1:-$(mktemp -d /tmp/ringway-gc.XXXX)}"; mkdir -p "$OUT"
BPORT="${BPORT:-21990}" RPORT="${RPORT:-21985}"
"$ROOT/ringway" build >&2
D=$(mktemp -d /tmp/ringway-gc-ng.XXXX); chmod 755 "$D"   # nginx workers run as nobody
head -c 100 /dev/zero | tr '\0' 'x' > "$D/small"
cat > "$D/nginx.conf" <<NG
worker_processes 1; daemon off; pid $D/nginx.pid; error_log $D/error.log;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000;
  server { listen 127.0.0.1:$BPORT; location / { root $D; } } }
NG
taskset -c 1 nginx -c "$D/nginx.conf" -p "$D" & NG=$!
sleep 1
OPTS="${RINGWAY_JAVA_OPTS:-$("$ROOT/ringway" jvm-options) -XX:+AlwaysPreTouch}"
BACKEND_HOST=127.0.0.1 BACKEND_PORT=$BPORT RINGWAY_PORT=$RPORT RINGWAY_TCP_PORT=$((RPORT + 1)) RINGWAY_ADMIN=127.0.0.1:$((RPORT + 2)) \
  RINGWAY_JAVA_OPTS="$OPTS -Xlog:gc*=debug:file=$OUT/gc.log" \
  setsid taskset -c 0 "$ROOT/perf/bench/target.sh" > "$OUT/ringway.out" 2>&1 & RW=$!
for _ in $(seq 60); do curl -s -o /dev/null http://127.0.0.1:$RPORT/small && break; sleep 0.5; done
taskset -c 1 wrk -t1 -c50 -d10s http://127.0.0.1:$RPORT/small > "$OUT/warmup.load"
FROM=$(grep -c "Pause Young" "$OUT/gc.log")
taskset -c 1 h2load --h1 -c 50 --rps=360 -D 20 http://127.0.0.1:$RPORT/small > "$OUT/fixed.load"
kill -TERM -- -"$RW" 2>/dev/null; wait "$RW" 2>/dev/null
kill "$NG"; wait "$NG" 2>/dev/null; rm -rf "$D"
echo "JVM options: $OPTS"
grep -E "Pause Young .*ms$" "$OUT/gc.log" | tail -n +$((FROM + 1)) | sed -E 's/.*GC\(([0-9]+)\) Pause Young \([^)]*\) (.*)/GC(\1) \2/' | while read -r gc rest; do
  echo "$gc $rest (scavenge $(grep -E "$(printf '%s' "$gc" | sed 's/[()]/\\&/g') Scavenge [0-9]" "$OUT/gc.log" | sed -E 's/.*Scavenge //'))"
done
grep -E "requests:|time for request" "$OUT/fixed.load"
echo "(logs in $OUT)"
