-- wrk's script for bench/gateway/run.sh (CLIENT=wrk): posts pre-signed, distinct webhooks from the file that
-- `GatewayLoad requests-file` wrote (WRK_REQUESTS).
-- Thread t of WRK_THREADS keeps requests t, t + n, t + 2n, ... so no two threads send the same one. A thread that
-- runs out starts over (the gateway then answers duplicates without storing them); done() says if that happened.
local counter = 0
local threads = {}

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local threadCount = tonumber(os.getenv("WRK_THREADS"))
  local file = assert(io.open(os.getenv("WRK_REQUESTS"), "rb"))
  local data = file:read("*a")
  file:close()
  mine, position, index, next_index, wrapped = {}, 1, 0, 1, 0
  while position <= #data do
    local newline = string.find(data, "\n", position, true)
    local length = tonumber(string.sub(data, position, newline - 1))
    if index % threadCount == id then
      mine[#mine + 1] = string.sub(data, newline + 1, newline + length)
    end
    position = newline + length + 1
    index = index + 1
  end
end

function request()
  local r = mine[next_index]
  next_index = next_index + 1
  if next_index > #mine then
    next_index = 1
    wrapped = wrapped + 1
  end
  return r
end

function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    if thread:get("wrapped") > 0 then
      io.write("WARNING: a thread ran out of distinct requests; raise the count.\n")
    end
  end
end
