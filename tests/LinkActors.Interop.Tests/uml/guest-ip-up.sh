#!/bin/sh
# /etc/ppp/ip-up: interface tty speed local-address remote-address ipparam
exec >/dev/console 2>&1
. /etc/la-guest.conf
echo "LA-GUEST: ip-up $1 local=$4 remote=$5"
if [ "$LA_PING" = 1 ]; then
  # busybox ping exits 0 when at least one reply came back.
  ( if ping -c 3 -w 8 "$5" >/dev/null; then echo "LA-GUEST: ping $5 ok"; else echo "LA-GUEST: ping $5 failed"; fi ) &
fi
if [ -n "$LA_STOP_AFTER" ]; then
  ( sleep "$LA_STOP_AFTER"; kill -STOP "$(cat /run/la-pppd.pid)" && echo "LA-GUEST: pppd stopped" ) &
fi
if [ -n "$LA_TERM_AFTER" ]; then
  ( sleep "$LA_TERM_AFTER"; kill -TERM "$(cat /run/la-pppd.pid)" && echo "LA-GUEST: pppd terminated" ) &
fi
# No wait: pppd waits for this script at exit, and the background jobs above belong to no one else.
