-- bench/post.lua: POST /vendors with a new, valid vendor each time.
--   wrk ... -s bench/post.lua URL -- [BASE]
-- Each POST is one transaction with its audit row and event (201).
local B = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") ..
    "common.lua")
local brands = { { "東京", "トウキョウ" }, { "富士", "フジ" }, { "大和", "ヤマト" },
	{ "青葉", "アオバ" }, { "ミライ", "ミライ" }, { "北斗", "ホクト" } }
local trades = { { "システム", "システム" }, { "物流", "ブツリュウ" },
	{ "印刷", "インサツ" }, { "データサービス", "データサービス" } }
local bands = { "none", "le_1000", "le_100000", "gt_100000" }
local depts = { "情報システム部", "人事部", "経理部", "総務部", "購買部" }
local path, hdrs, seq

local function flag(p) return math.random() < p and "true" or "false" end

function init(args)
	path = (args[1] or "/vendor-review/api") .. "/vendors"
	hdrs = B.headers({ ["Accept"] = "application/json",
		["Content-Type"] = "application/json" })
	math.randomseed(os.time() * 100 + thread_no)
	seq = 0
end

function request()
	local b = brands[math.random(#brands)]
	local t = trades[math.random(#trades)]
	seq = seq + 1
	local body = string.format('{"name":"株式会社%s%s 第%d-%d",' ..
	    '"name_kana":"%s%s","address":"東京都千代田区丸の内%d-%d-%d",' ..
	    '"contact_name":"山田 花子","contact_email":"hanako.yamada@bench.example.jp",' ..
	    '"contract_type":"jun_inin","owner_department":"%s",' ..
	    '"personal_data":"%s","special_care_data":%s,"payment_data":%s,' ..
	    '"confidential_data":%s,"system_access":%s,"offsite_work":%s}',
	    b[1], t[1], thread_no, seq, b[2], t[2], math.random(9),
	    math.random(30), math.random(20), depts[math.random(#depts)],
	    bands[math.random(#bands)], flag(0.05), flag(0.08), flag(0.4),
	    flag(0.3), flag(0.35))
	return wrk.format("POST", path, hdrs, body)
end
