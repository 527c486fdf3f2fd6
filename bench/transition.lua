-- bench/transition.lua: fire transitions on cases this thread owns.
--   wrk ... -s bench/transition.lua URL -- CASES_FILE NTHREADS [BASE]
-- Each case goes round submit (requester1: with_vendor -> submitted,
-- scores it, revokes the link) and request_changes (reviewer1, with a
-- comment: back to with_vendor, a new link), each with the version the
-- last answer gave.  Thread k owns the cases on lines k, k + NTHREADS, ...
-- so no two requests in flight name one case; a 409 counts as an error.
local B = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") ..
    "common.lua")
local ids, ver, st, pos, base, req_h, rev_h, cur = {}, {}, {}, 0, nil,
    nil, nil, nil

function init(args)
	local nthreads = tonumber(args[2] or "1")
	local k = 0
	base = (args[3] or "/vendor-review/api") .. "/assessments/"
	req_h = B.headers({ ["Accept"] = "application/json",
		["Content-Type"] = "application/json" })
	rev_h = B.headers({ ["Accept"] = "application/json",
		["Content-Type"] = "application/json",
		["Authorization"] = B.basic("reviewer1", "demo") })
	for line in io.lines(args[1]) do
		local id, v, s = line:match("^(%d+)%s+(%d+)%s+(%S+)")
		if id then
			if k % nthreads == thread_no - 1 then
				ids[#ids + 1] = id
				ver[id] = tonumber(v)
				st[id] = s
			end
			k = k + 1
		end
	end
	math.randomseed(os.time() * 100 + thread_no)
	pos = math.random(#ids)
end

function request()
	pos = pos % #ids + 1
	cur = ids[pos]
	if st[cur] == "submitted" then
		return wrk.format("POST", base .. cur .. "/transitions", rev_h,
		    string.format('{"action":"request_changes","version":%d,' ..
		    '"comment":"bench"}', ver[cur]))
	end
	return wrk.format("POST", base .. cur .. "/transitions", req_h,
	    string.format('{"action":"submit","version":%d}', ver[cur]))
end

function response(status, headers, body)
	B.count(status)
	if status == 200 then
		local id, v = body:match('"id":(%d+),"version":(%d+)')
		local s = body:match('"state":"(%a[%w_]*)"')
		if id then
			ver[id] = tonumber(v)
			st[id] = s
		end
	end
end
