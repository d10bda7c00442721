#!/usr/bin/env bash
# JFR profiles of Ringway under load, pinned like the peer harness: Ringway (perf/bench/target.sh,
# one event loop) alone on cpu0, an nginx backend and the load generator on cpu1.
#   perf/bench/profile.sh [OUT_DIR]           # h1 (wrk -c50) and h2c (h2load -c20 -m10), 45 s each
#   MODES=h2c perf/bench/profile.sh /tmp      # one of them
# The recording covers seconds 20-40 of the load (after JIT warm-up). Read it with, e.g.:
#   jfr view thread-cpu-load OUT_DIR/prof-h1.jfr; jfr view allocation-by-site ...; jfr view gc-pauses ...
set -u
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${1:-/tmp}"; mkdir -p "$OUT"
. "$ROOT/perf/bench/pinned.sh"   # builds; BPORT, RPORT
start_backend
for mode in ${MODES:-h1 h2c}; do
  JFR="$OUT/prof-$mode.jfr"
  start_ringway "$("$ROOT/ringway" jvm-options) -XX:+AlwaysPreTouch -XX:StartFlightRecording=filename=$JFR,settings=profile,jdk.ExecutionSample#period=${SAMPLE_PERIOD:-10ms},delay=20s,duration=20s" \
    "$OUT/prof-$mode.out"
  # requests served in the recording's window (seconds 20-40 of the load), from Ringway's own counter
  ( for t in 20 20; do sleep $t; echo "$(date +%s.%N) $(curl -s http://127.0.0.1:$((RPORT + 2))/metrics \
      | awk '/^ringway_http_request_duration_seconds_count/ {n += $2} END {print n}')"; done ) > "$OUT/prof-$mode.count" &
  if [ "$mode" = h1 ]; then
    taskset -c 1 wrk -t1 -c50 -d45s http://127.0.0.1:$RPORT/small > "$OUT/prof-$mode.load"
  else
    taskset -c 1 h2load -c20 -m10 -D45 http://127.0.0.1:$RPORT/small > "$OUT/prof-$mode.load"
  fi
  sleep 2
  stop_ringway
  echo "$mode: $JFR ($(grep -E 'Requests/sec|finished in' "$OUT/prof-$mode.load"))"
  # bytes the event loop allocated per request: JFR's per-thread allocation counter over the window
  "${RINGWAY_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/jfr" print --json --events jdk.ThreadAllocationStatistics "$JFR" | python3 -c '
import datetime, json, re, sys
ts = lambda s: datetime.datetime.fromisoformat(re.sub(r"(\.\d{6})\d*", r"\1", s).replace("Z", "+00:00")).timestamp()
ev = sorted((e["values"] for e in json.load(sys.stdin)["recording"]["events"]
             if "ringway-io" in ((e["values"].get("thread") or {}).get("javaName") or "")), key=lambda v: v["startTime"])
(t0, n0), (t1, n1) = [map(float, l.split()) for l in open(sys.argv[1])]
secs = ts(ev[-1]["startTime"]) - ts(ev[0]["startTime"])
per_request = (ev[-1]["allocated"] - ev[0]["allocated"]) / ((n1 - n0) / (t1 - t0) * secs)
print("  event loop: %.2f KiB allocated per request" % (per_request / 1024))
' "$OUT/prof-$mode.count"
done
stop_backend
