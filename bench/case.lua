-- bench/case.lua: GET one onboarding case (55 answers) or its actions.
--   wrk ... -s bench/case.lua URL -- CASES_FILE [BASE] [SUFFIX]
-- CASES_FILE holds "id version state" lines (bench/cases-setup); each
-- request names a random case; SUFFIX "/actions" asks for its actions.
local B = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") ..
    "common.lua")
local ids, base, suffix, hdrs = {}, nil, nil, nil

function init(args)
	for line in io.lines(args[1]) do
		local id = line:match("^(%d+)")
		if id then ids[#ids + 1] = id end
	end
	base = (args[2] or "/vendor-review/api") .. "/assessments/"
	suffix = args[3] or ""
	hdrs = B.headers({ ["Accept"] = "application/json" })
	math.randomseed(os.time() * 100 + thread_no)
end

function request()
	return wrk.format("GET", base .. ids[math.random(#ids)] .. suffix, hdrs)
end
