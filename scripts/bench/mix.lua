-- wrk script for `make bench`: a mix of reads (lists, details, dashboards, alerts, region pages) with a
-- session cookie, and writes (transfers of 1.00 MAD recorded through the API with a token).
--   wrk -t2 -c50 -d60s --timeout 30s -s scripts/bench/mix.lua URL -- REQUESTS_FILE COOKIE TOKEN
-- REQUESTS_FILE: one "GET /path" or "POST /api/v1/partnerships/<id>/transfers" per line; a line
-- repeated weighs more. done() prints one JSON line starting with "BENCH " for scripts/bench_http.py.

local counter = 0
local threads = {}

function setup(thread)
   thread:set("id", #threads + 1)
   table.insert(threads, thread)
end

function init(args)
   lines = {}
   for line in io.lines(args[1]) do
      local method, path = line:match("^(%u+) (.+)$")
      if method then table.insert(lines, {method, path}) end
   end
   cookie, token = args[2], args[3]
   today = os.date("!%Y-%m-%d")
   math.randomseed(os.time() + id * 7919)
end

function request()
   local line = lines[math.random(#lines)]
   if line[1] == "POST" then
      counter = counter + 1
      local body = string.format(
         '{"transferred_on": "%s", "amount": "1.00", "reference": "BENCH-%d-%d-%d"}',
         today, os.time(), id, counter)
      return wrk.format("POST", line[2], {
         ["Authorization"] = "Bearer " .. token,
         ["Content-Type"] = "application/json",
      }, body)
   end
   return wrk.format("GET", line[2], {["Cookie"] = cookie})
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      'BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
      '"status_errors": %d, "socket_errors": %d}\n',
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
      latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
end
