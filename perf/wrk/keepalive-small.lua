-- HTTP/1.1 keep-alive, small responses: GET /small with a Host header the bench Gateway routes.
--   wrk -t1 -c50 -d10s --latency -s perf/wrk/keepalive-small.lua http://127.0.0.1:18085
local host = os.getenv("WRK_HOST") or "bench.example.com"
wrk.method = "GET"
wrk.path = "/small"
wrk.headers["Host"] = host
