-- POST with a 4 KiB request body (streamed upstream), small response.
--   wrk -t1 -c50 -d10s --latency -s perf/wrk/post-body.lua http://127.0.0.1:18085
wrk.method = "POST"
wrk.path = "/small"
wrk.headers["Host"] = os.getenv("WRK_HOST") or "bench.example.com"
wrk.headers["Content-Type"] = "application/octet-stream"
wrk.body = string.rep("x", tonumber(os.getenv("WRK_BODY") or "4096"))
