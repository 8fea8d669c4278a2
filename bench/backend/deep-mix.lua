-- deep-mix.lua — wrk script: operations pages at every depth, every tab, some filters.
-- Copyright 2026 The TenantAtlas Operator authors
-- SPDX-License-Identifier: GPL-3.0-or-later
local token = os.getenv("ATLAS_TOKEN") or ""
local last = tonumber(os.getenv("ATLAS_LAST_PAGE") or "7600")
local tabs = { "all", "active", "completed", "terminal_follow_up", "active_stale_attention" }
local counter = 0

request = function()
  counter = counter + 1
  local tab = tabs[(counter % #tabs) + 1]
  local page = (counter * 7919) % last + 1
  local path
  if counter % 10 == 0 then
    path = "/api/v1/workspaces/1/operations?page=1000000"
  elseif counter % 7 == 0 then
    path = string.format("/api/v1/workspaces/1/operations?type=policy_backup&page=%d", (page % 1270) + 1)
  else
    path = string.format("/api/v1/workspaces/1/operations?tab=%s&page=%d", tab, page)
  end
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. token })
end

done = function(summary, latency, requests)
  io.write(string.format("wrk requests=%d errors=%d rps=%.0f p50=%.2fms p99=%.2fms max=%.2fms\n",
    summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status +
      summary.errors.timeout,
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
