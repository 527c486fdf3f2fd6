-- bench/common.lua: what every bench/*.lua scenario shares (wrk 4.1).
--
-- Each scenario script starts with
--     local B = dofile(<dir of the script> .. "common.lua")
-- and gets: B.auth (the Basic header for requester1:demo, or for
-- BENCH_USER / BENCH_PASSWORD from the environment), B.headers(extra),
-- and the setup/response/done functions below, which count every answer
-- that is not 2xx and print one line bench/run parses:
--   RESULT requests=N seconds=S rps=R p50_ms=A p99_ms=B errors=E non2xx=X
--          socket=Y statuses=CODE:COUNT,...
-- wrk's own summary counts only status >= 400 and socket errors; here any
-- non-2xx answer (3xx too) is an error, and so is every socket error.
local B = {}

local b64chars =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
local function base64(s)
	return ((s:gsub(".", function(x)
		local r, b = "", x:byte()
		for i = 8, 1, -1 do
			r = r .. (b % 2 ^ i - b % 2 ^ (i - 1) > 0 and "1" or "0")
		end
		return r
	end) .. "0000"):gsub("%d%d%d?%d?%d?%d?", function(x)
		if #x < 6 then return "" end
		local c = 0
		for i = 1, 6 do
			c = c + (x:sub(i, i) == "1" and 2 ^ (6 - i) or 0)
		end
		return b64chars:sub(c + 1, c + 1)
	end) .. ({ "", "==", "=" })[#s % 3 + 1])
end

-- The Basic header of another user.
function B.basic(user, password)
	return "Basic " .. base64(user .. ":" .. password)
end

B.auth = "Basic " .. base64((os.getenv("BENCH_USER") or "requester1") ..
    ":" .. (os.getenv("BENCH_PASSWORD") or "demo"))

-- Request headers: auth plus the given ones.
function B.headers(extra)
	local h = { ["Authorization"] = B.auth }
	for k, v in pairs(extra or {}) do h[k] = v end
	return h
end

-- Percent-encodes a query-string value (UTF-8 bytes).
function B.urlencode(s)
	return (s:gsub("[^%w%-%._~]", function(c)
		return string.format("%%%02X", c:byte())
	end))
end

-- --- counting, shared by all scenarios ------------------------------------
local threads = {}
local nthreads = 0

function setup(thread)
	nthreads = nthreads + 1
	thread:set("thread_no", nthreads)
	table.insert(threads, thread)
end

non2xx = 0
bad_statuses = ""
local bad = {}

-- Every scenario's response() calls this first.
function B.count(status)
	if status < 200 or status > 299 then
		non2xx = non2xx + 1
		bad[status] = (bad[status] or 0) + 1
		local t = {}
		for k, v in pairs(bad) do t[#t + 1] = k .. ":" .. v end
		bad_statuses = table.concat(t, ",")
	end
end

function response(status, headers, body)
	B.count(status)
end

function done(summary, latency, requests)
	local x, st = 0, {}
	for _, t in ipairs(threads) do
		x = x + (t:get("non2xx") or 0)
		local s = t:get("bad_statuses")
		if s and s ~= "" then st[#st + 1] = s end
	end
	local e = summary.errors
	local sock = e.connect + e.read + e.write + e.timeout
	local secs = summary.duration / 1e6
	io.write(string.format("RESULT requests=%d seconds=%.2f rps=%.1f " ..
	    "p50_ms=%.2f p99_ms=%.2f errors=%d non2xx=%d socket=%d " ..
	    "statuses=%s\n", summary.requests, secs, summary.requests / secs,
	    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
	    x + sock, x, sock, #st > 0 and table.concat(st, ",") or "-"))
end

return B
