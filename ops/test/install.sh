#!/usr/bin/env bash
# The amd64 package in a clean Debian root of the machine's own release: the README's commands work inside it, and
# remove then purge leave nothing behind (the root's file list before installing and after purging are compared).
source "$(dirname "$0")/lib.sh"
deb=${1:-$(packages_dir)/linkactors_$(package_version)_amd64.deb}
[ -f "$deb" ] || fail "no package $deb (run ops/package.sh)"
root=$(new_root)
trap 'remove_root "$root"' EXIT

# What is in the root, with owner and mode, leaving out what dpkg and apt log by themselves.
snapshot() {
  (cd "$1" && find . -xdev \( -path ./proc -o -path ./sys -o -path ./dev -o -path ./run -o -path ./tmp \) -prune -o -printf '%p %u:%g %m\n' \
    | grep -vE '^\./var/(lib/dpkg|log|cache/debconf)/' | sort)
}
snapshot "$root" > "$root.before"
cp "$deb" "$root/tmp/linkactors.deb"

in_root "$root" dpkg -i /tmp/linkactors.deb || fail "dpkg -i"
say "ok: installed $(basename "$deb") into a clean $(debian_release) root"
v=$(in_root "$root" linkactors --version) || fail "linkactors --version"
[ "$v" = "$(package_version)" ] || fail "linkactors --version printed '$v', expected $(package_version)"
say "ok: linkactors --version: $v"
in_root "$root" linkactors check-config /etc/linkactors/links.conf || fail "check-config"
say "ok: check-config /etc/linkactors/links.conf"
in_root "$root" getent passwd linkactors >/dev/null || fail "no system user linkactors"
mode=$(stat -c '%a %U' "$root/etc/linkactors/token.env"); [ "$mode" = "600 root" ] || fail "token.env is $mode, not 600 root"
grep -q '^LINKACTORS_TOKEN=[0-9a-f]\{48\}$' "$root/etc/linkactors/token.env" || fail "token.env holds no token"
say "ok: system user linkactors, /etc/linkactors/token.env 0600 with a token"
[ -L "$root/etc/systemd/system/multi-user.target.wants/linkactors.service" ] || fail "service not enabled"
say "ok: linkactors.service enabled"
in_root "$root" timeout 180 linkactors demo --endpoints > "$root.demo" 2>&1 || { tail -20 "$root.demo"; fail "demo --endpoints"; }
say "ok: linkactors demo --endpoints ($(wc -l < "$root.demo") lines, last: $(tail -1 "$root.demo"))"

# An upgrade (the same package again, as a reinstall) keeps an edited links.conf.
echo "# edited by the administrator" >> "$root/etc/linkactors/links.conf"
in_root "$root" dpkg -i --force-confold /tmp/linkactors.deb >/dev/null || fail "reinstall"
grep -q "edited by the administrator" "$root/etc/linkactors/links.conf" || fail "reinstall lost the edited links.conf"
say "ok: reinstall keeps the edited links.conf"

in_root "$root" dpkg --remove linkactors || fail "dpkg --remove"
[ ! -e "$root/usr/bin/linkactors" ] && [ -f "$root/etc/linkactors/links.conf" ] || fail "remove: binary still there or config gone"
say "ok: remove takes the program and keeps the configuration"
in_root "$root" dpkg --purge linkactors || fail "dpkg --purge"
rm -f "$root/tmp/linkactors.deb"
snapshot "$root" > "$root.after"
if ! diff "$root.before" "$root.after" > "$root.diff"; then
  grep -vE '^[<>] \./etc/(passwd|group|shadow|gshadow)-? ' "$root.diff" | grep '^[<>]' && fail "purge left the root changed (above)"
fi
! grep -q linkactors "$root/etc/passwd" "$root/etc/group" "$root/etc/shadow" || fail "purge left the user or group"
say "ok: remove and purge leave nothing behind ($(wc -l < "$root.before") paths compared)"
rm -f "$root.before" "$root.after" "$root.diff" "$root.demo"
