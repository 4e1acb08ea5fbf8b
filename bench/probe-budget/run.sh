#!/usr/bin/env bash
# Probe bytes a day at the default watchdog.probe-budget, for an idle and a busy link (busy: 0).
set -euo pipefail
cd "$(dirname "$0")"
out="${BENCH_ARTIFACTS:-/tmp/linkactors-bench}"
dotnet run -c Release --project ProbeBudget.csproj --artifacts-path "$out/probe-budget"
