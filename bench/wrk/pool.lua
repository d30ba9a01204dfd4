-- wrk script for bench/wrk.mjs: sends the pre-signed requests of the pool file one after another,
-- each once. When the pool runs dry it sends a request without Twitch headers (a 400), so a run
-- that outlasts its pool shows up as non-2xx instead of flattering the target with duplicates.
local requests = {}
local next_index = 0

function init(args)
  local file = assert(io.open(args[1], "rb"))
  local data = file:read("*a")
  file:close()
  for request in string.gmatch(data, "([^\30]+)") do requests[#requests + 1] = request end
end

function request()
  next_index = next_index + 1
  if next_index > #requests then return wrk.format("POST", nil, nil, "{}") end
  return requests[next_index]
end
