#!/usr/bin/env python3
"""suite.py - the parts of the perf suite the peer harness (../shared/bench/peers.py) does not do.

Same layout as the harness: an nginx backend (100 B at /small, 16 KiB at /16k), the proxy under
test alone on SUT_CPU (cpu0), load generator and backend on CLIENT_CPU (cpu1). Ringway runs through
perf/bench/target.sh (one event loop), nginx as a 1-worker reverse proxy like the harness's.
Every load run is bounded; only processes started here are stopped, by their process group.

  suite.py variants     Ringway variants side by side (transport, GC, heap): VARIANTS="name:ENV=V,ENV=V;..."
                        interleaved rounds; req/s, req/s per SUT core, user and system CPU µs per request
  suite.py fixed-rate   p50/p99 at fixed request rates below saturation (RATES, default 50% and 80% of
                        nginx's measured maximum), nginx and Ringway, open-loop per connection (h2load --rps);
                        FIXED_VARIANTS="name:ENV=V;..." runs several Ringways in the same rounds; every target
                        is first warmed with the measuring client and with connection churn (FIXED_WARMUP,
                        10 s each; 0: none); each run's p99 of its first 2 s and of the rest are reported apart
  suite.py warmup       a fresh Ringway: the first WARMUP_S (10) seconds of load, then steady state; JVM RSS
  suite.py reload       wrk for RELOAD_S (20) s while the routes are rewritten every RELOAD_EVERY (0.5) s;
                        any non-2xx or socket error fails (exit 1)

Knobs (env): DURATION REPS SCENARIOS SUT_CPU CLIENT_CPU PORT_BASE NICE OUT_JSON RINGWAY_JAVA_OPTS.
"""
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

E = os.environ
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TARGET = os.path.join(ROOT, "perf", "bench", "target.sh")
SUT_CPU = E.get("SUT_CPU", "0")
CLIENT_CPU = E.get("CLIENT_CPU", "1")
PORT_BASE = int(E.get("PORT_BASE", "21080"))  # below the ephemeral port range
DURATION = int(E.get("DURATION", "8"))
REPS = int(E.get("REPS", "3"))
WARM = int(E.get("TARGET_WARMUP", "15"))
OUT_JSON = E.get("OUT_JSON", "/tmp/suite.json")
CLK = os.sysconf("SC_CLK_TCK")
BACKEND, BACKEND_H2, NGINX_PORT = PORT_BASE, PORT_BASE + 10, PORT_BASE + 1
SCEN = {
    "h1-small-c50": ("wrk", "/small", 50),
    "h1-small-c200": ("wrk", "/small", 200),
    "h1-16k-c50": ("wrk", "/16k", 50),
    "h2c-small-c20m10": ("h2load", "/small", 20),
}


def log(*a):
    print(*a, file=sys.stderr, flush=True)


NICE = E.get("NICE", "")  # e.g. -10 (root) on a shared box: our processes outrank other tenants


def pin(cpus):
    return (["nice", "-n", NICE] if NICE else []) + ["taskset", "-c", cpus]


class Proc:
    """A process group started here, stopped by its own id only."""

    def __init__(self, name, argv, logpath, env=None):
        self.name = name
        self.logf = open(logpath, "wb")
        self.p = subprocess.Popen(argv, stdout=self.logf, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                  start_new_session=True, env=env)

    def pids(self):
        out, todo = [], [self.p.pid]
        while todo:
            pid = todo.pop()
            out.append(pid)
            try:
                for tid in os.listdir(f"/proc/{pid}/task"):
                    with open(f"/proc/{pid}/task/{tid}/children") as f:
                        todo += [int(x) for x in f.read().split()]
            except OSError:
                pass
        return out

    def cpu(self):
        """(user, system) seconds of the whole tree."""
        u = s = 0
        for pid in self.pids():
            try:
                with open(f"/proc/{pid}/stat") as f:
                    fs = f.read().rsplit(")", 1)[1].split()
                u += int(fs[11])
                s += int(fs[12])
            except (OSError, IndexError):
                pass
        return u / CLK, s / CLK

    def rss_mb(self):
        tot = 0
        for pid in self.pids():
            try:
                with open(f"/proc/{pid}/status") as f:
                    m = re.search(r"VmRSS:\s+(\d+) kB", f.read())
                tot += int(m.group(1)) if m else 0
            except OSError:
                pass
        return round(tot / 1024, 1)

    def stop(self):
        if self.p.poll() is None:
            try:
                os.killpg(self.p.pid, signal.SIGTERM)
                self.p.wait(10)
            except (OSError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.p.pid, signal.SIGKILL)
                except OSError:
                    pass
        self.logf.close()


