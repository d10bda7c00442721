-- 16 KiB response bodies: GET /16k (the peer harness's backend serves it with sendfile).
--   wrk -t1 -c50 -d10s --latency -s perf/wrk/body-16k.lua http://127.0.0.1:18085
wrk.method = "GET"
wrk.path = "/16k"
wrk.headers["Host"] = os.getenv("WRK_HOST") or "bench.example.com"
