-- bench/chain.lua: GET the subcontract chain of one vendor (a tree).
--   wrk ... -s bench/chain.lua URL -- PATH
-- e.g. -- /vendor-review/api/vendors/1/chain (bench/run loads a tree of
-- 20 subcontracts below vendor 1).
local B = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") ..
    "common.lua")
local path, hdrs

function init(args)
	path = args[1]
	hdrs = B.headers({ ["Accept"] = "application/json" })
end

function request()
	return wrk.format("GET", path, hdrs)
end
