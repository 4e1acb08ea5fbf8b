#!/usr/bin/env bash
# Builds the packages (ops/package.sh, cached) and checks what is in them: dpkg-deb --info/--contents, lintian
# (apart from the overrides documented in ops/debian/lintian-overrides*), and the unit with systemd-analyze verify.
source "$(dirname "$0")/lib.sh"
"$repo/ops/package.sh" >/dev/null || fail "ops/package.sh"
v=$(package_version); dir=$(packages_dir)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
for arch in amd64 arm64 all; do
  deb="$dir/linkactors_${v}_$arch.deb"
  [ -f "$deb" ] || fail "no $deb"
  info=$(dpkg-deb --info "$deb")
  grep -q "^ Version: $v$" <<<"$info" && grep -q "^ Architecture: $arch$" <<<"$info" || fail "$deb: control says $info"
  grep -qx ' */etc/linkactors/links.conf' <<<"$(dpkg-deb --info "$deb" conffiles)" || fail "$deb: links.conf is no conffile"
  contents=$(dpkg-deb --contents "$deb")
  for f in ./usr/bin/linkactors ./lib/systemd/system/linkactors.service ./etc/linkactors/links.conf \
           ./usr/share/man/man1/linkactors.1.gz ./usr/share/bash-completion/completions/linkactors \
           ./usr/share/doc/linkactors/copyright ./usr/lib/linkactors/linkactors.dll; do
    grep -q " $f\( \|$\)" <<<"$contents" || fail "$deb has no $f"
  done
  say "ok: $arch package: $(stat -c %s "$deb" | numfmt --to=iec) file, $(sed -n 's/^ Installed-Size: //p' <<<"$info" | numfmt --from-unit=1024 --to=iec) installed, $(wc -l <<<"$contents") entries"
done
# lintian takes a minute a package on a busy machine: the three run side by side.
for arch in amd64 arm64 all; do
  lintian --tag-display-limit 0 --fail-on error,warning "$dir/linkactors_${v}_$arch.deb" > "$work/lintian-$arch" 2>&1 &
done
for arch in amd64 arm64 all; do
  wait -n || true
done
for arch in amd64 arm64 all; do
  if grep -E '^[EW]: ' "$work/lintian-$arch"; then fail "lintian $arch"; fi
  say "ok: lintian $arch: no error or warning"
done
# The unit as installed, with ExecStart pointed at the extracted program (verify wants the binary to exist).
dpkg-deb -x "$dir/linkactors_${v}_amd64.deb" "$work/x"
sed "s|^ExecStart=/usr/bin/linkactors|ExecStart=$work/x/usr/lib/linkactors/linkactors|" \
  "$work/x/lib/systemd/system/linkactors.service" > "$work/linkactors.service"
systemd-analyze verify --man=no "$work/linkactors.service" || fail "systemd-analyze verify"
say "ok: systemd-analyze verify linkactors.service; $(systemd-analyze security --offline=true "$work/linkactors.service" 2>&1 | tail -1 | sed 's/→ //')"
grep -q '^AmbientCapabilities=CAP_NET_ADMIN$' "$work/linkactors.service" && grep -q '^CapabilityBoundingSet=CAP_NET_ADMIN$' "$work/linkactors.service" \
  && grep -q '^Type=notify$' "$work/linkactors.service" && grep -q '^User=linkactors$' "$work/linkactors.service" || fail "unit: not Type=notify, User=linkactors, CAP_NET_ADMIN only"
say "ok: unit is Type=notify, User=linkactors, CAP_NET_ADMIN only"