def wait_http(port, timeout=60.0):
    end = time.time() + timeout
    while time.time() < end:
        r = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", f"http://127.0.0.1:{port}/small"],
                           capture_output=True, text=True)
        if r.stdout == "200":
            return True
        time.sleep(0.2)
    return False


def write_nginx(run):
    www = os.path.join(run, "www")
    os.makedirs(www)
    os.makedirs(os.path.join(run, "tmp"))
    with open(os.path.join(www, "16k"), "wb") as f:
        f.write(b"0123456789abcdef" * 1024)
    temps = " ".join(f"{k}_temp_path {run}/tmp/{k};" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    common = "daemon off; master_process on; worker_processes 1; worker_rlimit_nofile 16384;\n" \
             "events { worker_connections 8000; }\n"
    small = ("peers-bench fixed body " + "x" * 100)[:99] + "\\n"
    backend = common + f"""pid {run}/backend.pid; error_log {run}/backend.err warn;
http {{ access_log off; {temps} sendfile on; tcp_nopush on; tcp_nodelay on;
  keepalive_requests 100000000; keepalive_timeout 120s;
  server {{ listen 127.0.0.1:{BACKEND} backlog=4096; listen 127.0.0.1:{BACKEND_H2} http2 backlog=4096; root {www};
    location = /small {{ default_type text/plain; return 200 "{small}"; }}
    location = /16k {{ default_type application/octet-stream; }} }} }}
"""
    proxy = common + f"""pid {run}/nginx.pid; error_log {run}/nginx.err warn;
http {{ access_log off; {temps} tcp_nodelay on; keepalive_requests 100000000; keepalive_timeout 120s;
  upstream backend {{ server 127.0.0.1:{BACKEND}; keepalive 1024; keepalive_requests 100000000; keepalive_timeout 120s; }}
  server {{ listen 127.0.0.1:{NGINX_PORT} backlog=4096;
    location / {{ proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection ""; }} }} }}
"""
    for name, text in (("backend.conf", backend), ("nginx.conf", proxy)):
        with open(os.path.join(run, name), "w") as f:
            f.write(text)


def start_backend(run):
    b = Proc("backend", pin(CLIENT_CPU) + ["nginx", "-p", run, "-e", f"{run}/backend.err", "-c", f"{run}/backend.conf"],
             f"{run}/backend.out")
    if not wait_http(BACKEND, 15):
        raise SystemExit("backend did not start")
    return b


def start_nginx(run):
    n = Proc("nginx", pin(SUT_CPU) + ["nginx", "-p", run, "-e", f"{run}/nginx.err", "-c", f"{run}/nginx.conf"],
             f"{run}/nginx.out")
    if not wait_http(NGINX_PORT, 15):
        raise SystemExit("nginx proxy did not start")
    return n


def start_ringway(run, name, port, extra_env=None, wait=True):
    env = dict(os.environ, BACKEND_HOST="127.0.0.1", BACKEND_PORT=str(BACKEND), RINGWAY_PORT=str(port),
               RINGWAY_TCP_PORT=str(port + 1), RINGWAY_ADMIN=f"127.0.0.1:{port + 2}")
    env.update(extra_env or {})
    p = Proc(name, pin(SUT_CPU) + ["bash", TARGET], f"{run}/{name}.out", env=env)
    if wait and not wait_http(port, 90):
        with open(f"{run}/{name}.out") as f:
            log(f.read()[-3000:])
        raise SystemExit(f"{name} did not start")
    return p


def load_cmd(scn, port, secs, rate=None, logfile=None):
    tool, path, conns = SCEN[scn]
    url = f"http://127.0.0.1:{port}{path}"
    if rate is not None:  # open loop per connection: h2load paces each connection at rate/conns
        cmd = pin(CLIENT_CPU) + ["h2load", "--h1", "-t1", "-c", str(conns), f"--rps={rate / conns:.3f}", "-D", str(secs)]
        return cmd + (["--log-file", logfile] if logfile else []) + [url]
    if tool == "wrk":
        return pin(CLIENT_CPU) + ["wrk", "-t1", "-c", str(conns), "-d", f"{secs}s", "--latency", url]
    cmd = pin(CLIENT_CPU) + ["h2load", "-t1", "-c", str(conns), "-m10", "-D", str(secs)]
    return cmd + (["--log-file", logfile] if logfile else []) + [url]


def ms(s):
    m = re.match(r"([\d.]+)(us|ms|s)$", s.strip())
    return float(m.group(1)) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[m.group(2)] if m else None


def parse(out, logfile=None):
    r = {}
    m = re.search(r"Requests/sec:\s+([\d.]+)", out) or re.search(r"finished in [\d.]+\w*, ([\d.]+) req/s", out)
    r["rps"] = float(m.group(1)) if m else None
    m = re.search(r"(\d+) requests in", out) or re.search(r"requests: \d+ total, \d+ started, \d+ done, (\d+) succeeded", out)
    r["requests"] = int(m.group(1)) if m else None
    errs = 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if m:
        errs += sum(int(x) for x in m.groups())
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if m:
        errs += int(m.group(1))
    m = re.search(r"(\d+) failed, (\d+) errored, (\d+) timeout", out)
    if m:
        errs += sum(int(x) for x in m.groups())
    r["errors"] = errs
    for pct in ("50", "99"):
        m = re.search(rf"^\s+{pct}(?:\.000)?%\s+(\S+)", out, re.M)
        r[f"p{pct}_ms"] = ms(m.group(1)) if m else None
    if logfile and os.path.exists(logfile):
        rows = []  # h2load's log: start (µs since the epoch), status, latency (µs)
        with open(logfile) as f:
            for line in f:
                p = line.split("\t")
                if len(p) >= 3 and p[1].startswith("2"):
                    rows.append((int(p[0]), int(p[2])))
        lat = sorted(x for _, x in rows)
        for q, key in ((0.5, "p50_ms"), (0.99, "p99_ms"), (0.999, "p999_ms")):
            r[key] = pct_ms(lat, q)
        # the run's first seconds apart from the rest: new connections, and for a JVM any code the
        # JIT compiled for another traffic shape and must now recompile (deoptimization)
        if rows:
            t0 = min(t for t, _ in rows)
            r["p99_first2s_ms"] = pct_ms(sorted(x for t, x in rows if t - t0 < 2_000_000), 0.99)
            r["p99_after2s_ms"] = pct_ms(sorted(x for t, x in rows if t - t0 >= 2_000_000), 0.99)
    return r


def pct_ms(sorted_us, q):
    return round(sorted_us[min(len(sorted_us) - 1, int(q * len(sorted_us)))] / 1000.0, 3) if sorted_us else None


def measure(proc, cmd, logfile=None, timeout=120):
    if logfile and os.path.exists(logfile):
        os.unlink(logfile)
    u0, s0 = proc.cpu()
    t0 = time.time()
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    wall = time.time() - t0
    u1, s1 = proc.cpu()
    r = parse(res.stdout + res.stderr, logfile)
    n = r.get("requests") or 0
    r["sut_cores"] = round((u1 - u0 + s1 - s0) / wall, 3)
    r["rps_per_core"] = round(r["rps"] / r["sut_cores"]) if r.get("rps") and r["sut_cores"] > 0 else None
    r["user_us_per_req"] = round(1e6 * (u1 - u0) / n, 2) if n else None
    r["sys_us_per_req"] = round(1e6 * (s1 - s0) / n, 2) if n else None
    r["cmd"] = " ".join(cmd)
    return r


def med(xs):
    xs = [x for x in xs if x is not None]
    return round(statistics.median(xs), 2) if xs else None


# ----------------------------------------------------------------------------- subcommands
def parse_variants(spec):
    """"name:ENV=V,ENV=V;name2:..." -> [(name, port, env)], each Ringway on its own ports."""
    out = []
    for i, part in enumerate(p for p in spec.split(";") if p):
        name, _, envs = part.partition(":")
        out.append((name, PORT_BASE + 20 + 10 * i, dict(kv.split("=", 1) for kv in envs.split(",") if kv)))
    return out


def variants(run):
    vs = parse_variants(E.get("VARIANTS", "io_uring:RINGWAY_TRANSPORT=io_uring;epoll:RINGWAY_TRANSPORT=epoll;"
                                           "nio:RINGWAY_TRANSPORT=nio"))
    scen = [s for s in E.get("SCENARIOS", "h1-small-c50,h2c-small-c20m10").split(",") if s]
    procs = {}
    start_backend_proc = start_backend(run)
    procs["backend"] = start_backend_proc
    try:
        for name, port, env in vs:
            procs[name] = start_ringway(run, name, port, env)
        results = []
        for s in scen:
            runs = {name: [] for name, _, _ in vs}
            for name, port, _ in vs:
                subprocess.run(load_cmd(s, port, WARM), capture_output=True, timeout=WARM + 60)
            for rep in range(REPS):
                order = vs[rep % len(vs):] + vs[:rep % len(vs)]
                for name, port, _ in order:
                    lf = os.path.join(run, "h2.log") if SCEN[s][0] == "h2load" else None
                    r = measure(procs[name], load_cmd(s, port, DURATION, logfile=lf), lf)
                    log(f"{s:<18}{name:<14}rep{rep} rps={r['rps']} rps/core={r['rps_per_core']} "
                        f"user={r['user_us_per_req']}us sys={r['sys_us_per_req']}us p99={r.get('p99_ms')} err={r['errors']}")
                    runs[name].append(r)
            for name, _, env in vs:
                rs = runs[name]
                results.append(dict(scenario=s, variant=name, env=env, runs=rs, rss_mb=procs[name].rss_mb(),
                                    median={k: med([x.get(k) for x in rs]) for k in
                                            ("rps", "rps_per_core", "user_us_per_req", "sys_us_per_req", "p50_ms", "p99_ms",
                                             "sut_cores")},
                                    errors=sum(x["errors"] for x in rs)))
        print(f"\n{'scenario':<18}{'variant':<16}{'req/s':>9}{'req/s/core':>11}{'user us':>9}{'sys us':>8}"
              f"{'p50ms':>8}{'p99ms':>8}{'RSS MB':>8}{'err':>5}")
        for r in results:
            m = r["median"]
            print(f"{r['scenario']:<18}{r['variant']:<16}{m['rps'] or 0:>9,.0f}{m['rps_per_core'] or 0:>11,.0f}"
                  f"{m['user_us_per_req'] or 0:>9.2f}{m['sys_us_per_req'] or 0:>8.2f}{m['p50_ms'] or 0:>8.2f}"
                  f"{m['p99_ms'] or 0:>8.2f}{r['rss_mb']:>8}{r['errors']:>5}")
        return dict(kind="variants", variants=[dict(name=n, port=p, env=e) for n, p, e in vs], results=results)
    finally:
        for p in reversed(list(procs.values())):
            p.stop()


def fixed_rate(run):
    procs = {"backend": start_backend(run)}
    try:
        procs["nginx"] = start_nginx(run)
        ports = {"nginx": NGINX_PORT}
        # FIXED_VARIANTS drives several Ringways (e.g. transports) in the same rounds
        for name, port, env in parse_variants(E.get("FIXED_VARIANTS", "ringway:")):
            ports[name] = port
            procs[name] = start_ringway(run, name, port, env)
        targets = list(ports)
        scn = E.get("SCENARIO", "h1-small-c50")
        for t in targets[1:]:
            subprocess.run(load_cmd(scn, ports[t], WARM), capture_output=True, timeout=WARM + 60)
        subprocess.run(load_cmd(scn, ports["nginx"], 3), capture_output=True, timeout=60)
        maxes = [measure(procs["nginx"], load_cmd(scn, NGINX_PORT, DURATION))["rps"] for _ in range(2)]
        nmax = max(x for x in maxes if x)
        log(f"nginx max {nmax:.0f} req/s ({scn})")
        fracs = [float(x) for x in E.get("RATES", "0.5,0.8").split(",")]
        # Warm every target for what the measured runs do, not only with the closed-loop tool: with
        # the measuring client itself (h2load --h1 at the first rate; a JVM compiled for wrk's
        # requests deoptimizes and recompiles on h2load's for a second or two), and with connection
        # churn (wrk, Connection: close): every run opens its 50 connections at once, and in a JVM
        # whose connection set-up ran only a few hundred times that code is still interpreted (the
        # first 200 ms of a run had a p99 of 23-29 ms before such a warm-up, 5-8 ms after; see
        # docs/perf.md). Both are warm-up, not the steady state a p99 at a fixed rate describes;
        # FIXED_WARMUP=0 measures without them (seconds of each).
        fixed_warm = int(E.get("FIXED_WARMUP", "10"))
        if fixed_warm > 0:
            _, path, _ = SCEN[scn]
            for t in targets:
                subprocess.run(load_cmd(scn, ports[t], fixed_warm, rate=round(nmax * fracs[0])),
                               capture_output=True, timeout=fixed_warm + 60)
                subprocess.run(pin(CLIENT_CPU) + ["wrk", "-t1", "-c50", "-d", f"{fixed_warm}s", "-H", "Connection: close",
                                                  f"http://127.0.0.1:{ports[t]}{path}"],
                               capture_output=True, timeout=fixed_warm + 60)
        results = []
        for frac in fracs:
            rate = round(nmax * frac)
            runs = {t: [] for t in targets}
            for rep in range(REPS):
                for t in targets[rep % len(targets):] + targets[:rep % len(targets)]:
                    lf = os.path.join(run, f"rate-{t}-{round(frac * 100)}-rep{rep}.log")  # kept for analysis
                    r = measure(procs[t], load_cmd(scn, ports[t], DURATION, rate=rate, logfile=lf), lf)
                    log(f"rate {rate} ({frac:.0%}) {t:<8} rep{rep} got={r['rps']} p50={r.get('p50_ms')} "
                        f"p99={r.get('p99_ms')} p99.9={r.get('p999_ms')} p99 first 2 s={r.get('p99_first2s_ms')} "
                        f"after={r.get('p99_after2s_ms')} cpu={r['sut_cores']} err={r['errors']}")
                    runs[t].append(r)
            for t, rs in runs.items():
                results.append(dict(target=t, fraction=frac, rate=rate, runs=rs,
                                    median={k: med([x.get(k) for x in rs]) for k in
                                            ("rps", "p50_ms", "p99_ms", "p999_ms", "p99_first2s_ms",
                                             "p99_after2s_ms", "sut_cores")},
                                    errors=sum(x["errors"] for x in rs)))
        print(f"\nnginx max (closed loop, {scn}): {nmax:,.0f} req/s")
        print(f"{'rate':>8}{'of max':>8} {'target':<9}{'got/s':>9}{'p50ms':>8}{'p99ms':>8}{'p99.9ms':>9}"
              f"{'p99 0-2s':>10}{'p99 2s-':>9}{'SUT cores':>10}{'err':>5}")
        for r in results:
            m = r["median"]
            print(f"{r['rate']:>8}{r['fraction']:>8.0%} {r['target']:<9}{m['rps'] or 0:>9,.0f}{m['p50_ms'] or 0:>8.2f}"
                  f"{m['p99_ms'] or 0:>8.2f}{m['p999_ms'] or 0:>9.2f}{m['p99_first2s_ms'] or 0:>10.2f}"
                  f"{m['p99_after2s_ms'] or 0:>9.2f}{m['sut_cores'] or 0:>10.2f}{r['errors']:>5}")
        return dict(kind="fixed-rate", scenario=scn, nginx_max=nmax, fixed_warmup_s=fixed_warm, results=results)
    finally:
        for p in reversed(list(procs.values())):
            p.stop()


def warmup(run):
    procs = {"backend": start_backend(run)}
    secs = int(E.get("WARMUP_S", "10"))
    try:
        t0 = time.time()
        rw = start_ringway(run, "ringway", PORT_BASE + 20)
        procs["ringway"] = rw
        started = time.time() - t0
        rss_idle = rw.rss_mb()
        scn = E.get("SCENARIO", "h1-small-c50")
        phases = []
        first = measure(rw, load_cmd(scn, PORT_BASE + 20, secs))
        phases.append(("first %ds" % secs, first))
        subprocess.run(load_cmd(scn, PORT_BASE + 20, 20), capture_output=True, timeout=90)
        for i in range(REPS):
            phases.append((f"steady #{i + 1}", measure(rw, load_cmd(scn, PORT_BASE + 20, secs))))
        rss_load = rw.rss_mb()
        print(f"\nstart to first 200: {started:.1f}s; RSS idle after start {rss_idle} MB, after load {rss_load} MB")
        print(f"{'phase':<14}{'req/s':>9}{'req/s/core':>11}{'p50ms':>8}{'p99ms':>8}{'err':>5}")
        for name, r in phases:
            print(f"{name:<14}{r['rps'] or 0:>9,.0f}{r['rps_per_core'] or 0:>11,.0f}{r['p50_ms'] or 0:>8.2f}"
                  f"{r['p99_ms'] or 0:>8.2f}{r['errors']:>5}")
        return dict(kind="warmup", scenario=scn, start_s=round(started, 2), rss_idle_mb=rss_idle, rss_load_mb=rss_load,
                    phases=[dict(phase=n, **r) for n, r in phases])
    finally:
        for p in reversed(list(procs.values())):
            p.stop()


def reload(run):
    procs = {"backend": start_backend(run)}
    cfg = os.path.join(run, "config")
    secs = int(E.get("RELOAD_S", "20"))
    every = float(E.get("RELOAD_EVERY", "0.5"))
    try:
        procs["ringway"] = start_ringway(run, "ringway", PORT_BASE + 20, {"RINGWAY_BENCH_DIR": cfg, "RINGWAY_ROUTES": "0"})
        subprocess.run(load_cmd("h1-small-c50", PORT_BASE + 20, 5), capture_output=True, timeout=60)
        wrk = subprocess.Popen(load_cmd("h1-small-c50", PORT_BASE + 20, secs), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
        n = 0
        end = time.time() + secs - 1
        while time.time() < end:
            # A different set of extra routes each time (the bench route itself stays): a new snapshot.
            n += 1
            with open(os.path.join(cfg, "extra.yaml.tmp"), "w") as f:
                for k in range(n % 7 * 20):
                    f.write(f"""---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {{name: extra-{k}, namespace: bench}}
spec:
  parentRefs: [{{name: bench, sectionName: http}}]
  hostnames: [extra-{k}-{n}.example.com]
  rules: [{{matches: [{{path: {{type: PathPrefix, value: /e{k}}}}}], backendRefs: [{{name: backend, port: 80}}]}}]
""")
            os.replace(os.path.join(cfg, "extra.yaml.tmp"), os.path.join(cfg, "extra.yaml"))
            time.sleep(every)
        out = wrk.communicate(timeout=secs + 30)[0]
        r = parse(out)
        time.sleep(1.0)
        with open(f"{run}/ringway.out") as f:
            seen = len(re.findall(r"extra\.yaml (?:read|changed)", f.read()))
        dump = subprocess.run(["curl", "-s", f"http://127.0.0.1:{PORT_BASE + 22}/config_dump"], capture_output=True,
                              text=True).stdout
        m = re.search(r'"version"\s*:\s*(\d+)', dump)
        version = int(m.group(1)) if m else None
        print(f"\nreload under load: {n} config writes in {secs}s (the gateway read {seen} of them; snapshot "
              f"version now {version}), {r['requests']} requests, {r['rps']} req/s, errors {r['errors']}")
        return dict(kind="reload", writes=n, changes_read=seen, snapshot_version=version, seconds=secs, **r)
    finally:
        for p in reversed(list(procs.values())):
            p.stop()


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in ("variants", "fixed-rate", "warmup", "reload"):
        print(__doc__)
        return 2
    for tool in ("wrk", "h2load", "nginx", "taskset", "curl"):
        if not shutil.which(tool):
            log(f"suite: missing {tool} (perf/run-peers.sh installs the tools)")
            return 2
    run = tempfile.mkdtemp(prefix="ringway-suite.")
    os.chmod(run, 0o755)
    write_nginx(run)
    try:
        res = {"variants": variants, "fixed-rate": fixed_rate, "warmup": warmup, "reload": reload}[sys.argv[1]](run)
    finally:
        if E.get("KEEP_RUNDIR") != "1":
            shutil.rmtree(run, ignore_errors=True)
    res.update(started=time.strftime("%Y-%m-%dT%H:%M:%S%z"), sut_cpu=SUT_CPU, client_cpu=CLIENT_CPU,
               duration=DURATION, reps=REPS)
    with open(OUT_JSON, "w") as f:
        json.dump(res, f, indent=1)
    print(f"JSON: {OUT_JSON}")
    return 1 if res.get("kind") == "reload" and res.get("errors") else 0


if __name__ == "__main__":
    sys.exit(main())
