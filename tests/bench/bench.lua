-- wrk script for `make bench` (tests/bench/bench.sh).
--
-- With BENCH_BODY naming a file in the environment, every request is a POST
-- of that file as application/json (bench.sh passes create.json, the
-- founding example's create request); without it wrk sends a plain GET of
-- the URL it was given.  BENCH_TOKEN, when set, is sent as a bearer
-- token.  done() prints one line that bench.sh reads:
-- requests, run time and latencies in microseconds, and the error counts.

local token = os.getenv("BENCH_TOKEN")
if token and token ~= "" then
	wrk.headers["Authorization"] = "Bearer " .. token
end

local body = os.getenv("BENCH_BODY")
if body then
	local f = assert(io.open(body, "rb"))
	wrk.method = "POST"
	wrk.headers["Content-Type"] = "application/json"
	wrk.body = f:read("*a")
	f:close()
end

function done(summary, latency, requests)
	local e = summary.errors
	io.write(string.format(
	    "bench-result requests=%d usec=%d p50=%d p99=%d max=%d "
	    .. "status_errors=%d socket_errors=%d\n",
	    summary.requests, summary.duration,
	    latency:percentile(50), latency:percentile(99), latency.max,
	    e.status, e.connect + e.read + e.write + e.timeout))
end
