-- wrk script for the Oxidesk benchmarks (bench/http.sh).
--
-- Headers from the environment:
--   BENCH_TOKEN   sent as the `api_access_token` header (the agent API)
--   BENCH_COOKIE  sent as the `Cookie` header (the dashboard's session)
-- Paths from the file named by BENCH_PATHS, one a line, taken in turn (each wrk thread starts
-- at another line), so that one scenario can rotate over ids, filters or search queries.
-- Without BENCH_PATHS every request goes to the URL given to wrk.

local token = os.getenv("BENCH_TOKEN")
local cookie = os.getenv("BENCH_COOKIE")
local file = os.getenv("BENCH_PATHS")

if token and #token > 0 then
  wrk.headers["api_access_token"] = token
end
if cookie and #cookie > 0 then
  wrk.headers["Cookie"] = cookie
end

local paths = {}
if file and #file > 0 then
  for line in io.lines(file) do
    if #line > 0 then
      paths[#paths + 1] = line
    end
  end
end

local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("offset", counter)
end

local n = 0

function request()
  if #paths == 0 then
    return wrk.format()
  end
  n = n + 1
  local i = ((n + (offset or 0)) % #paths) + 1
  return wrk.format(nil, paths[i])
end
