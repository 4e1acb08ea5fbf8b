#!/usr/bin/env bash
# The one test command: installs what the tests need (Debian packages) when missing,
# builds the solution, runs every test project, and ends with one totals line.
set -uo pipefail
cd "$(dirname "$0")"

need=()
command -v tshark  >/dev/null || need+=(tshark)
command -v socat   >/dev/null || need+=(socat)
command -v pppdump >/dev/null || need+=(ppp)
command -v ip      >/dev/null || need+=(iproute2)
command -v ping    >/dev/null || need+=(iputils-ping)
# The packaging checks (tests/LinkActors.Packaging.Tests): a clean Debian root, lintian, arm64 under qemu-user.
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v lintian     >/dev/null || need+=(lintian)
command -v qemu-aarch64-static >/dev/null || need+=(qemu-user-static)
command -v ansible-playbook >/dev/null || need+=(ansible)
[ -e /usr/aarch64-linux-gnu/lib/libstdc++.so.6 ] || need+=(libc6-arm64-cross libstdc++6-arm64-cross libgcc-s1-arm64-cross)
command -v afl-fuzz >/dev/null || need+=(afl++)
# The fleet page's browser tests (tests/LinkActors.Fleet.Page.Tests): Debian's Chromium, driven by Playwright.
[ -x /usr/bin/chromium ] || need+=(chromium)
# The fleet's NAT test (tests/LinkActors.Fleet.Tests/BehindNatTests): a masquerading router namespace.
command -v nft >/dev/null || need+=(nftables)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing: ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
      || { echo "apt-get install ${need[*]} failed" >&2; exit 1; }
  else
    echo "missing ${need[*]}: run as root or install them (apt-get install ${need[*]})" >&2
    exit 1
  fi
fi

dotnet build LinkActors.sln -c Release -nologo -v q || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
rc=0
for proj in tests/*/*.csproj; do
  name=$(basename "$proj" .csproj)
  # Benchmarks (Category=Bench) run from bench/, never as tests.
  dotnet test "$proj" -c Release --no-build -nologo --filter "Category!=Bench" \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" "$@" || rc=1
done

# The framing codec again on each narrower vector path (AVX2, Vector128, scalar), each checked against
# the byte-at-a-time reference; HdlcVectorPathTests fails a run that did not take its path. .NET 10
# reads DOTNET_EnableAVX512 (DOTNET_EnableAVX512F is the older name, set too).
for switch in "DOTNET_EnableAVX512F=0 DOTNET_EnableAVX512=0:avx2" "DOTNET_EnableAVX2=0:vector128" "DOTNET_EnableHWIntrinsic=0:scalar"; do
  env ${switch%%:*} dotnet test tests/LinkActors.Ppp.Tests/LinkActors.Ppp.Tests.csproj -c Release --no-build -nologo \
    --filter "FullyQualifiedName~LinkActors.Ppp.Tests.Framing" \
    --logger "trx;LogFileName=LinkActors.Ppp.Tests.Framing-${switch##*:}.trx" --results-directory "$results" "$@" || rc=1
done

# Fuzz smoke: every target under afl-fuzz for FUZZ_SECONDS (45 s default; FUZZ_SECONDS=600 for the long run).
# Each target counts as one passed (no crash, no hang) or one failed in the totals.
FUZZ_COUNTS="$results/fuzz.counts" fuzz/run.sh || rc=1

# Totals over every test project, from the TRX counters (and the fuzz targets).
read -r passed failed skipped < <(python3 - "$results" <<'PY'
import sys, glob, os, xml.etree.ElementTree as ET
p = f = s = 0
counts = os.path.join(sys.argv[1], "fuzz.counts")
if os.path.exists(counts):
    fp, ff = open(counts).read().split()
    p += int(fp); f += int(ff)
else:
    f += 1
for t in glob.glob(sys.argv[1] + "/*.trx"):
    c = ET.parse(t).getroot().find(".//{*}Counters")
    if c is None: continue
    p += int(c.get("passed", 0)); f += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0)) + int(c.get("aborted", 0))
    s += int(c.get("total", 0)) - int(c.get("executed", 0)) + int(c.get("notExecuted", 0))
print(p, f, s)
PY
)
[ "${passed:-0}" -gt 0 ] || rc=1
[ "${failed:-0}" -eq 0 ] || rc=1
echo "${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
exit $rc
