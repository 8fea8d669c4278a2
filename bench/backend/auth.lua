-- auth.lua — wrk script: bearer token from $ATLAS_TOKEN, p50/p95/p99 at the end.
-- Copyright 2026 The TenantAtlas Operator authors
-- SPDX-License-Identifier: GPL-3.0-or-later
local token = os.getenv("ATLAS_TOKEN") or ""
wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Accept"] = "application/json"

local statuses = {}
response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

done = function(summary, latency, requests)
  local label = os.getenv("ATLAS_LABEL") or "run"
  io.write(string.format("%-10s requests=%d errors=%d rps=%.0f p50=%.2fms p95=%.2fms p99=%.2fms max=%.2fms\n",
    label, summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status +
      summary.errors.timeout,
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
