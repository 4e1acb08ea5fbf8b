#!/usr/bin/env bash
# Footprint benchmark: a client `linkactors run` (one link, TUN mode) over a socat pty pair to a server
# `linkactors run`, each in its own network namespace. Prints, for the client daemon:
#   start-to-first-LCP-ConfReq and start-to-IPCP-up (from process start to the line in its --debug log,
#   polled every 10 ms), RSS/threads/FDs after start, after link-up, and after an iperf3 run, and idle
#   CPU % and context switches/s (voluntary + involuntary, all threads) with the link up and no traffic.
# Not part of test.sh. Needs root, socat, iperf3 (installed if missing), the .NET SDK.
# Usage: bench/footprint/run.sh [idle-seconds (60)] [iperf-seconds (10)]
# Environment: LINKACTORS_DLL (default: a Release build of src/LinkActors.Host), extra DOTNET_* to compare.
set -euo pipefail
cd "$(dirname "$0")/../.."
IDLE=${1:-60}
IPERF=${2:-10}
ID=$(head -c4 /dev/urandom | od -An -tx1 | tr -d ' \n')
NS_A="la-test-fp-a-$ID"
NS_B="la-test-fp-b-$ID"
WORK=$(mktemp -d /tmp/la-footprint-XXXXXX)
PIDS=()

[ "$(id -u)" = 0 ] || { echo "run as root (namespaces, TUN)" >&2; exit 1; }
command -v iperf3 >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y iperf3 >/dev/null
command -v socat >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y socat >/dev/null

cleanup() {
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do kill "${PIDS[i]}" 2>/dev/null || true; done
  wait 2>/dev/null || true
  ip netns del "$NS_A" 2>/dev/null || true
  ip netns del "$NS_B" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# The runtime knobs the systemd unit sets (DOTNET_* Environment= lines) apply here too, so that the
# figures are those of the daemon as shipped; LINKACTORS_UNIT_ENV=0 leaves them out.
if [ "${LINKACTORS_UNIT_ENV:-1}" != 0 ]; then
  while read -r kv; do export "${kv?}"; echo "from ops/linkactors.service: $kv"; done \
    < <(sed -n 's/^Environment=\(DOTNET_[A-Za-z0-9_]*=[^ ]*\)$/\1/p' ops/linkactors.service)
fi

DLL=${LINKACTORS_DLL:-}
if [ -z "$DLL" ]; then
  dotnet build src/LinkActors.Host/LinkActors.Host.csproj -c Release -nologo -v q -o "$WORK/host" >/dev/null
  DLL="$WORK/host/linkactors.dll"
fi

config() { # name device role-body
  cat <<CONF
linkactors.management.enabled = false
linkactors.links.$1 {
  device = "$2"
  local = true
  lock = false
  network { mode = tun, interface = "fp$ID", state-directory = "$WORK/state-$1", usepeerdns-file = "$WORK/resolv-$1" }
  $3
}
CONF
}

now() { date +%s.%N; }
since() { python3 -c "import sys; print('%.0f ms' % (1000*(float(sys.argv[2])-float(sys.argv[1]))))" "$1" "$2"; }
wait_line() { # file regex timeout-s -> prints the time it appeared
  local deadline=$(( $(date +%s) + $3 ))
  until grep -qE "$2" "$1" 2>/dev/null; do
    [ "$(date +%s)" -lt $deadline ] || { echo "timed out waiting for /$2/ in $1" >&2; tail -20 "$1" >&2; exit 1; }
    sleep 0.01
  done
  now
}
rss_line() { # pid label
  local pid=$1
  local rss hwm threads fds
  rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
  hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status")
  threads=$(awk '/^Threads/ {print $2}' "/proc/$pid/status")
  fds=$(ls "/proc/$pid/fd" | wc -l)
  local anon file shmem
  anon=$(awk '/^RssAnon/ {print $2}' "/proc/$pid/status")
  file=$(awk '/^RssFile/ {print $2}' "/proc/$pid/status")
  shmem=$(awk '/^RssShmem/ {print $2}' "/proc/$pid/status")
  printf '%-28s RSS %6.1f MB (anon %5.1f, file %5.1f, shmem %5.1f; peak %6.1f MB)  threads %3d  FDs %3d\n' "$2" \
    "$(echo "$rss/1024" | bc -l)" "$(echo "$anon/1024" | bc -l)" "$(echo "$file/1024" | bc -l)" "$(echo "$shmem/1024" | bc -l)" \
    "$(echo "$hwm/1024" | bc -l)" "$threads" "$fds"
}
switches() { # pid -> voluntary+involuntary context switches over all threads
  cat /proc/"$1"/task/*/status 2>/dev/null | awk '/ctxt_switches/ {s += $2} END {print s}'
}
ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
per_thread() { # pid -> "tid name switches" per thread
  local t
  for t in /proc/"$1"/task/*; do
    echo "${t##*/} $(tr ' ' '_' <"$t/comm") $(awk '/ctxt_switches/ {s += $2} END {print s}' "$t/status" 2>/dev/null)"
  done
}

