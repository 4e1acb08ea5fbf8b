#!/bin/sh
# /etc/ppp/ipv6-up: interface tty speed local-link-local remote-link-local ipparam
exec >/dev/console 2>&1
. /etc/la-guest.conf
echo "LA-GUEST: ipv6-up $1 local=$4 remote=$5"
if [ "$LA_PING" = 1 ]; then
  if ping -6 -c 3 -w 8 -I "$1" "$5" >/dev/null; then echo "LA-GUEST: ping6 $5 ok"; else echo "LA-GUEST: ping6 $5 failed"; fi
fi
