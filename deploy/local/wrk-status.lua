-- wrk script of the soak (deploy/local/cluster.sh): counts every answer by status code and paces each connection.
-- wrk -s wrk-status.lua URL -- <delay ms between requests of one connection>
-- Prints one line "SOAK-WRK {json}" at the end: requests, status counts, non-2xx, 5xx, socket errors.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  pause = tonumber(args[1] or "0")
  counts = {}
end

function delay()
  return pause
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
  local total, non2xx, fivexx, parts = 0, 0, 0, {}
  local merged = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("counts")) do
      merged[status] = (merged[status] or 0) + n
    end
  end
  for status, n in pairs(merged) do
    total = total + n
    if status < 200 or status > 299 then non2xx = non2xx + n end
    if status >= 500 then fivexx = fivexx + n end
    table.insert(parts, string.format('"%d":%d', status, n))
  end
  local e = summary.errors
  local socket_errors = e.connect + e.read + e.write + e.timeout
  io.write(string.format('SOAK-WRK {"requests":%d,"answered":%d,"status":{%s},"non_2xx":%d,"http_5xx":%d,' ..
    '"socket_errors":%d,"errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d},"p99_ms":%.2f,"max_ms":%.2f}\n',
    summary.requests, total, table.concat(parts, ","), non2xx + socket_errors, fivexx, socket_errors,
    e.connect, e.read, e.write, e.timeout, latency:percentile(99) / 1000, latency.max / 1000))
end
