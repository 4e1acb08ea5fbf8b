#!/usr/bin/env bash
# PPP throughput over an unthrottled pty with the CMUX multiplexer (3GPP TS 27.010) against without it:
# the emulated generic LTE modem, the client link dialing it, echo traffic through the link both ways.
# Prints one line per round and mode, then "BENCH cmux ... N% of plain (target >= 80%)".
# No root needed: ptys and loopback TCP only. Usage: bench/cmux/run.sh [packets per round] [rounds]
# CMUX_N1=127 sets another N1 (modem.cmux-n1 and the AT+CMUX command's) than the default 1509.
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${BENCH_ARTIFACTS:-/tmp/linkactors-bench-cmux}"
dotnet run -c Release --project bench/cmux/LinkActors.Bench.Cmux.csproj --artifacts-path "$out" -- "${1:-3000}" "${2:-3}"
