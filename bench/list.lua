-- bench/list.lua: GET /vendors with a text filter and a page of 50.
--   wrk ... -s bench/list.lua URL -- [BASE [miss]]
-- The filter words are parts of the names bench/gen-data writes (kanji,
-- katakana and English), so each page is full or nearly so.  The 18
-- queries repeat, so after the first of each the plugin answers from its
-- list cache (nothing is written meanwhile).  With "miss", every request
-- says "Cache-Control: no-cache", so each is read from MariaDB and
-- encoded, the cache's worst case.  (An unknown query parameter, which
-- once did this, is now 400.)
local B = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") ..
    "common.lua")
local words = { "システム", "物流", "株式会社", "東京", "データ", "サービス",
	"情報", "コンサルティング", "合同会社", "印刷", "Logistics", "Data",
	"Solutions", "Sakura", "Inc.", "ヤマト", "ネットワークス", "鈴木" }
local paths, hdrs

function init(args)
	local base = args[1] or "/vendor-review/api"
	paths = {}
	for i, w in ipairs(words) do
		paths[i] = base .. "/vendors?q=" .. B.urlencode(w) .. "&limit=50"
	end
	hdrs = B.headers({ ["Accept"] = "application/json",
	    ["Cache-Control"] = args[2] == "miss" and "no-cache" or nil })
	math.randomseed(os.time() * 100 + thread_no)
end

function request()
	return wrk.format("GET", paths[math.random(1, #paths)], hdrs)
end
