-- wrk script for the login-page floor of `make bench`: the sign-in page, anonymous; prints the same
-- "BENCH {...}" line as mix.lua.

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      'BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
      '"status_errors": %d, "socket_errors": %d}\n',
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
      latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
end
