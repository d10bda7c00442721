#!/usr/bin/env bash
# One command for the side-by-side run: builds Ringway, then runs ../shared/bench/peers.sh with
# Ringway as the third target next to nginx and HAProxy (same backend, same pinning: the proxy alone
# on one core, client and backend on the other). Results: table on stdout, JSON in $OUT_JSON
# (default /tmp/peers.json), markdown via `python3 ../shared/bench/to_md.py $OUT_JSON`.
#   perf/run-peers.sh                        # full run (~8 min)
#   DURATION=3 REPS=1 perf/run-peers.sh      # smoke run
#   perf/run-peers.sh --cores 4              # bigger machine: proxy on cpus 0-3 with 4 workers/threads
#   perf/run-peers.sh --all                  # then the rest of the issue's scenarios, same pinning:
#                                            # p99 at fixed rates (perf/bench/suite.py fixed-rate) and
#                                            # config reload under load (suite.py reload; fails on any error)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="${RINGWAY_BENCH:-$ROOT/../shared/bench}"
[ -f "$BENCH/peers.sh" ] || { echo "run-peers: peer harness not found at $BENCH (set RINGWAY_BENCH)" >&2; exit 2; }
ALL=0
while [ $# -gt 0 ]; do
  case "$1" in
    --cores)
      n="$2"; total="$(nproc)"
      export SUT_CPU="0-$((n-1))" WORKERS="$n" RINGWAY_THREADS="$n" CLIENT_CPU="$n-$((total-1))" THREADS="${THREADS:-$((total-n))}"
      export BACKEND_WORKERS="${BACKEND_WORKERS:-$((total-n))}"
      shift 2 ;;
    --all) ALL=1; shift ;;
    *) break ;;
  esac
done
"$ROOT/ringway" build >&2
export TARGET_NAME=ringway TARGET_PORT="${RINGWAY_PORT:-18085}" TARGET_H2_PORT="${RINGWAY_PORT:-18085}" \
       TARGET_TCP_PORT="${RINGWAY_TCP_PORT:-18086}" TARGET_WARMUP="${TARGET_WARMUP:-15}"
export TARGET_CMD="$ROOT/perf/bench/target.sh"
[ "$ALL" = 1 ] || exec bash "$BENCH/peers.sh" "$@"
bash "$BENCH/peers.sh" "$@"
out="${OUT_JSON:-/tmp/peers.json}"
echo; echo "== p99 at fixed rates (perf/bench/suite.py fixed-rate)"
OUT_JSON="${out%.json}-fixed-rate.json" "$ROOT/perf/bench/suite.py" fixed-rate
echo; echo "== config reload under load (perf/bench/suite.py reload)"
OUT_JSON="${out%.json}-reload.json" "$ROOT/perf/bench/suite.py" reload
