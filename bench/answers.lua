-- bench/answers.lua: PUT every answer (55) of cases this thread owns.
--   wrk ... -s bench/answers.lua URL -- CASES_FILE NTHREADS [BASE] [one]
-- Thread k of NTHREADS owns the cases on lines k, k + NTHREADS, ... and
-- walks them round-robin, so no two requests in flight name one case
-- (a save waits for nothing but the chain head).  The body is the same
-- 55 answers each time, with a note that changes: every note, or with
-- "one" only the first (a page that saves the whole sheet after one edit).
local B = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") ..
    "common.lua")
local ids, pos, base, hdrs, n = {}, 0, nil, nil, 0
local codes = {}
local only_first = false

function init(args)
	local nthreads = tonumber(args[2] or "1")
	local k = 0
	base = (args[3] or "/vendor-review/api") .. "/assessments/"
	hdrs = B.headers({ ["Accept"] = "application/json",
		["Content-Type"] = "application/json" })
	for line in io.lines(args[1]) do
		local id = line:match("^(%d+)")
		if id then
			if k % nthreads == thread_no - 1 then ids[#ids + 1] = id end
			k = k + 1
		end
	end
	-- The shipped sheet's high-tier questions and a valid answer each.
	for line in io.lines(args[1] .. ".answers") do codes[#codes + 1] = line end
	only_first = args[4] == "one"
	math.randomseed(os.time() * 100 + thread_no)
	pos = math.random(#ids)
end

function request()
	pos = pos % #ids + 1
	n = n + 1
	local parts = {}
	for i, a in ipairs(codes) do
		local note = (i == 1 or not only_first) and "bench " .. n or "bench"
		parts[i] = a:gsub("NOTE", note)
	end
	return wrk.format("PUT", base .. ids[pos] .. "/answers", hdrs,
	    '{"answers":[' .. table.concat(parts, ",") .. ']}')
end