for ns in "$NS_A" "$NS_B"; do
  ip netns add "$ns"
  ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  ip netns exec "$ns" ip link set lo up
done
socat PTY,raw,echo=0,link="$WORK/pty-a" PTY,raw,echo=0,link="$WORK/pty-b" & PIDS+=($!)
for _ in $(seq 100); do [ -e "$WORK/pty-a" ] && [ -e "$WORK/pty-b" ] && break; sleep 0.05; done

config server "$WORK/pty-b" 'role = server
  ipcp { local = "192.0.2.1", remote = "192.0.2.2" }' >"$WORK/server.conf"
config client "$WORK/pty-a" 'ipcp { noipdefault = true }' >"$WORK/client.conf"

ip netns exec "$NS_B" dotnet "$DLL" run "$WORK/server.conf" >"$WORK/server.log" 2>&1 & PIDS+=($!)
t0=$(now)
ip netns exec "$NS_A" dotnet "$DLL" run "$WORK/client.conf" --debug >"$WORK/client.log" 2>&1 & PIDS+=($!); CLIENT=$!
t_confreq=$(wait_line "$WORK/client.log" 'sent \[LCP ConfReq' 30)
t_up=$(wait_line "$WORK/client.log" 'client: IPCP up' 60)
echo "== linkactors run, one link, TUN mode, client daemon (pid $CLIENT)"
echo "start to first LCP ConfReq   $(since "$t0" "$t_confreq")"
echo "start to IPCP up             $(since "$t0" "$t_up")"
rss_line "$CLIENT" "after link-up"
echo "runtime settings: $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["runtimeOptions"].get("configProperties", {}))' "${DLL%.dll}.runtimeconfig.json")"

# Settle, then the idle window: link up, no traffic.
sleep 5
per_thread "$CLIENT" >"$WORK/threads0"
s0=$(switches "$CLIENT"); c0=$(ticks "$CLIENT"); w0=$(now)
sleep "$IDLE"
s1=$(switches "$CLIENT"); c1=$(ticks "$CLIENT"); w1=$(now)
per_thread "$CLIENT" >"$WORK/threads1"
python3 -c "import sys
s0,s1,c0,c1,w0,w1,hz=map(float,sys.argv[1:])
print('idle %.0f s: context switches %.1f/s, CPU %.2f%% of a core' % (w1-w0, (s1-s0)/(w1-w0), 100*(c1-c0)/hz/(w1-w0)))" \
  "$s0" "$s1" "$c0" "$c1" "$w0" "$w1" "$(getconf CLK_TCK)"
echo "threads that woke during the idle window (context switches/s):"
python3 - "$WORK/threads0" "$WORK/threads1" "$IDLE" <<'PY'
import sys
before = {l.split()[0]: l.split() for l in open(sys.argv[1]) if len(l.split()) == 3}
after = [l.split() for l in open(sys.argv[2]) if len(l.split()) == 3]
rows = []
for tid, name, n in after:
    d = int(n) - int(before.get(tid, [tid, name, 0])[2])
    if d > 0:
        rows.append((d, name, tid))
for d, name, tid in sorted(rows, reverse=True):
    print("  %-24s %8.1f/s" % (name.replace("_", " "), d / float(sys.argv[3])))
PY
rss_line "$CLIENT" "after ${IDLE}s idle"

ip netns exec "$NS_B" iperf3 -s -B 192.0.2.1 >/dev/null 2>&1 & PIDS+=($!)
sleep 0.5
rate=$(timeout $((IPERF + 20)) ip netns exec "$NS_A" iperf3 -c 192.0.2.1 -t "$IPERF" --connect-timeout 3000 -J \
  | python3 -c 'import json,sys; print("%.1f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]/1e6))' || echo "n/a")
echo "iperf3 ${IPERF}s client->server: $rate Mbit/s"
rss_line "$CLIENT" "after iperf3"
