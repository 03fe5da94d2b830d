-- wrk: one request, described by the environment (bench/http_bench.py sets it).
-- BENCH_COOKIES and BENCH_BODIES ("|"-separated, in pairs): each request takes the next
-- pair, so that the load is several people, each with their own draft and CSRF token.
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

request = function()
  if #cookies == 0 then
    return wrk.format()
  end
  turn = turn % #cookies + 1
  local headers = {
    ["Cookie"] = cookies[turn],
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }
  return wrk.format(nil, nil, headers, bodies[turn])
end
