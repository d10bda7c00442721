#!/usr/bin/env bash
# The JDK's ahead-of-time cache (JEP 483/514/515, JDK 25) against warm-up, pinned like the peer
# harness. First a training run: Ringway under -XX:AOTCacheOutput serves wrk, h2load --h1 at a fixed
# rate, connection churn and h2c for 25 s, and writes the cache when it stops. Then
# `suite.py warmup` (start to first answer, the first 10 s of load, steady state) alternately
# without and with -XX:AOTCache, ROUNDS (2) times each.
#   perf/bench/aot.sh [OUT_DIR]
# The cache belongs to this JVM and these jars: a rebuild invalidates it (the JVM then says so and
# runs without it).
set -u
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${1:-/tmp/ringway-aot}"; mkdir -p "$OUT"; rm -f "$OUT/ringway.aot"
. "$ROOT/perf/bench/pinned.sh"   # builds; BPORT, RPORT
start_backend
start_ringway "$("$ROOT/ringway" jvm-options) -XX:AOTCacheOutput=$OUT/ringway.aot" "$OUT/train.out"
URL=http://127.0.0.1:$RPORT/small
taskset -c 1 wrk -t1 -c50 -d10s "$URL" > /dev/null
taskset -c 1 h2load --h1 -c 50 --rps=360 -D 5 "$URL" > /dev/null
taskset -c 1 wrk -t1 -c50 -d5s -H "Connection: close" "$URL" > /dev/null
taskset -c 1 h2load -c20 -m10 -D 5 "$URL" > /dev/null
stop_ringway
stop_backend
[ -s "$OUT/ringway.aot" ] || { echo "no cache written; see $OUT/train.out" >&2; exit 1; }
echo "cache: $(du -h "$OUT/ringway.aot" | cut -f1)"
O="$("$ROOT/ringway" jvm-options) -XX:+AlwaysPreTouch"
for r in $(seq "${ROUNDS:-2}"); do
  for v in none aot; do
    X=""; [ "$v" = aot ] && X="-XX:AOTCache=$OUT/ringway.aot"
    RINGWAY_JAVA_OPTS="$O $X" OUT_JSON="$OUT/warmup-$v-$r.json" "$ROOT/perf/bench/suite.py" warmup > "$OUT/warmup-$v-$r.out" 2>&1
    echo "$v round $r: $(grep 'start to first' "$OUT/warmup-$v-$r.out" | cut -d';' -f1); $(grep -E '^first 10s' "$OUT/warmup-$v-$r.out" | awk '{print "first 10 s " $4 " req/s per core, p99 " $6 " ms"}'); $(grep -E '^steady #1' "$OUT/warmup-$v-$r.out" | awk '{print "steady " $4 " req/s per core"}')"
  done
done
