-- bench/patch.lua: PATCH existing vendors with the version they have now.
--   wrk ... -s bench/patch.lua URL -- VERSIONS_FILE NTHREADS [BASE]
-- VERSIONS_FILE holds "id version" lines (bench/run writes it from the
-- database right before the run).  wrk thread k of NTHREADS owns the ids
-- with id % NTHREADS == k - 1 and walks them round-robin, so no two
-- requests in flight ever name the same vendor; each 200 answer carries
-- the vendor's new id and version, which the thread records for the next
-- round.  A stale version would be a 409 and counts as an error.  The
-- department carries the version it was sent with, so every PATCH changes
-- the vendor (one that changes nothing writes nothing and would be
-- measured as a cheaper request).
local B = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") ..
    "common.lua")
local depts = { "情報システム部", "人事部", "経理部", "総務部", "購買部",
	"法務部", "営業企画部" }
local ids, ver, pos, base, hdrs = {}, {}, 0, nil, nil

function init(args)
	local nthreads = tonumber(args[2] or "1")
	base = (args[3] or "/vendor-review/api") .. "/vendors/"
	hdrs = B.headers({ ["Accept"] = "application/json",
		["Content-Type"] = "application/json" })
	for line in io.lines(args[1]) do
		local id, v = line:match("^(%d+)%s+(%d+)")
		if id then
			id = tonumber(id)
			if id % nthreads == thread_no - 1 then
				ids[#ids + 1] = id
				ver[id] = tonumber(v)
			end
		end
	end
	-- Start each thread at a random place in its share.
	math.randomseed(os.time() * 100 + thread_no)
	pos = math.random(#ids)
end

function request()
	pos = pos % #ids + 1
	local id = ids[pos]
	local v = ver[id]
	local body = string.format('{"version":%d,"owner_department":"%s %d"}',
	    v, depts[v % #depts + 1], v)
	return wrk.format("PATCH", base .. id, hdrs, body)
end

function response(status, headers, body)
	B.count(status)
	if status == 200 then
		local id, v = body:match('"id":(%d+),"version":(%d+)')
		if id then ver[tonumber(id)] = tonumber(v) end
	end
end
