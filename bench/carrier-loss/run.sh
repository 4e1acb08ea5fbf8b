#!/usr/bin/env bash
# Carrier loss to IP flowing again (issue 19): the emulated BC66 drops carrier while a ping every 50 ms
# flows through the client's TUN interface (persist, holdoff 0); prints each cycle and min/median/max.
# The issue's bound is holdoff + 2 s. Needs root (a network namespace, TUN) and ping.
# Usage: bench/carrier-loss/run.sh [cycles]   (default 10)
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARRIER_LOSS_CYCLES=${1:-10}
dotnet test tests/LinkActors.Actors.Tests/LinkActors.Actors.Tests.csproj -c Release -nologo \
  --filter "FullyQualifiedName~CarrierLossHealBench" --logger "console;verbosity=detailed" \
  | grep -E "cycle [0-9]+:|carrier loss -> IP flowing again,|Passed|Failed|Error"
