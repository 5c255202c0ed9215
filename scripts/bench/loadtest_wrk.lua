-- wrk script for scripts/bench/loadtest.py --client wrk: single-outcome POST /api/outcomes, closed loop.
-- Each wrk thread reads the signed-in phones from the file named by LOADTEST_PHONES (one per line:
-- cookie, CSRF token, walk list id, comma-separated household ids; tab-separated) and cycles
-- (with the User-Agent they signed in with, LOADTEST_USER_AGENT: sessions are tied to it)
-- through them, a fresh random UUID per outcome. An answer other than 200 with "stored" counts
-- as bad; done() prints one machine-readable line for loadtest.py.
local phones, i, threads = {}, 0, {}
bad = 0  -- a global: done() reads it from each thread with thread:get

function setup(thread)
  thread:set("seed", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() * 1000 + seed)
  for line in io.lines(os.getenv("LOADTEST_PHONES")) do
    local cookie, token, list, doors = line:match("([^\t]+)\t([^\t]+)\t([^\t]+)\t([^\t]+)")
    local ids = {}
    for h in doors:gmatch("%d+") do ids[#ids + 1] = h end
    phones[#phones + 1] = {headers = {["Cookie"] = cookie, ["X-CSRFToken"] = token,
                                      ["Content-Type"] = "application/json",
                                      ["User-Agent"] = os.getenv("LOADTEST_USER_AGENT")}, list = list, doors = ids}
  end
end

local function hex(n) return string.format("%0" .. n .. "x", math.random(0, 16 ^ n - 1)) end

local function uuid4()
  return hex(4) .. hex(4) .. "-" .. hex(4) .. "-4" .. hex(3) .. "-" ..
         string.format("%x", math.random(8, 11)) .. hex(3) .. "-" .. hex(4) .. hex(4) .. hex(4)
end

-- LOADTEST_EMPTY_BATCH: post {"outcomes": []} instead (answered 422 after the whole sign-in path:
-- session, CSRF, the user's row), the floor under every door knock.
local empty = os.getenv("LOADTEST_EMPTY_BATCH")

function request()
  i = i + 1
  local p = phones[(i % #phones) + 1]
  if empty then return wrk.format("POST", "/api/outcomes", p.headers, '{"outcomes":[]}') end
  local body = '{"outcomes":[{"id":"' .. uuid4() .. '","household_id":' .. p.doors[(i % #p.doors) + 1] ..
               ',"walk_list_id":' .. p.list .. ',"code":"refused","recorded_at":"' ..
               os.date("!%Y-%m-%dT%H:%M:%SZ") .. '"}]}'
  return wrk.format("POST", "/api/outcomes", p.headers, body)
end

function response(status, headers, body)
  local ok = empty and status == 422 or not empty and status == 200 and body:find('"stored"', 1, true)
  if not ok then
    if bad == 0 and os.getenv("LOADTEST_WRK_DEBUG") then io.stderr:write(status .. " " .. body:sub(1, 300) .. "\n") end
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local total_bad = 0
  for _, t in ipairs(threads) do total_bad = total_bad + t:get("bad") end
  -- errors: socket failures only; an answer with a bad status is already in total_bad
  io.write(string.format("WRK requests=%d seconds=%.3f p50_ms=%.2f p99_ms=%.2f bad=%d errors=%d\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    total_bad, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
