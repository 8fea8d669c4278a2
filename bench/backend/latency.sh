#!/bin/sh
# latency.sh — start atlas-backend --scenario scale and measure list/detail/overview with wrk.
# Copyright 2026 The TenantAtlas Operator authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: bench/backend/latency.sh [path/to/atlas-backend] [duration] [connections]
# Targets on a 2-core machine: list p95 < 20 ms, overview p95 < 50 ms.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
backend=${1:-"$root/_build-backend/src/backend/atlas-backend"}
duration=${2:-10s}
connections=${3:-8}
port=${ATLAS_BENCH_PORT:-18751}
base="http://127.0.0.1:$port/api/v1"

command -v wrk >/dev/null || { echo "wrk is not installed" >&2; exit 77; }
[ -x "$backend" ] || { echo "no atlas-backend at $backend (build it first)" >&2; exit 1; }

tokens=$(mktemp)
log=$(mktemp)
"$backend" --scenario scale --listen "127.0.0.1:$port" --print-tokens >"$tokens" 2>"$log" &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -f "$tokens" "$log"' EXIT INT TERM

i=0
until grep -q '^operator ' "$tokens" 2>/dev/null; do
  i=$((i + 1)); [ $i -lt 600 ] || { cat "$log" >&2; exit 1; }
  kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.1
done
grep 'ready in' "$log" | sed 's/^atlas-backend: /seeding: /'
ATLAS_TOKEN=$(awk '$1 == "operator" { print $2 }' "$tokens")
export ATLAS_TOKEN

run_id=$(curl -sf -H "Authorization: Bearer $ATLAS_TOKEN" "$base/workspaces/1/operations?per_page=1&page=500" |
         sed -n 's/^{"data":\[{"id":\([0-9]*\).*/\1/p')
echo "machine: $(nproc) cores; wrk -t2 -c$connections -d$duration; detail run id $run_id"

bench() {
  ATLAS_LABEL=$1 wrk -t2 -c"$connections" -d"$duration" --latency -s "$here/auth.lua" "$2" | tail -n 1
}

bench list      "$base/workspaces/1/operations"
bench list-p40  "$base/workspaces/1/operations?tab=completed&page=40"
bench list-tnt  "$base/workspaces/1/operations?tenant_id=42&tab=terminal_follow_up"
bench detail    "$base/workspaces/1/operations/$run_id"
bench overview  "$base/workspaces/1/overview"
bench dashboard "$base/tenants/42/dashboard"
