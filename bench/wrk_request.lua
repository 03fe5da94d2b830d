-- wrk: one request, described by the environment (bench/http_bench.py sets it).
-- BENCH_COOKIES and BENCH_BODIES ("|"-separated, in pairs): each request takes the next
-- pair, so that the load is several people, each with their own draft and CSRF token.
-- Each of wrk's threads takes its own share of the people (BENCH_THREADS shares): with one
-- connection and one person a thread, no two requests in flight are one person's, as with
-- real people (two requests of one person at once is the 1-draft row).
wrk.method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
if body and body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end
local cookie = os.getenv("BENCH_COOKIE")
if cookie and cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end

local cookies, bodies = {}, {}
for value in (os.getenv("BENCH_COOKIES") or ""):gmatch("[^|]+") do
  table.insert(cookies, value)
end
for value in (os.getenv("BENCH_BODIES") or ""):gmatch("[^|]+") do
  table.insert(bodies, value)
end
local turn = 0
local threads = 0
local shares = tonumber(os.getenv("BENCH_THREADS")) or 1
local size = math.floor(#cookies / shares)
assert(#cookies == 0 or (size > 0 and size * shares == #cookies), "people must share evenly")
share = 0

setup = function(thread)
  thread:set("share", threads)
  threads = threads + 1
end

request = function()
  if #cookies == 0 then
    return wrk.format()
  end
  turn = turn % size + 1
  local person = share * size + turn
  local headers = {
    ["Cookie"] = cookies[person],
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }
  return wrk.format(nil, nil, headers, bodies[person])
end
