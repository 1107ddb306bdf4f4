-- wrk script: inbound SMS as Africa's Talking posts them to the short-code callback. Every request is
-- a new message (its own id) from one of 5,000 phones walking the menus; the host stores it, steps
-- the dialog and queues the reply in the outbox before it answers.

local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  n = 0
  prefix = args[1] or "bench"
  secret = args[2] or ""
  errors = 0
end

local texts = { "hello", "1", "2", "Nakuru", "1", "Kibuye market", "Traders threatened by a gang", "yes", "submit", "STATUS 123 456 786", "HELP" }

function request()
  n = n + 1
  local phone = string.format("%%2B2547%02d%06d", id % 100, n % 50)
  local text = texts[(math.floor(n / 50) % #texts) + 1]:gsub(" ", "+")
  local body = "from=" .. phone .. "&to=22384&date=2026-11-28+09%3A00%3A00&linkId=x&id=" .. prefix .. "-" .. id .. "-" .. n .. "&text=" .. text
  return wrk.format("POST", "/webhooks/sms/africastalking?secret=" .. secret, { ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end

function response(status, headers, body)
  if status ~= 200 then errors = errors + 1 end
end

function done(summary, latency, requests)
  local e = 0
  for _, t in ipairs(threads) do e = e + t:get("errors") end
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT inbound=%d seconds=%.1f acks_per_s=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f non200=%d socket_errors=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
