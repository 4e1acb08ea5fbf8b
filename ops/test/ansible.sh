#!/usr/bin/env bash
# The Ansible role and the rolling upgrade against two clean Debian roots (chroot connection): the first run installs
# and configures (--diff), the second changes nothing, and a deliberately broken version stops the rollout after
# the first batch, whose device is rolled back to the version it ran before.
source "$(dirname "$0")/lib.sh"
command -v ansible-playbook >/dev/null || fail "ansible is missing (apt-get install ansible)"
v=$(package_version)
deb="$(packages_dir)/linkactors_${v}_amd64.deb"
[ -f "$deb" ] || fail "no package $deb (run ops/package.sh)"
work=$(mktemp -d)
pi1=$(new_root); pi2=$(new_root)
trap 'tail -n 8 "$pi1/var/lib/linkactors/daemon.log" 2>/dev/null; remove_root "$pi1"; remove_root "$pi2"; rm -rf "$work"' EXIT

# The broken release: the same package as version $v.1-broken whose program exits at once.
dpkg-deb -R "$deb" "$work/broken"
sed -i "s/^Version: .*/Version: ${v}+broken1/" "$work/broken/DEBIAN/control"
rm "$work/broken/usr/bin/linkactors"
printf '#!/bin/sh\necho "linkactors: a deliberately broken build" >&2\nexit 70\n' > "$work/broken/usr/bin/linkactors"
chmod 0755 "$work/broken/usr/bin/linkactors"
dpkg-deb --root-owner-group -Znone --build "$work/broken" "$work/linkactors_${v}+broken1_amd64.deb" >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cat > "$work/inventory" <<INV
[linkactors]
pi1 ansible_host=$pi1 linkactors_management_port=$(free_port)
pi2 ansible_host=$pi2 linkactors_management_port=$(free_port)

[linkactors:vars]
ansible_connection=community.general.chroot
ansible_python_interpreter=/usr/bin/python3
linkactors_service_manager=daemon
linkactors_ready_timeout=6
linkactors_package_file=$deb
INV
cat > "$work/vars.yml" <<'VARS'
linkactors_links:
  field: |
    role = client
    device = "/dev/ttyLA-not-here"
    speed = 115200
    local = true
    required = false
    persist = true
VARS
export ANSIBLE_CONFIG="$repo/ops/ansible/ansible.cfg" ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0
play() { in_roots "$pi1 $pi2" ansible-playbook -i "$work/inventory" -e @"$work/vars.yml" "$@"; }
recap() { grep -E '^pi[12] +:' "$1"; }
changed() { sed -n "s/^$1 .*changed=\([0-9]*\).*/\1/p" "$2"; }
installed() { chroot "$1" dpkg-query -W -f='${Version}' linkactors; }

play --diff "$repo/ops/ansible/site.yml" > "$work/run1" 2>&1 || { tail -40 "$work/run1"; fail "first run of site.yml"; }
grep -q '^+++ after' "$work/run1" || fail "first run showed no --diff"
[ "$(installed "$pi1")" = "$v" ] && [ "$(installed "$pi2")" = "$v" ] || fail "first run did not install $v on both"
say "ok: site.yml with --diff installed $v on pi1 and pi2, both /ready ($(recap "$work/run1" | tr -s ' ' | tr '\n' ';'))"
play --diff "$repo/ops/ansible/site.yml" > "$work/run2" 2>&1 || { tail -40 "$work/run2"; fail "second run of site.yml"; }
[ "$(changed pi1 "$work/run2")" = 0 ] && [ "$(changed pi2 "$work/run2")" = 0 ] || { recap "$work/run2"; fail "second run changed something"; }
say "ok: second run of site.yml: changed=0 on pi1 and pi2"

if play "$repo/ops/ansible/rolling-upgrade.yml" -e linkactors_batch=1 \
     -e linkactors_package_file="$work/linkactors_${v}+broken1_amd64.deb" > "$work/run3" 2>&1; then
  tail -40 "$work/run3"; fail "the rollout of a broken version succeeded"
fi
grep -q 'rolled back to' "$work/run3" || { tail -40 "$work/run3"; fail "no rollback on pi1"; }
grep -q '^pi2 ' "$work/run3" && ! grep -qE '^(ok|changed): \[pi2\]' "$work/run3" || true
if grep -qE '^(ok|changed|fatal): \[pi2\]' "$work/run3"; then fail "the rollout went on to pi2 after pi1 failed"; fi
[ "$(installed "$pi1")" = "$v" ] || fail "pi1 runs $(installed "$pi1") after the rollback, not $v"
[ "$(installed "$pi2")" = "$v" ] || fail "pi2 was changed: $(installed "$pi2")"
in_root "$pi1" curl -fsS "http://127.0.0.1:$(sed -n 's/^pi1 .*linkactors_management_port=\([0-9]*\).*/\1/p' "$work/inventory")/ready" >/dev/null \
  || fail "pi1 is not ready after the rollback"
say "ok: broken ${v}+broken1 stopped the rollout after the first batch (pi1); pi1 rolled back to $v and ready, pi2 untouched at $v"
