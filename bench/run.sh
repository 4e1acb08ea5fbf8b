#!/usr/bin/env bash
# Framing benchmarks (BenchmarkDotNet, short in-process job) in Release. Prints the usual table, then
# payload MB/s and bytes allocated per frame for each case. Optional argument: a --filter glob.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${BENCH_ARTIFACTS:-/tmp/linkactors-bench}"
dotnet run -c Release --project bench/LinkActors.Bench --artifacts-path "$out/build" -- \
  --filter "${1:-*}" --artifacts "$out/results"
