-- wrk script: asks for the paths listed (one per line) in the file named
-- by WRK_PATHS, in turn, each thread starting at its own place, so that a
-- run is many distinct requests instead of one repeated; reports like
-- wrk-report.lua.
dofile("bench/wrk-report.lua")

local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do
	paths[#paths + 1] = line
end
local at = 0

init = function(args)
	at = math.random(#paths)
end

request = function()
	at = at % #paths + 1
	return wrk.format("GET", paths[at])
end
