-- bench/list.lua: GET /vendors with a text filter and a page of 50.
--   wrk ... -s bench/list.lua URL -- [BASE]
-- The filter words are parts of the names bench/gen-data writes (kanji,
-- katakana and English), so each page is full or nearly so.
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
	hdrs = B.headers({ ["Accept"] = "application/json" })
	math.randomseed(os.time() * 100 + thread_no)
end

function request()
	return wrk.format("GET", paths[math.random(1, #paths)], hdrs)
end
