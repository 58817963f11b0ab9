-- wrk script of scale.sh: every connection cycles through the request paths
-- of the file named by $PATHS (one a line, written by scalebench paths), each
-- thread from its own starting point (37 paths further) so that the threads do not ask the same
-- query at the same moment.
--
--   PATHS=paths.txt wrk -t2 -c16 -d25s --latency -s internal/bench/wrk-cycle.lua http://127.0.0.1:PORT

local paths = {}
for line in io.lines(os.getenv("PATHS")) do
  if line ~= "" then paths[#paths + 1] = line end
end
if #paths == 0 then error("wrk-cycle.lua: no paths in " .. tostring(os.getenv("PATHS"))) end

local threads = 0
function setup(thread)
  thread:set("first", threads)
  threads = threads + 1
end

local i = nil
function request()
  if i == nil then
    i = ((first or 0) * 37) % #paths
  end
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
