#!/usr/bin/env bash
# Builds the Debian packages of linkactors:
#   linkactors_VERSION_amd64.deb  self-contained linux-x64, ReadyToRun (no .NET needed on the machine)
#   linkactors_VERSION_arm64.deb  self-contained linux-arm64, ReadyToRun (64-bit Raspberry Pi OS, Pi 3/4/5)
#   linkactors_VERSION_all.deb    framework-dependent, needs the ASP.NET Core runtime 10 (32-bit armhf Raspberry
#                                 Pi OS: the linux-arm runtime pack for a self-contained build is not to be had here)
# The version comes from one place, <VersionPrefix> in Directory.Build.props (override: --version V).
#
#   ops/package.sh [--out DIR] [--arch amd64,arm64,all] [--version V]
#
# Published trees and packages are cached under $LINKACTORS_CACHE (default /var/cache/linkactors), keyed by a hash
# of the sources and of ops/, so a second run with nothing changed only copies files.
set -euo pipefail
shopt -s inherit_errexit
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
cache=${LINKACTORS_CACHE:-/var/cache/linkactors}
out="$cache/debs"
arches="amd64,arm64,all"
version=""
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=$2; shift 2 ;;
    --arch) arches=$2; shift 2 ;;
    --version) version=$2; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "package.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ -n "$version" ] || version=$(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' "$repo/Directory.Build.props")
[ -n "$version" ] || { echo "package.sh: no <VersionPrefix> in Directory.Build.props" >&2; exit 2; }
mkdir -p "$out" "$cache/publish"
out=$(cd "$out" && pwd)

# The key of everything that goes into a published tree.
source_key=$( cd "$repo" && { find src -type f -not -path '*/bin/*' -not -path '*/obj/*' -print0 | sort -z | xargs -0 sha256sum;
  sha256sum Directory.Build.props Directory.Packages.props global.json 2>/dev/null; echo "$version"; } | sha256sum | cut -c1-16 )
ops_key=$( cd "$repo" && { find ops -maxdepth 1 -type f -print0 | sort -z | xargs -0 sha256sum; find ops/debian -type f -print0 | sort -z | xargs -0 sha256sum; } | sha256sum | cut -c1-16 )

# publish RID SELF_CONTAINED -> prints the directory of the published tree (cached)
publish() {
  local rid=$1 self=$2 dir="$cache/publish/$1-$2-$source_key"
  if [ ! -f "$dir/.done" ]; then
    rm -rf "$cache/publish/$rid-$self-"*
    local args=(-c Release -nologo -v q -o "$dir" -p:VersionPrefix="$version" -p:IncludeSourceRevisionInInformationalVersion=false
                -p:DebugType=none -p:GenerateDocumentationFile=false)
    if [ "$self" = sc ]; then
      args+=(-r "$rid" --self-contained -p:PublishReadyToRun=true)
    else
      # Framework-dependent and portable: `dotnet linkactors.dll` on any architecture with the runtime.
      args+=(--no-self-contained -p:UseAppHost=false)
    fi
    echo "publishing $rid ($self) ..." >&2
    dotnet publish "$repo/src/LinkActors.Host/LinkActors.Host.csproj" "${args[@]}" >&2
    touch "$dir/.done"
  fi
  echo "$dir"
}

# The man page, made from the program's own --help of every verb, so it never drifts from the program.
man_page() {
  local exe=$1
  local verbs; verbs=$("$exe" --help | awk '/^Commands:/{on=1;next} on && /^  [a-z]/{print $1}')
  echo ".TH LINKACTORS 1 \"\" \"linkactors $version\" \"User Commands\""
  echo ".SH NAME"
  echo "linkactors \\- PPP link manager for always-on devices with a cellular modem"
  echo ".SH SYNOPSIS"
  echo ".B linkactors"
  echo ".I command"
  echo "[\\fIoptions\\fR]"
  echo ".SH DESCRIPTION"
  echo "The text below is the program's own help (\\fBlinkactors --help\\fR and \\fBlinkactors\\fR \\fIcommand\\fR \\fB--help\\fR)."
  echo ".PP"
  echo ".nf"
  "$exe" --help | sed -e 's/\\/\\e/g' -e 's/^\./\\\&./' -e "s/^'/\\\\\&'/"
  echo ".fi"
  echo ".SH COMMANDS"
  for v in $verbs; do
    echo ".SS $v"
    echo ".nf"
    "$exe" "$v" --help | sed -e 's/\\/\\e/g' -e 's/^\./\\\&./' -e "s/^'/\\\\\&'/"
    echo ".fi"
  done
  cat <<'EOF'
.SH FILES
.TP
.I /etc/linkactors/links.conf
The links the service runs (HOCON). Check it with \fBlinkactors check-config /etc/linkactors/links.conf\fR.
.TP
.I /etc/linkactors/token.env
LINKACTORS_TOKEN, the management endpoint's token (mode 0600), made at installation.
.TP
.I /etc/ppp/peers/NAME
read as pppd reads it by \fBlinkactors call\fR \fINAME\fR.
.SH SERVICE
\fBsystemctl start linkactors\fR runs \fBlinkactors run /etc/linkactors/links.conf\fR as the system user
\fIlinkactors\fR with CAP_NET_ADMIN only; its log is \fBjournalctl \-u linkactors\fR.
.SH SEE ALSO
.BR pppd (8),
.BR chat (8)
EOF
}

