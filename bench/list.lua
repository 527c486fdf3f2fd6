-- bench/list.lua: GET /vendors with a text filter and a page of 50.
--   wrk ... -s bench/list.lua URL -- [BASE [miss]]
-- The filter words are parts of the names bench/gen-data writes (kanji,
-- katakana and English), so each page is full or nearly so.  The 18
-- queries repeat, so after the first of each the plugin answers from its
-- list cache (nothing is written meanwhile).  With "miss", every request
-- carries a parameter the plugin ignores ("&n=" start time, thread and
-- counter), so no two are the same query, also across runs: each is read
-- from MariaDB and encoded, the cache's worst case.
local B = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") ..
    "common.lua")
local words = { "システム", "物流", "株式会社", "東京", "データ", "サービス",
	"情報", "コンサルティング", "合同会社", "印刷", "Logistics", "Data",
	"Solutions", "Sakura", "Inc.", "ヤマト", "ネットワークス", "鈴木" }
local paths, hdrs, miss, run_id
local counter = 0

function init(args)
	local base = args[1] or "/vendor-review/api"
	paths = {}
	for i, w in ipairs(words) do
		paths[i] = base .. "/vendors?q=" .. B.urlencode(w) .. "&limit=50"
	end
	hdrs = B.headers({ ["Accept"] = "application/json" })
	miss = args[2] == "miss"
	math.randomseed(os.time() * 100 + thread_no)
	run_id = os.time() .. "-" .. thread_no .. "-" .. math.random(1, 1000000000)
end

function request()
	local path = paths[math.random(1, #paths)]
	if miss then
		counter = counter + 1
		path = path .. "&n=" .. run_id .. "-" .. counter
	end
	return wrk.format("GET", path, hdrs)
end
