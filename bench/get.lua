-- bench/get.lua: GET one vendor by a random id.
--   wrk ... -s bench/get.lua URL -- PATH_PREFIX NVENDORS [ACCEPT]
-- e.g. -- /vendor-review/api/vendors/ 10000 application/xml
-- (the yardstick: -- /yardstick/vendors/ 10000)
local B = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") ..
    "common.lua")
local prefix, n, hdrs

function init(args)
	prefix = args[1] or "/vendor-review/api/vendors/"
	n = tonumber(args[2] or "10000")
	hdrs = B.headers({ ["Accept"] = args[3] or "application/json" })
	math.randomseed(os.time() * 100 + thread_no)
end

function request()
	return wrk.format("GET", prefix .. math.random(1, n), hdrs)
end
