#!/usr/bin/env bash
# Where the latency tail at a fixed rate comes from, pinned like the peer harness: Ringway
# (perf/bench/target.sh, one event loop) alone on cpu0, an nginx backend and the load on cpu1.
# 10 s of wrk -c50 (warm-up), then 20 s of h2load --h1 -c50 at 18,000 req/s (open loop).
#   perf/bench/tail.sh [OUT_DIR]                       # the launcher's defaults (+ AlwaysPreTouch)
#   RINGWAY_JAVA_OPTS="-XX:+UseParallelGC -Xms512m -Xmx512m" perf/bench/tail.sh /tmp/old
# Prints: every young pause of the fixed-rate part (total, and its scavenge phase) from the GC's own
# log; the client's p50/p99/p99.9; Ringway's own request-duration histogram for the same requests
# (request head to end of response, the backend's answer included) and the backend's part of it
# (ringway_http_upstream_duration_seconds) as cumulative fractions and means; the event loop's busy
# stretches (ringway_event_loop_busy_seconds: what an arriving request waits behind); the client's
# bursts (from h2load's log) and p99 by a request's place in its burst; new upstream connections.
# OUT_DIR keeps gc.log (-Xlog:gc*=debug) and the load output.
set -u
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${1:-$(mktemp -d /tmp/ringway-gc.XXXX)}"; mkdir -p "$OUT"
. "$ROOT/perf/bench/pinned.sh"   # builds; BPORT, RPORT
start_backend
OPTS="${RINGWAY_JAVA_OPTS:-$("$ROOT/ringway" jvm-options) -XX:+AlwaysPreTouch}"
start_ringway "$OPTS -Xlog:gc*=debug:file=$OUT/gc.log" "$OUT/ringway.out"
taskset -c 1 wrk -t1 -c50 -d10s http://127.0.0.1:$RPORT/small > "$OUT/warmup.load"
FROM=$(grep -c "Pause Young" "$OUT/gc.log")
ADMIN="http://127.0.0.1:$((RPORT + 2))/metrics"
curl -s "$ADMIN" > "$OUT/metrics-before.txt"
rm -f "$OUT/requests.log"
taskset -c 1 h2load --h1 -c 50 --rps=360 -D 20 --log-file="$OUT/requests.log" http://127.0.0.1:$RPORT/small > "$OUT/fixed.load"
curl -s "$ADMIN" > "$OUT/metrics-after.txt"
stop_ringway
stop_backend
echo "JVM options: $OPTS"
grep -E "Pause Young .*ms$" "$OUT/gc.log" | tail -n +$((FROM + 1)) | sed -E 's/.*GC\(([0-9]+)\) Pause Young \([^)]*\) (.*)/GC(\1) \2/' | while read -r gc rest; do
  echo "$gc $rest (scavenge $(grep -E "$(printf '%s' "$gc" | sed 's/[()]/\\&/g') Scavenge [0-9]" "$OUT/gc.log" | sed -E 's/.*Scavenge //'))"
done
grep -E "requests:" "$OUT/fixed.load"
python3 - "$OUT" <<'PY'
import re, sys
out = sys.argv[1]
lat = sorted(int(l.split()[2]) for l in open(f"{out}/requests.log") if l.strip())   # h2load: start, status, µs
n = len(lat)
print(f"client: {n} requests, p50 {lat[n // 2] / 1000:.2f} ms, p99 {lat[int(n * .99)] / 1000:.2f} ms, "
      f"p99.9 {lat[int(n * .999)] / 1000:.2f} ms")
# The client's bursts: starts less than 20 us apart form a burst; latency by place in the burst.
starts = sorted((int(l.split()[0]), int(l.split()[2])) for l in open(f"{out}/requests.log") if l.strip())
place, prev, byplace, sizes = 0, None, {}, []
for t, d in starts:
    if prev is not None and t - prev < 20:
        place += 1
    else:
        if prev is not None:
            sizes.append(place + 1)
        place = 0
    prev = t
    byplace.setdefault(min(place, 40) // 10, []).append(d)
sizes.append(place + 1)
inb = sum(x for x in sizes if x >= 10) / n
print(f"client bursts (starts < 20 us apart): {len(sizes)}, {inb:.0%} of requests in bursts of 10 or more; p99 by place in burst:",
      ", ".join(f"{k * 10}-{k * 10 + 9}: {sorted(v)[int(len(v) * .99)] / 1000:.2f} ms" for k, v in sorted(byplace.items())))
def metrics(f, family):
    d = {}
    for l in open(f):
        m = re.match(r'ringway_http_' + family + r'_duration_seconds_bucket\{.*le="([^"]+)"\} (\S+)', l)
        if m:
            d[m.group(1)] = d.get(m.group(1), 0) + float(m.group(2))
        m = re.match(r'ringway_http_' + family + r'_duration_seconds_sum\{.*\} (\S+)', l)
        if m:
            d["sum"] = d.get("sum", 0) + float(m.group(1))
        m = re.match(r'ringway_upstream_connections_total (\S+)', l)
        if m:
            d["conns"] = float(m.group(1))
    return d
means = {}
for family, label in (("request", "Ringway's request durations, head read to response written"),
                      ("upstream", "the backend's part of them, request written to response read")):
    a, b = metrics(f"{out}/metrics-before.txt", family), metrics(f"{out}/metrics-after.txt", family)
    tot = b["+Inf"] - a["+Inf"]
    means[family] = (b["sum"] - a["sum"]) / tot * 1000
    cells = [f"<= {float(le) * 1000:g} ms: {(b[le] - a.get(le, 0)) / tot:.4f}"
             for le in sorted((k for k in b if k not in ("+Inf", "conns", "sum")), key=float) if float(le) <= 0.025]
    print(f"{label} (cumulative, mean {means[family]:.3f} ms):", ", ".join(cells))
print(f"Ringway's own part (mean request minus mean backend part): {means['request'] - means['upstream']:.3f} ms")
def turns(f):
    d = {}
    for l in open(f):
        m = re.match(r'ringway_event_loop_busy_seconds_bucket\{le="([^"]+)"\} (\S+)', l)
        if m:
            d[m.group(1)] = float(m.group(2))
        m = re.match(r'ringway_event_loop_busy_seconds_sum (\S+)', l)
        if m:
            d["sum"] = float(m.group(1))
        m = re.match(r'ringway_event_loop_io_events_total (\S+)', l)
        if m:
            d["events"] = float(m.group(1))
    return d
ta, tb = turns(f"{out}/metrics-before.txt"), turns(f"{out}/metrics-after.txt")
if "+Inf" in tb:
    n = tb["+Inf"] - ta.get("+Inf", 0)
    cells = [f"<= {float(le) * 1e6:g} us: {(tb[le] - ta.get(le, 0)) / n:.4f}"
             for le in sorted((k for k in tb if k not in ("+Inf", "sum", "events")), key=float)]
    print(f"event-loop busy stretches: {n:.0f} turns, {(tb['events'] - ta.get('events', 0)) / n:.1f} I/O events per turn, "
          f"busy {(tb['sum'] - ta.get('sum', 0)) / 20 * 100:.1f} % of the 20 s; cumulative:", ", ".join(cells))
print(f"upstream connections opened during the run: {b.get('conns', 0) - a.get('conns', 0):.0f}")
PY
echo "(logs in $OUT)"
