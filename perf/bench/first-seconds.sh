#!/usr/bin/env bash
# The first seconds of a fixed-rate run, pinned like the peer harness (Ringway alone on cpu0, an nginx
# backend and the load generator on cpu1). Every fixed-rate run opens its 50 connections at once;
# this shows what that costs while the connection set-up code is still cold (interpreted: it runs
# 50 times per run) and after a connection-churn warm-up has had the JIT compile it.
#   perf/bench/first-seconds.sh [OUT_DIR]     # RPS per connection (default 360, 18,000 req/s in all);
#                                             # EXTRA_JAVA_OPTS are added to the launcher's JVM options
# Phases: wrk -c50 10 s (the usual warm-up), h2load --h1 at the rate 10 s (the measuring client's
# own requests), three measured runs of 8 s, wrk with Connection: close 15 s (connection churn),
# three more measured runs. Prints each run's p50/p99 for 0-200 ms, 200 ms-2 s and the rest.
# The JIT's log (compilations, deoptimizations: "made not entrant") is kept in OUT_DIR/jit.log.
set -u
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${1:-/tmp/first-seconds}"; mkdir -p "$OUT"; rm -f "$OUT"/run*.log
RPS="${RPS:-360}"
. "$ROOT/perf/bench/pinned.sh"   # builds; BPORT, RPORT
start_backend
start_ringway "$("$ROOT/ringway" jvm-options) -XX:+AlwaysPreTouch ${EXTRA_JAVA_OPTS:-} -Xlog:jit+compilation=debug:file=$OUT/jit.log:uptime" \
  "$OUT/ringway.out"
URL=http://127.0.0.1:$RPORT/small
measured() {
  for i in "$@"; do
    taskset -c 1 h2load --h1 -c 50 --rps="$RPS" -D 8 --log-file="$OUT/run$i.log" "$URL" > "$OUT/run$i.load"
    sleep 1
  done
}
taskset -c 1 wrk -t1 -c50 -d10s "$URL" > "$OUT/warmup.load"
taskset -c 1 h2load --h1 -c 50 --rps="$RPS" -D 10 "$URL" > "$OUT/warmup-h2load.load"
measured 1 2 3
taskset -c 1 wrk -t1 -c50 -d15s -H "Connection: close" "$URL" > "$OUT/churn.load"
sleep 1
measured 4 5 6
stop_ringway
stop_backend
echo "connection churn: $(grep -E 'Requests/sec' "$OUT/churn.load") (one connection per request)"
python3 - "$OUT" <<'EOF'
import glob, os, sys
def st(v):
    v = sorted(v)
    return "%6d %6.2f %6.2f" % (len(v), v[len(v) // 2] / 1e3, v[int(len(v) * .99)] / 1e3) if v else "     -"
print("%-6s %-11s | %-20s | %-20s | %-20s" % ("run", "", "0-200 ms: n p50 p99", "0.2-2 s: n p50 p99", "2 s-: n p50 p99"))
for i in range(1, 7):
    rows = [(int(a), int(c)) for a, b, c in (l.split()[:3] for l in open(f"{sys.argv[1]}/run{i}.log") if l.strip())]
    t0 = min(t for t, _ in rows)
    print("%-6s %-11s | %s | %s | %s" % (f"run{i}", "cold" if i <= 3 else "after churn",
          st(l for t, l in rows if t - t0 < 2e5), st(l for t, l in rows if 2e5 <= t - t0 < 2e6),
          st(l for t, l in rows if t - t0 >= 2e6)))
EOF
