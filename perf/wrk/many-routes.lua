-- Many routes with header matches: each request picks one of ROUTES routes (hostnames
-- route-N.example.com, path /rN/api, header X-Version: 2), as perf/bench/target.sh generates them with RINGWAY_ROUTES=N.
--   wrk -t1 -c50 -d10s --latency -s perf/wrk/many-routes.lua http://127.0.0.1:18085
local routes = tonumber(os.getenv("ROUTES") or "1000")
local counter = 0
request = function()
  counter = counter + 1
  local r = counter % routes
  return wrk.format("GET", "/r" .. r .. "/api/items", {
    ["Host"] = "route-" .. r .. ".example.com",
    ["X-Version"] = "2",
  })
end
