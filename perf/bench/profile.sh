#!/usr/bin/env bash
# JFR profiles of Ringway under load, pinned like the peer harness: Ringway (perf/bench/target.sh,
# one event loop) alone on cpu0, an nginx backend and the load generator on cpu1.
#   perf/bench/profile.sh [OUT_DIR]           # h1 (wrk -c50) and h2c (h2load -c20 -m10), 45 s each
#   MODES=h2c perf/bench/profile.sh /tmp      # one of them
# The recording covers seconds 20-40 of the load (after JIT warm-up). Read it with, e.g.:
#   jfr view thread-cpu-load OUT_DIR/prof-h1.jfr; jfr view allocation-by-site ...; jfr view gc-pauses ...
set -u
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${1:-/tmp}"
BPORT="${BPORT:-21990}" RPORT="${RPORT:-21985}"
"$ROOT/ringway" build >&2
. "$ROOT/perf/bench/backend.sh"
start_backend
for mode in ${MODES:-h1 h2c}; do
  JFR="$OUT/prof-$mode.jfr"
  BACKEND_HOST=127.0.0.1 BACKEND_PORT=$BPORT RINGWAY_PORT=$RPORT RINGWAY_TCP_PORT=$((RPORT + 1)) RINGWAY_ADMIN=127.0.0.1:$((RPORT + 2)) \
    RINGWAY_JAVA_OPTS="$("$ROOT/ringway" jvm-options) -XX:+AlwaysPreTouch -XX:StartFlightRecording=filename=$JFR,settings=profile,jdk.ExecutionSample#period=${SAMPLE_PERIOD:-10ms},delay=20s,duration=20s" \
    setsid taskset -c 0 "$ROOT/perf/bench/target.sh" > "$OUT/prof-$mode.out" 2>&1 & RW=$!
  for _ in $(seq 60); do curl -s -o /dev/null http://127.0.0.1:$RPORT/small && break; sleep 0.5; done
  if [ "$mode" = h1 ]; then
    taskset -c 1 wrk -t1 -c50 -d45s http://127.0.0.1:$RPORT/small > "$OUT/prof-$mode.load"
  else
    taskset -c 1 h2load -c20 -m10 -D45 http://127.0.0.1:$RPORT/small > "$OUT/prof-$mode.load"
  fi
  sleep 2
  kill -TERM -- -"$RW" 2>/dev/null; wait "$RW" 2>/dev/null
  echo "$mode: $JFR ($(grep -E 'Requests/sec|finished in' "$OUT/prof-$mode.load"))"
done
stop_backend
