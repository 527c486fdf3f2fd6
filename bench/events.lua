-- bench/events.lua: GET /events?after=N&limit=100 from a random place.
--   wrk ... -s bench/events.lua URL -- LAST_EVENT_ID [BASE]
local B = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") ..
    "common.lua")
local last, base, hdrs

function init(args)
	last = tonumber(args[1] or "10000")
	base = (args[2] or "/vendor-review/api") .. "/events?limit=100&after="
	hdrs = B.headers({ ["Accept"] = "application/json" })
	math.randomseed(os.time() * 100 + thread_no)
end

function request()
	local top = last > 100 and last - 100 or 0
	return wrk.format("GET", base .. math.random(0, top), hdrs)
end
