#!/usr/bin/env bash
# Fleet figures: bytes on the wire per device per day at the defaults (stable link; link failing twice a day),
# and one node's reports/s and RSS with 10,000 simulated devices (FLEET_BENCH_DEVICES to change).
# Prints lines starting with "fleet".
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build tests/LinkActors.Fleet.Tests/LinkActors.Fleet.Tests.csproj -c Release -nologo -v q >/dev/null
dotnet test tests/LinkActors.Fleet.Tests/LinkActors.Fleet.Tests.csproj -c Release --no-build -nologo \
  --filter "Category=Bench${1:+&FullyQualifiedName~$1}" --logger "console;verbosity=detailed" | grep -E "^\s*fleet" | sed 's/^ *//' | sort -u
