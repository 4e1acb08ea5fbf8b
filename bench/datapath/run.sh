#!/usr/bin/env bash
# Data-path benchmark: iperf3 both ways between two network namespaces joined by an unthrottled pty pair,
#   1. baseline: the same user-space relay without PPP: socat relaying TUN <-> datagram socket on both ends
#      (a relay straight over the pty pair, `socat TUN PTY`, loses packet boundaries under load: the
#      kernel refuses the merged writes with EINVAL and the relay dies; a datagram socket keeps them), and
#   2. LinkActors: a client and a server link over the pty pair, TUN on both ends.
# Needs root, socat, iperf3 (installed if missing), the .NET SDK. Everything it creates is removed on exit.
# Usage: bench/datapath/run.sh [seconds-per-direction]   (default 10)
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_EACH=${1:-10}
ART=${ARTIFACTS:-/tmp/art-bench}
ID=$(head -c4 /dev/urandom | od -An -tx1 | tr -d ' \n')
NS_A="la-test-bench-a-$ID"
NS_B="la-test-bench-b-$ID"
WORK=$(mktemp -d /tmp/la-bench-XXXXXX)
PIDS=()

[ "$(id -u)" = 0 ] || { echo "run as root (namespaces, TUN)" >&2; exit 1; }
command -v iperf3 >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y iperf3 >/dev/null
command -v socat >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y socat >/dev/null

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  ip netns del "$NS_A" 2>/dev/null || true
  ip netns del "$NS_B" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

mbits() { # iperf3 JSON on stdin -> Mbit/s received
  python3 -c 'import json,sys; print("%.1f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]/1e6))'
}

cpu_ticks() { # utime+stime of a pid, in clock ticks
  awk '{print $14+$15}' "/proc/$1/stat"
}

echo "== baseline: socat TUN <-> datagram socket <-> TUN (no PPP, no pty), ${SECONDS_EACH}s each way"
for ns in "$NS_A" "$NS_B"; do
  ip netns add "$ns"
  # No IPv6 chatter before both relays are bound (a failed sendto ends socat).
  ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done
ip netns exec "$NS_A" socat -b65536 TUN:192.0.2.2/24,tun-type=tun,iff-no-pi,iff-up UNIX-SENDTO:"$WORK/b.sock",bind="$WORK/a.sock" & PIDS+=($!); RELAY_A=$!
ip netns exec "$NS_B" socat -b65536 TUN:192.0.2.1/24,tun-type=tun,iff-no-pi,iff-up UNIX-SENDTO:"$WORK/a.sock",bind="$WORK/b.sock" & PIDS+=($!); RELAY_B=$!
sleep 1
ip netns exec "$NS_B" iperf3 -s -B 192.0.2.1 >/dev/null & PIDS+=($!)
sleep 0.5
for dir in "" "-R"; do
  label=$([ -z "$dir" ] && echo "a->b" || echo "b->a")
  t0=$(( $(cpu_ticks $RELAY_A) + $(cpu_ticks $RELAY_B) )); s0=$(date +%s.%N)
  rate=$(timeout $((SECONDS_EACH + 20)) ip netns exec "$NS_A" iperf3 -c 192.0.2.1 -t "$SECONDS_EACH" --connect-timeout 3000 -J $dir | mbits || echo "n/a")
  t1=$(( $(cpu_ticks $RELAY_A) + $(cpu_ticks $RELAY_B) )); s1=$(date +%s.%N)
  cpu=$(python3 -c "print('%.0f' % (100*($t1-$t0)/$(getconf CLK_TCK)/($s1-$s0)))")
  echo "BENCH baseline $label $rate Mbit/s cpu ${cpu}% (both socat relays)"
done
for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
wait 2>/dev/null || true
PIDS=()
ip netns del "$NS_A"; ip netns del "$NS_B"

echo "== LinkActors: PPP over a pty pair, TUN on both ends, ${SECONDS_EACH}s each way"
# The daemon (`linkactors run`) takes its network side from LinkDependencyFactory.Default; until that
# honours network.mode, both ends are driven in one process by the Bench test.
LINKACTORS_BENCH=1 LINKACTORS_BENCH_SECONDS="$SECONDS_EACH" dotnet test tests/LinkActors.Actors.Tests \
  --artifacts-path "$ART" --filter "Category=Bench" --logger "console;verbosity=detailed" 2>&1 \
  | grep -E "^\s*BENCH" | sed 's/^\s*//'
