-- wrk script: every connection is one phone walking whole USSD sessions through the report dialog,
-- the way Africa's Talking relays them (same sessionId, text growing with each answer).
-- Run with as many threads as connections (-t N -c N) so each session's steps stay in order.

local answers = { "1", "1", "2", "Nakuru", "1", "Kibuye market * stall 4", "Traders threatened by a gang at night", "2", "1" }
local path = "/webhooks/ussd/africastalking"
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local function escape(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  session, step, text = 0, 0, ""
  ends, errors, other = 0, 0, 0
  prefix = args[1] or "bench"
  query = args[2] and ("?secret=" .. args[2]) or ""
end

function request()
  if step == 0 then
    session = session + 1
    text = ""
  else
    text = (step == 1) and answers[1] or (text .. "*" .. answers[step])
  end
  local phone = string.format("+2547%02d%06d", id % 100, session % 1000000)
  local body = "sessionId=" .. prefix .. "-" .. id .. "-" .. session ..
    "&serviceCode=%2A384%2A57%23&phoneNumber=" .. escape(phone) .. "&networkCode=63902&text=" .. escape(text)
  step = (step + 1) % (#answers + 1)
  return wrk.format("POST", path .. query, { ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end

function response(status, headers, body)
  if status ~= 200 then
    errors = errors + 1
  elseif body:sub(1, 4) == "END " then
    ends = ends + 1
  elseif body:sub(1, 4) ~= "CON " then
    other = other + 1
  end
end

function done(summary, latency, requests)
  local e, x, o = 0, 0, 0
  for _, t in ipairs(threads) do
    e = e + t:get("ends"); x = x + t:get("errors"); o = o + t:get("other")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT steps=%d seconds=%.1f steps_per_s=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f reports=%d non200=%d bad_body=%d socket_errors=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e, x, o, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