# build ARCH -> the .deb's path on stdout
build() {
  local arch=$1 rid self depends overrides
  case "$arch" in
    amd64) rid=linux-x64; self=sc ;;
    arm64) rid=linux-arm64; self=sc ;;
    all) rid=portable; self=fd ;;
    *) echo "package.sh: unknown architecture $arch (amd64, arm64, all)" >&2; exit 2 ;;
  esac
  local name="linkactors_${version}_${arch}.deb"
  local cached="$cache/debs-built/$arch-$source_key-$ops_key.deb"
  if [ -f "$cached" ]; then cp "$cached" "$out/$name"; echo "$out/$name"; return; fi

  local tree; tree=$(publish "$rid" "$self")
  local exe; exe="$(publish linux-x64 sc)/linkactors"
  local root; root=$(mktemp -d); chmod 0755 "$root"
  # shellcheck disable=SC2064
  trap "rm -rf '$root'" RETURN

  install -d -m 0755 "$root/usr/lib/linkactors" "$root/usr/bin" "$root/lib/systemd/system" "$root/etc/linkactors" \
    "$root/usr/share/doc/linkactors" "$root/usr/share/man/man1" "$root/usr/share/bash-completion/completions" \
    "$root/usr/share/lintian/overrides" "$root/DEBIAN"
  cp -a "$tree/." "$root/usr/lib/linkactors/"
  rm -f "$root/usr/lib/linkactors/.done"
  if [ "$self" = fd ]; then
    # Portable build: keep the native serial library for the Linux architectures a Pi or PC runs, drop the rest.
    find "$root/usr/lib/linkactors/runtimes" -mindepth 1 -maxdepth 1 -type d \
      -not -name linux-arm -not -name linux-arm64 -not -name linux-x64 -exec rm -rf {} +
    printf '#!/bin/sh\n# Framework-dependent build: needs the ASP.NET Core runtime 10 (dotnet) on PATH.\nexec dotnet /usr/lib/linkactors/linkactors.dll "$@"\n' \
      > "$root/usr/bin/linkactors"
    chmod 0755 "$root/usr/bin/linkactors"
    depends="adduser, aspnetcore-runtime-10.0 | dotnet-runtime-10.0"
  else
    ln -s ../lib/linkactors/linkactors "$root/usr/bin/linkactors"
    # The self-contained runtime links libc, libstdc++, libgcc, ICU-free (InvariantGlobalization), zlib, OpenSSL.
    depends="adduser, libc6 (>= 2.27), libgcc-s1, libstdc++6, zlib1g, libssl3 | libssl1.1"
  fi
  find "$root/usr/lib/linkactors" -type d -exec chmod 0755 {} +
  find "$root/usr/lib/linkactors" -type f -exec chmod 0644 {} +
  [ ! -f "$root/usr/lib/linkactors/linkactors" ] || chmod 0755 "$root/usr/lib/linkactors/linkactors"
  find "$root/usr/lib/linkactors" -name '*.so' -exec chmod 0644 {} +
  # Strip the managed build's leftovers that are no use on a device.
  find "$root/usr/lib/linkactors" \( -name '*.pdb' -o -name '*.dbg' -o -name '*.xml' \) -delete

  install -m 0644 "$repo/ops/linkactors.service" "$root/lib/systemd/system/linkactors.service"
  install -m 0644 "$repo/ops/debian/links.conf" "$root/etc/linkactors/links.conf"
  install -m 0644 "$repo/ops/debian/linkactors.bash-completion" "$root/usr/share/bash-completion/completions/linkactors"
  install -m 0644 "$repo/ops/debian/copyright" "$root/usr/share/doc/linkactors/copyright"
  { echo "linkactors ($version) stable; urgency=medium"; echo; echo "  * Release $version."; echo;
    echo " -- LinkActors <linkactors@example.org>  $(date -R -d @"${SOURCE_DATE_EPOCH:-1764763200}")"; } \
    | gzip -9n > "$root/usr/share/doc/linkactors/changelog.gz"
  man_page "$exe" | gzip -9n > "$root/usr/share/man/man1/linkactors.1.gz"
  if [ "$self" = fd ]; then overrides="$repo/ops/debian/lintian-overrides.all"; else overrides="$repo/ops/debian/lintian-overrides"; fi
  grep -v '^#' "$overrides" > "$root/usr/share/lintian/overrides/linkactors"
  chmod 0644 "$root/usr/share/lintian/overrides/linkactors"

  local size; size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
  sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@DEPENDS@/$depends/" -e "s/@SIZE@/$size/" \
    "$repo/ops/debian/control" > "$root/DEBIAN/control"
  echo "/etc/linkactors/links.conf" > "$root/DEBIAN/conffiles"
  for s in postinst prerm postrm; do install -m 0755 "$repo/ops/debian/$s" "$root/DEBIAN/$s"; done
  (cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum > DEBIAN/md5sums)
  chmod 0644 "$root/DEBIAN/md5sums" "$root/DEBIAN/control" "$root/DEBIAN/conffiles"

  mkdir -p "$cache/debs-built"
  rm -f "$cache/debs-built/$arch-"*.deb
  dpkg-deb --root-owner-group -Zxz --build "$root" "$cached" >/dev/null
  cp "$cached" "$out/$name"
  echo "$out/$name"
}

for arch in ${arches//,/ }; do
  build "$arch"
done
