-- wrk script of bench/http_load.py: every thread cycles through the requests of a file
-- (one per line: METHOD <tab> PATH <tab> HEADERS joined by "||" <tab> BODY), starting at a
-- different line; at the end one JSON line with the figures.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

local function split(text, separator)
  local parts, start = {}, 1
  while true do
    local at = string.find(text, separator, start, true)
    if not at then
      table.insert(parts, string.sub(text, start))
      return parts
    end
    table.insert(parts, string.sub(text, start, at - 1))
    start = at + #separator
  end
end

function init(args)
  requests = {}
  for line in io.lines(args[1]) do
    local fields = split(line, "\t")
    local headers = {}
    if fields[3] and fields[3] ~= "" then
      for _, header in ipairs(split(fields[3], "||")) do
        local colon = string.find(header, ":", 1, true)
        headers[string.sub(header, 1, colon - 1)] = string.sub(header, colon + 2)
      end
    end
    local body = fields[4]
    if body == "" then body = nil end
    table.insert(requests, wrk.format(fields[1], fields[2], headers, body))
  end
  counter = (id * 7919) % #requests
end

function request()
  counter = counter % #requests + 1
  return requests[counter]
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "errors": %d, "non_2xx_3xx": %d, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration,
    errors.connect + errors.read + errors.write + errors.timeout + errors.status,
    errors.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.mean))
end
