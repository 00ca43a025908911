-- wrk script: POST { me { id displayName } } with a bearer token (TOKEN env).
wrk.method = "POST"
wrk.body = '{"query":"{ me { id displayName } }"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")

-- Every response must be the user, not an error: count the ones that are not.
local bad = 0
response = function(status, headers, body)
  if status ~= 200 or not string.find(body, '"displayName"', 1, true) then bad = bad + 1 end
end
done = function(summary, latency, requests)
  io.write(string.format("p50 %.2f ms, p99 %.2f ms, non-2xx-or-error responses counted by a thread: %d\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, bad))
end
