-- wrk script for `make bench` (tests/bench/bench.sh).
--
-- With BENCH_BODY naming a file in the environment, every request is a POST
-- of that file as application/json (bench.sh passes create.json, the
-- founding example's create request, and a getPresencesByUserId body);
-- with BENCH_SET_IDS naming a file of presence ids, one a line, each
-- request is a setPresence that refreshes the session BENCH_SET_BODY's
-- file describes on one of those presences: wrk's thread N of
-- BENCH_SET_THREADS takes every line whose number modulo BENCH_SET_THREADS
-- is N and goes round them in turn, so with as many presences as
-- connections each connection refreshes a presence of its own.  With
-- BENCH_SET_BODY_ALT naming a second body, the thread goes round its
-- presences with the first body, then with the second, and so on: each
-- request changes its presence (the notification case).  Without
-- either, wrk sends a plain GET of the URL it was given.  BENCH_TOKEN,
-- when set, is sent as a bearer token.  done() prints one line that
-- bench.sh reads: requests, run time and latencies in microseconds, and
-- the error counts.

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

-- Each wrk thread gets its number before it starts.
local nthreads = 0
function setup(thread)
	thread:set("thread_index", nthreads)
	nthreads = nthreads + 1
end

local set_ids = os.getenv("BENCH_SET_IDS")
local requests_ = {}
local next_ = 0

-- This thread's setPresence requests, one for each of its presences, made
-- once so that sending one costs no formatting.
function init(args)
	if not set_ids then
		return
	end
	local f = assert(io.open(os.getenv("BENCH_SET_BODY"), "rb"))
	local set_body = f:read("*a")
	f:close()
	local every = tonumber(os.getenv("BENCH_SET_THREADS") or "1")
	local base = wrk.path:gsub("/+$", "")
	wrk.method = "POST"
	wrk.headers["Content-Type"] = "application/json"
	local bodies = { set_body }
	local alt = os.getenv("BENCH_SET_BODY_ALT")
	if alt then
		f = assert(io.open(alt, "rb"))
		bodies[2] = f:read("*a")
		f:close()
	end
	for _, b in ipairs(bodies) do
		local n = 0
		for id in io.lines(set_ids) do
			if n % every == thread_index then
				requests_[#requests_ + 1] = wrk.format("POST",
				    base .. "/users/" .. id ..
				    "/presence/setPresence", nil, b)
			end
			n = n + 1
		end
	end
	assert(#requests_ > 0, "no presence for wrk thread " .. thread_index)
end

if set_ids then
	function request()
		next_ = next_ % #requests_ + 1
		return requests_[next_]
	end
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
