#!/bin/bash
# Builds the user-mode-linux guest that runs real pppd for the interop tests, once, into a cache
# outside the repository, and prints the image directory (holding linux.uml and initrd-uml.gz) as
# the last line of stdout.
#   usage: build-uml.sh [CACHE_ROOT]     (default: $LINKACTORS_UML_CACHE or /var/cache/linkactors/uml)
# The image is keyed by a hash of this script and the guest-*.sh files, so changing any of them
# builds a new image. Debian packages are downloaded with apt-get download and unpacked here;
# nothing is installed on the host.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${1:-${LINKACTORS_UML_CACHE:-/var/cache/linkactors/uml}}
KEY=$(cat "$HERE/build-uml.sh" "$HERE"/guest-*.sh | sha256sum | cut -c1-16)
OUT="$CACHE/$KEY"
mkdir -p "$CACHE"
if [ -f "$OUT/done" ]; then echo "$OUT"; exit 0; fi

# One builder at a time: a second caller waits, then finds the image built.
exec 9>"$CACHE/.lock"
flock -w 900 9 || { echo "timed out waiting for another build" >&2; exit 1; }
if [ -f "$OUT/done" ]; then echo "$OUT"; exit 0; fi

W="$CACHE/build-$KEY.$$"
rm -rf "$W"; mkdir -p "$W/debs"
trap 'rm -rf "$W"' EXIT
cd "$W"
APT="apt-get -o DPkg::Lock::Timeout=600"

# The guest's payload. apt-get download names the current Debian build of each package.
download() { (cd debs && $APT download ppp libpcap0.8 busybox-static user-mode-linux) >&2; }
download || { $APT update >&2 && download; }
mkdir -p x uml
for d in debs/*.deb; do
  case "$d" in *user-mode-linux*) dpkg-deb -x "$d" uml ;; *) dpkg-deb -x "$d" x ;; esac
done
KV=$(ls uml/usr/lib/uml/modules/)

R="$W/rootfs"
mkdir -p "$R"/{bin,sbin,dev,proc,sys,etc/ppp,var/run,var/lock,run,tmp,lib/modules/$KV,lib64}
cp x/bin/busybox "$R/bin/busybox"
for a in $(x/bin/busybox --list); do [ "$a" = busybox ] || ln -sf busybox "$R/bin/$a"; done
cp x/usr/sbin/pppd "$R/sbin/pppd"
# pppd's shared libraries: the host is the same Debian release, so its libc matches the deb's pppd.
LD_LIBRARY_PATH="$W/x/usr/lib/x86_64-linux-gnu" ldd x/usr/sbin/pppd \
  | awk '/=>/ {print $3} /ld-linux/ {print $1}' | while read -r lib; do
    case "$lib" in
      /lib64/*) cp -L "$lib" "$R/lib64/" ;;
      /*) mkdir -p "$R/lib/x86_64-linux-gnu"; cp -L "$lib" "$R/lib/x86_64-linux-gnu/" ;;
    esac
  done
: > "$R/etc/ppp/options"
echo 'root:x:0:0:root:/:/bin/sh' > "$R/etc/passwd"; echo 'root:x:0:' > "$R/etc/group"
# The deb has no modules.dep (depmod runs in its postinst): copy by name, insmod in dependency order.
# ipv6 is a module in this kernel: without it pppd fails IPV6CP with "Interface configuration failed".
for m in slhc crc-ccitt ppp_generic ppp_async bsd_comp ppp_deflate ipv6; do
  f=$(find "uml/usr/lib/uml/modules/$KV/kernel" -name "$m.ko" | head -1)
  [ -n "$f" ] && cp "$f" "$R/lib/modules/$KV/"
done
install -m 755 "$HERE/guest-init.sh" "$R/init"
install -m 755 "$HERE/guest-ip-up.sh" "$R/etc/ppp/ip-up"
install -m 755 "$HERE/guest-ipv6-up.sh" "$R/etc/ppp/ipv6-up"
(cd "$R" && find . | "$W/x/bin/busybox" cpio -o -H newc -R 0:0 2>/dev/null | gzip -9) > initrd-uml.gz

mkdir -p "$OUT.tmp"
cp uml/usr/bin/linux.uml initrd-uml.gz "$OUT.tmp/"
echo "pppd $(dpkg-deb -f debs/ppp_*.deb Version), user-mode-linux $(dpkg-deb -f debs/user-mode-linux_*.deb Version), kernel $KV" > "$OUT.tmp/versions"
touch "$OUT.tmp/done"
rm -rf "$OUT"; mv "$OUT.tmp" "$OUT"
echo "$OUT"
