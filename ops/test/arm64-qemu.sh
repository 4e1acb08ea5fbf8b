#!/usr/bin/env bash
# The arm64 package's program under qemu-user (Debian's qemu-user-static): --version, check-config and
# demo --endpoints complete, and the start-up time (to --version's answer) is printed.
source "$(dirname "$0")/lib.sh"
qemu=$(command -v qemu-aarch64-static || command -v qemu-aarch64 || true)
[ -n "$qemu" ] || fail "qemu-user-static is missing (apt-get install qemu-user-static)"
deb=${1:-$(packages_dir)/linkactors_$(package_version)_arm64.deb}
[ -f "$deb" ] || fail "no package $deb (run ops/package.sh)"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
dpkg-deb -x "$deb" "$work"
exe="$work/usr/lib/linkactors/linkactors"
file -b "$exe" 2>/dev/null | grep -q aarch64 || [ "$(od -An -tx1 -j18 -N2 "$exe" | tr -d ' ')" = b700 ] || fail "$exe is not an arm64 program"
# The self-contained arm64 runtime needs an arm64 glibc: the one qemu-user-static's -L points at.
# Debian's cross packages bring glibc and libstdc++; OpenSSL (for CHAP's MD5) comes from Debian's libssl3 for arm64,
# fetched with apt into a sysroot cached beside the packages.
[ -d /usr/aarch64-linux-gnu/lib ] || fail "no arm64 libc (apt-get install libc6-arm64-cross libstdc++6-arm64-cross libgcc-s1-arm64-cross)"
sysroot="$cache/arm64-sysroot"
if [ ! -f "$sysroot/.done" ]; then
  rm -rf "$sysroot" "$cache/arm64-apt"; mkdir -p "$sysroot" "$cache/arm64-apt/lists/partial" "$cache/arm64-apt/archives/partial"
  cp -a /usr/aarch64-linux-gnu/. "$sysroot/"
  apt_arm64=(-o APT::Architecture=arm64 -o APT::Architectures=arm64 -o Dir::State::Lists="$cache/arm64-apt/lists"
             -o Dir::Cache::Archives="$cache/arm64-apt/archives" -o Dir::State::Status=/dev/null -o Debug::NoLocking=1)
  apt-get -qq "${apt_arm64[@]}" update >/dev/null || fail "apt-get update (arm64 lists)"
  (cd "$cache/arm64-apt/archives" && apt-get -qq "${apt_arm64[@]}" download libssl3:arm64 >/dev/null) || fail "apt-get download libssl3:arm64"
  dpkg-deb -x "$cache"/arm64-apt/archives/libssl3_*_arm64.deb "$cache/arm64-apt/x"
  cp -a "$cache"/arm64-apt/x/usr/lib/aarch64-linux-gnu/. "$sysroot/lib/"
  rm -rf "$cache/arm64-apt"
  touch "$sysroot/.done"
fi
run() { "$qemu" -L "$sysroot" "$exe" "$@"; }
start=$(date +%s%N)
v=$(run --version) || fail "--version under qemu"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$v" = "$(package_version)" ] || fail "--version printed '$v'"
say "ok: arm64 --version under qemu-user: $v, start-up to answer ${ms} ms (emulated on $(uname -m), not a Pi's figure)"
run check-config "$work/etc/linkactors/links.conf" || fail "check-config under qemu"
say "ok: arm64 check-config under qemu-user"
start=$(date +%s%N)
timeout 600 "$qemu" -L "$sysroot" "$exe" demo --endpoints > "$work/demo.log" 2>&1 || { tail -20 "$work/demo.log"; fail "demo --endpoints under qemu"; }
say "ok: arm64 demo --endpoints under qemu-user in $(( ($(date +%s%N) - start) / 1000000 )) ms ($(wc -l < "$work/demo.log") lines)"
