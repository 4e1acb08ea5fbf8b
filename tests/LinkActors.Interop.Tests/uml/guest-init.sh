#!/bin/sh
# The guest's /init: runs one pppd on /dev/ttyS1 (the host's byte stream) and powers off when it
# exits. Everything comes from the kernel command line (unknown key=value parameters reach this
# script's environment):
#   LA_ROLE     server: pppd waits for the host to dial in (passive, assigns 10.0.0.2 and is 10.0.0.1)
#               client: pppd dials the host and takes the address it is given (noipdefault)
#   LA_OPTS     extra pppd options, appended last so they win
#   LA_PAP, LA_CHAP   base64 of /etc/ppp/pap-secrets and /etc/ppp/chap-secrets
#   LA_PING     1: ip-up pings the peer (and ipv6-up pings its link-local address)
#   LA_STOP_AFTER, LA_TERM_AFTER   seconds after ip-up to SIGSTOP pppd (it stops answering) or
#               SIGTERM it (it sends a Terminate-Request)
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null   # UML mounts devtmpfs itself
mkdir -p /dev/pts && mount -t devpts devpts /dev/pts
K=$(uname -r)
for m in slhc crc-ccitt ppp_generic ppp_async bsd_comp ppp_deflate ipv6; do
  [ -f /lib/modules/$K/$m.ko ] && { insmod /lib/modules/$K/$m.ko || echo "insmod $m failed"; }
done
[ -c /dev/ppp ] || mknod /dev/ppp c 108 0
ip link set lo up

[ -n "$LA_PAP" ] && echo "$LA_PAP" | base64 -d > /etc/ppp/pap-secrets
[ -n "$LA_CHAP" ] && echo "$LA_CHAP" | base64 -d > /etc/ppp/chap-secrets
chmod 600 /etc/ppp/*-secrets 2>/dev/null
# pppd runs its scripts with an empty environment: they read their settings from this file.
cat > /etc/la-guest.conf <<CONF
LA_PING='$LA_PING'
LA_STOP_AFTER='$LA_STOP_AFTER'
LA_TERM_AFTER='$LA_TERM_AFTER'
CONF

case "${LA_ROLE:-server}" in
  server) BASE="nodetach debug local noauth passive 10.0.0.1:10.0.0.2 lcp-echo-interval 5 logfd 1" ;;
  client) BASE="nodetach debug local noauth noipdefault logfd 1" ;;
  *) echo "LA-GUEST: unknown role $LA_ROLE"; poweroff -f ;;
esac
echo "LA-GUEST: uptime $(cut -d' ' -f1 /proc/uptime) starting: pppd /dev/ttyS1 115200 $BASE $LA_OPTS"
/sbin/pppd /dev/ttyS1 115200 $BASE $LA_OPTS &
echo $! > /run/la-pppd.pid
wait $!
echo "LA-GUEST: pppd exited rc=$?"
poweroff -f
