-- bench/post-paced.lua: post.lua's POSTs at a set pace, for the long poll.
--   wrk ... -s bench/post-paced.lua URL -- MS [BASE]
-- Each connection waits MS ms before each POST, so 2 connections at 20 ms
-- write at most 100 vendors (and events) a second, whatever the machine.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or ""
dofile(dir .. "post.lua")
local post_init = init
local pause

function init(args)
	pause = tonumber(args[1]) or error("post-paced.lua: MS, then BASE")
	post_init({ args[2] })
end

function delay()
	return pause
end
