-- wrk script for bench/serve_throughput.sh: POSTs JSON bodies read from a file (one body per line; path in
-- the WRK_BODIES environment variable, endpoint path in WRK_PATH), each thread cycling through them from its
-- own offset, and prints a machine-readable summary line that the benchmark parses:
--   WRK_RESULT requests=N seconds=S rps=R p50_ms=A p90_ms=B p99_ms=C non2xx=E socket_errors=F
local bodies = {}
local index = 0
local thread_count = 0

function setup(thread)
  thread:set("thread_number", thread_count)
  thread_count = thread_count + 1
end

function init(args)
  local path = os.getenv("WRK_BODIES")
  local file = assert(io.open(path, "r"), "cannot open WRK_BODIES=" .. tostring(path))
  for line in file:lines() do
    if #line > 0 then bodies[#bodies + 1] = line end
  end
  file:close()
  assert(#bodies > 0, "no bodies in " .. path)
  index = ((thread_number or 0) * 997) % #bodies
  wrk.method = "POST"
  wrk.path = os.getenv("WRK_PATH") or "/v1/predict"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  index = index % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[index])
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "WRK_RESULT requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f non2xx=%d socket_errors=%d\n",
    summary.requests, seconds, summary.requests / seconds, latency:percentile(50) / 1000,
    latency:percentile(90) / 1000, latency:percentile(99) / 1000, e.status,
    e.connect + e.read + e.write + e.timeout))
end
