-- A new description on every request, so every answer is computed by the engine.
local counter = 0
local thread_id = 0
local key = os.getenv("REELGEN_KEY")
local places = {"ocean", "mountains", "city", "desert", "forest", "lake", "harbor", "valley"}
local things = {"sunset", "coffee", "puppy", "sourdough bread", "yoga session", "street market", "bike ride", "concert"}

function setup(thread)
  thread:set("thread_id", thread_id)
  thread_id = thread_id + 1
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"content_description":"%s by the %s, moment %d-%d","style":"casual","hashtag_count":15}',
    things[counter % #things + 1], places[math.floor(counter / #things) % #places + 1], thread_id, counter)
  return wrk.format("POST", "/api/v14/generate",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key}, body)
end
