# Shared by the packaging checks (sourced). Slow things are cached under $LINKACTORS_CACHE and rebuilt when missing.
set -euo pipefail
shopt -s inherit_errexit
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cache=${LINKACTORS_CACHE:-/var/cache/linkactors}
export LINKACTORS_CACHE=$cache
mkdir -p "$cache"

say() { echo "$*"; }
fail() { echo "FAILED: $*" >&2; exit 1; }

# The machine's own Debian release and mirror, from /etc/os-release and its apt sources.
debian_release() { . /etc/os-release; echo "${VERSION_CODENAME:?no VERSION_CODENAME in /etc/os-release}"; }
debian_mirror() {
  local m
  m=$(grep -rhoE '^(URIs:|deb) +https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null \
      | grep -oE 'https?://[^ ]+' | head -1 || true)
  echo "${m:-http://deb.debian.org/debian}"
}

# A tarball of a clean Debian root (minbase, plus what the package and Ansible's chroot connection need), made once.
base_tarball() {
  local release arch=${1:-amd64}; release=$(debian_release)
  local tar="$cache/debootstrap-$release-$arch.tar"
  if [ ! -f "$tar" ]; then
    command -v debootstrap >/dev/null || fail "debootstrap is missing (apt-get install debootstrap)"
    local dir; dir=$(mktemp -d "$cache/debootstrap.XXXXXX")
    echo "debootstrap $release ($arch) from $(debian_mirror): once, cached in $tar" >&2
    debootstrap --variant=minbase --arch="$arch" --include=adduser,libssl3,python3,python3-apt,procps,curl \
      "$release" "$dir" "$(debian_mirror)" > "$cache/debootstrap.log" 2>&1 \
      || { tail -20 "$cache/debootstrap.log" >&2; rm -rf "$dir"; fail "debootstrap $release"; }
    chroot "$dir" apt-get clean
    tar -C "$dir" -cf "$tar.tmp" . && mv "$tar.tmp" "$tar"
    rm -rf "$dir"
  fi
  echo "$tar"
}

# new_root -> a fresh directory holding a clean Debian root
new_root() {
  local tar; tar=$(base_tarball)
  local dir; dir=$(mktemp -d /tmp/la-root.XXXXXX); chmod 0755 "$dir"
  tar -C "$dir" -xf "$tar"
  chmod 0755 "$dir"   # the tarball keeps mktemp's 0700 for its top
  echo "$dir"
}

# in_roots "ROOT1 ROOT2" COMMAND...: runs COMMAND in a private mount namespace in which each root has /proc, /dev,
# /dev/pts and /sys mounted; the mounts vanish with the namespace, so nothing is left mounted on the host.
in_roots() {
  local roots=$1; shift
  unshare --mount --propagation private bash -c '
    set -e
    for r in $1; do
      mount -t proc proc "$r/proc"; mount --rbind /dev "$r/dev"; mount --rbind /sys "$r/sys"
      mount -t tmpfs tmpfs "$r/run"; mkdir -p "$r/run/lock"
    done
    shift; exec "$@"' in_roots "$roots" "$@"
}

# in_root ROOT COMMAND...: COMMAND inside ROOT (chroot), with its mounts.
in_root() { local r=$1; shift; in_roots "$r" chroot "$r" "$@"; }

# remove_root ROOT: deletes a root after checking nothing is mounted beneath it, and ends its leftover processes.
remove_root() {
  local r=$1 p
  [ -n "$r" ] && [ -d "$r" ] || return 0
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/root" 2>/dev/null)" = "$r" ] && kill -9 "${p#/proc/}" 2>/dev/null || true
  done
  if grep -q " $r/" /proc/mounts; then echo "not removing $r: something is mounted in it" >&2; return 1; fi
  rm -rf --one-file-system "$r"
}

# The packages, built (or taken from the cache) by ops/package.sh.
packages_dir() { echo "$cache/debs"; }
package_version() { sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' "$repo/Directory.Build.props"; }
