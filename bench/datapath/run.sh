#!/usr/bin/env bash
# Data-path benchmark: iperf3 both ways between two network namespaces, three ways:
#   1. baseline-tunpty: the path the PPP link takes, without PPP: the same socat pty pair as in 3
#      (`socat PTY,raw,echo=0 PTY,raw,echo=0`), and on each end tunpty-relay (built here from
#      tunpty-relay.c) relaying TUN <-> pty with a 2-byte length before each packet (a pty is a byte
#      stream: `socat TUN PTY` merges packets and the kernel refuses them). This is the baseline the
#      PPP link is measured against.
#   2. baseline-dgram: socat relaying TUN <-> unix datagram socket on both ends: no pty at all, an upper
#      bound for any user-space relay on this machine.
#   3. linkactors: a client and a server link over a socat pty pair, TUN on both ends.
# CPU is user+system time of the relays (1, 2) or of the process holding both link ends (3), as a
# percentage of one core; the socat joining the pty pair is not counted in 1 or 3.
# Needs root, gcc, socat, iperf3 (installed if missing), the .NET SDK. Everything it creates is removed on exit.
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

cpu_ticks() { # utime+stime of pids, in clock ticks
  local sum=0 pid
  for pid in "$@"; do sum=$((sum + $(awk '{print $14+$15}' "/proc/$pid/stat"))); done
  echo "$sum"
}

namespaces() {
  for ns in "$NS_A" "$NS_B"; do
    ip netns add "$ns"
    # No IPv6 chatter before both relays are up (a failed sendto ends socat).
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  done
}

stop_all() {
  # Newest first: the relays end before the pty pair they read goes away.
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do kill "${PIDS[i]}" 2>/dev/null || true; done
  wait 2>/dev/null || true
  PIDS=()
  ip netns del "$NS_A"; ip netns del "$NS_B"
}

# iperf3 both ways between the namespaces; prints "BENCH <name> <dir> <rate> Mbit/s cpu N% (<note>)"
# per direction, CPU summed over the pids given. Runs in this shell (not in $(...)), so that the iperf3
# server lands in PIDS and is stopped with the rest.
measure() {
  local name=$1 note=$2; shift 2
  ip netns exec "$NS_B" iperf3 -s -B 192.0.2.1 >/dev/null 2>&1 & PIDS+=($!)
  sleep 0.5
  for dir in "" "-R"; do
    label=$([ -z "$dir" ] && echo "a->b" || echo "b->a")
    t0=$(cpu_ticks "$@"); s0=$(date +%s.%N)
    rate=$(timeout $((SECONDS_EACH + 20)) ip netns exec "$NS_A" iperf3 -c 192.0.2.1 -t "$SECONDS_EACH" --connect-timeout 3000 -J $dir | mbits || echo "n/a")
    t1=$(cpu_ticks "$@"); s1=$(date +%s.%N)
    cpu=$(python3 -c "print('%.0f' % (100*($t1-$t0)/$(getconf CLK_TCK)/($s1-$s0)))")
    echo "BENCH $name $label $rate Mbit/s cpu ${cpu}% ($note)"
  done
}

echo "== baseline-tunpty: TUN <-> tunpty-relay <-> socat pty pair <-> tunpty-relay <-> TUN (no PPP), ${SECONDS_EACH}s each way"
gcc -O2 -Wall -Wextra -Werror -o "$WORK/tunpty-relay" bench/datapath/tunpty-relay.c
namespaces
socat PTY,raw,echo=0,link="$WORK/pty-a" PTY,raw,echo=0,link="$WORK/pty-b" & PIDS+=($!); JOIN=$!
for _ in $(seq 100); do [ -e "$WORK/pty-a" ] && [ -e "$WORK/pty-b" ] && break; sleep 0.05; done
ip netns exec "$NS_A" "$WORK/tunpty-relay" bench0 "$WORK/pty-a" & PIDS+=($!); RELAY_A=$!
ip netns exec "$NS_B" "$WORK/tunpty-relay" bench0 "$WORK/pty-b" & PIDS+=($!); RELAY_B=$!
for _ in $(seq 100); do
  ip netns exec "$NS_A" ip link show bench0 >/dev/null 2>&1 && ip netns exec "$NS_B" ip link show bench0 >/dev/null 2>&1 && break
  sleep 0.05
done
ip netns exec "$NS_A" ip addr add 192.0.2.2/24 dev bench0; ip netns exec "$NS_A" ip link set bench0 up
ip netns exec "$NS_B" ip addr add 192.0.2.1/24 dev bench0; ip netns exec "$NS_B" ip link set bench0 up
measure baseline-tunpty "both relays, not the pty socat" $RELAY_A $RELAY_B >"$WORK/tunpty.txt"
cat "$WORK/tunpty.txt"
stop_all

echo "== baseline-dgram: socat TUN <-> unix datagram socket <-> socat TUN (no PPP, no pty), ${SECONDS_EACH}s each way"
namespaces
ip netns exec "$NS_A" socat -b65536 TUN:192.0.2.2/24,tun-type=tun,iff-no-pi,iff-up UNIX-SENDTO:"$WORK/b.sock",bind="$WORK/a.sock" & PIDS+=($!); RELAY_A=$!
ip netns exec "$NS_B" socat -b65536 TUN:192.0.2.1/24,tun-type=tun,iff-no-pi,iff-up UNIX-SENDTO:"$WORK/a.sock",bind="$WORK/b.sock" & PIDS+=($!); RELAY_B=$!
sleep 1
measure baseline-dgram "both socat relays" $RELAY_A $RELAY_B >"$WORK/dgram.txt"
cat "$WORK/dgram.txt"
stop_all

echo "== linkactors: PPP over a socat pty pair, TUN on both ends, ${SECONDS_EACH}s each way"
# The daemon (`linkactors run`) takes its network side from LinkDependencyFactory.Default; until that
# honours network.mode, both ends are driven in one process by the Bench test (client in a, server in b).
LINKACTORS_BENCH=1 LINKACTORS_BENCH_SECONDS="$SECONDS_EACH" dotnet test tests/LinkActors.Actors.Tests -c Release \
  --artifacts-path "$ART" --filter "Category=Bench" --logger "console;verbosity=detailed" 2>&1 \
  | { grep -E "^\s*BENCH" || true; } | sed 's/^\s*//' >"$WORK/linkactors.txt"
cat "$WORK/linkactors.txt"

rate_of() { # BENCH lines on stdin, direction -> Mbit/s
  awk -v dir="$1" '$3 == dir { print $4 }' | head -1
}
ratio() { # numerator denominator -> percentage or n/a
  python3 -c "import sys
try: print('%.0f%%' % (100*float(sys.argv[1])/float(sys.argv[2])))
except (ValueError, ZeroDivisionError): print('n/a')" "$1" "$2"
}
for base in tunpty dgram; do
  ab=$(ratio "$(rate_of 'a->b' <"$WORK/linkactors.txt")" "$(rate_of 'a->b' <"$WORK/$base.txt")")
  ba=$(ratio "$(rate_of 'b->a' <"$WORK/linkactors.txt")" "$(rate_of 'b->a' <"$WORK/$base.txt")")
  [ $base = tunpty ] && echo "ratio vs tun-pty baseline: a->b $ab, b->a $ba" || echo "ratio vs datagram baseline: a->b $ab, b->a $ba"
done
