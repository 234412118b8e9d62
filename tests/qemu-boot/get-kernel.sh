#!/bin/sh
# Fetch and unpack a Debian amd64 kernel into the cache (never installed on the host).
# Prints the directory: it holds boot/vmlinuz-VER, boot/vmlinux-VER (the decompressed ELF,
# which boots directly through its PVH note), lib/modules/VER (depmod'ed) and a file VERSION.
# Usage: get-kernel.sh [--k2|--k4|--trixie] [CACHE]
#   (default) K1: Debian 12's own kernel, linux-image-amd64's dependency (6.1)
#   --k2      K2: the newest linux-image-6.12.*+deb12-amd64-unsigned in bookworm's archive
#   --k4      K4: Debian's newest kernel: linux-image-amd64's dependency in the suite of Debian 13
#             that has the highest version of it (trixie-backports in 2026: 7.x)
#   --trixie  Debian 13's own kernel (trixie, trixie-updates: 6.12)
# K4 and the trixie kernel are resolved and fetched with debian-apt.sh (an apt configuration of
# its own, never the host's). Either package layout: linux-image-VER holding /boot/vmlinuz and
# the modules, or (from 7.x) linux-image-VER a meta package over linux-binary-VER (vmlinuz),
# linux-modules-VER and linux-base-VER (config, System.map) in /usr/lib/modules/VER/; the cache
# holds the same layout either way.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
kernel=k1
case ${1:-} in
--k2 | --k4 | --trixie) kernel=${1#--}; shift ;;
esac
cache=${1:-${VFIO_BIND_CACHE:-${HOME:-/root}/.cache/vfio-bind}}
mkdir -p "$cache/debs"
# Debian 13's suites through a private apt configuration (K4, trixie)
d13() { "$here/debian-apt.sh" "$cache/apt-debian13" "trixie trixie-updates trixie-backports" "$@"; }
# d13_meta SUITES-REGEX: the highest version of linux-image-amd64 in those suites, then the
# linux-image-ABI package it depends on ("PACKAGE=VERSION")
d13_meta() {
	local v
	v=$(d13 apt-cache madison linux-image-amd64 2>/dev/null |
		awk -F' *[|] *' -v re="$1" '$3 ~ re { print $2 }' | sort -V | tail -n1)
	[ -n "$v" ] || return 0
	d13 apt-cache show "linux-image-amd64=$v" 2>/dev/null |
		sed -n 's/^Depends: .*\(linux-image-[0-9][^ ,]*-amd64\) (= \([^)]*\)).*/\1=\2/p' | head -n1
}

# The package is resolved now, never hard-coded: K1's ABI from the meta-package, K2's as the
# newest 6.12 build the archive has.
resolve() {
	case $kernel in
	k1)
		apt-cache depends linux-image-amd64 2>/dev/null |
			sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -n1 ;;
	k2)
		apt-cache pkgnames linux-image-6.12. 2>/dev/null |
			grep -E '^linux-image-6\.12\.[0-9]+\+deb12-amd64-unsigned$' | sort -V | tail -n1 ;;
	k4) d13_meta ' trixie(-[a-z]+)?/main ' ;;
	trixie) d13_meta ' trixie(-updates)?/main ' ;;
	esac
}
pkg=$(resolve)
if [ -z "$pkg" ]; then
	case $kernel in
	k1 | k2)
		apt-get update -q >/dev/null 2>&1 || true
		pkg=$(resolve)
		;;
	esac
fi
if [ -z "$pkg" ]; then
	# No archive lists: fall back to whatever was unpacked before.
	case $kernel in
	k1) last=$(ls -d "$cache"/kernel-6.1.* 2>/dev/null | tail -n1) ;;
	k2) last=$(ls -d "$cache"/kernel-6.12.*+deb12-* 2>/dev/null | tail -n1) ;;
	k4) last=$(ls -d "$cache"/kernel-*+deb13-* 2>/dev/null | sort -V | tail -n1) ;;
	trixie) last=$(ls -d "$cache"/kernel-6.12.*+deb13-* 2>/dev/null | tail -n1) ;;
	esac
	[ -n "$last" ] && [ -f "$last/.done" ] && { echo "$last"; exit 0; }
	echo "get-kernel: cannot resolve linux-image-amd64 (apt-get update?)" >&2
	exit 1
fi
pkgver=
case $pkg in *=*) pkgver=${pkg#*=} pkg=${pkg%%=*} ;; esac
ver=${pkg#linux-image-}
ver=${ver%-unsigned}
dir=$cache/kernel-$ver
if [ -f "$dir/.done" ]; then
	echo "$dir"
	exit 0
fi

# fetch PACKAGE...: each PACKAGE's .deb into the cache (kept: a rerun needs no network)
fetch() {
	local p missing= dl
	for p in "$@"; do
		ls "$cache"/debs/"${p%%=*}"_*.deb >/dev/null 2>&1 || missing="$missing $p"
	done
	[ -n "$missing" ] || return 0
	dl=$(mktemp -d "$cache/debs/dl.XXXXXX")
	# shellcheck disable=SC2086
	if [ -n "$pkgver" ]; then
		(cd "$dl" && d13 apt-get download -q $missing >&2) || { rm -rf "$dl"; return 1; }
	else
		(cd "$dl" && apt-get download -q $missing >&2) || { rm -rf "$dl"; return 1; }
	fi
	mv "$dl"/*.deb "$cache/debs/"
	rm -rf "$dl"
}
pkgs=$pkg${pkgver:+=$pkgver}
if [ -n "$pkgver" ]; then
	# the new layout: linux-image-VER depends on linux-{binary,modules,base}-VER
	for p in $(d13 apt-cache show "$pkg=$pkgver" 2>/dev/null | sed -n 's/^Depends: //p' |
		head -n1 | tr ',' '\n' | sed -n "s/^ *\(linux-[a-z]*-$ver\) (= \(.*\))\$/\1=\2/p"); do
		pkgs="$pkgs $p"
	done
fi
# shellcheck disable=SC2086
fetch $pkgs || exit 1
# Unpack beside the final place and rename at the end: a concurrent run sees all or nothing.
tmp=$(mktemp -d "$dir.tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
for p in $pkgs; do
	dpkg -x "$(ls "$cache"/debs/"${p%%=*}"_*.deb | head -n1)" "$tmp"
done
# Debian 12 is merged-/usr: the package ships lib/modules; keep a single path either way.
if [ -d "$tmp/usr/lib/modules" ] && [ ! -d "$tmp/lib/modules" ]; then
	mkdir -p "$tmp/lib"
	mv "$tmp/usr/lib/modules" "$tmp/lib/modules"
fi
# The new layout keeps vmlinuz, config and System.map beside the modules: boot/ as before.
mkdir -p "$tmp/boot"
for f in vmlinuz config System.map; do
	[ -f "$tmp/lib/modules/$ver/$f" ] && [ ! -e "$tmp/boot/$f-$ver" ] &&
		mv "$tmp/lib/modules/$ver/$f" "$tmp/boot/$f-$ver"
done
[ -f "$tmp/boot/vmlinuz-$ver" ] || { echo "get-kernel: no vmlinuz in $pkgs" >&2; exit 1; }
rm -rf "$tmp/usr/share/doc" "$tmp/usr/share/bug" "$tmp/usr/share/lintian"
depmod -b "$tmp" "$ver"

# Decompress the bzImage payload (XZ on 6.1, zstd on 6.12) to get the ELF vmlinux: SeaBIOS
# boots it directly via its PVH note and saves the in-guest decompression (~2 s under TCG).
vmlinuz=$tmp/boot/vmlinuz-$ver
for fmt in xz zstd; do
	case $fmt in
	xz) magic='\xfd7zXZ\x00' ;;
	zstd) magic='\x28\xb5\x2f\xfd' ;;
	esac
	off=$(LC_ALL=C grep -obUaP "$magic" "$vmlinuz" | head -n1 | cut -d: -f1)
	[ -n "$off" ] || continue
	tail -c +"$((off + 1))" "$vmlinuz" | $fmt -dc 2>/dev/null >"$tmp/boot/vmlinux-$ver" || true
	head -c 4 "$tmp/boot/vmlinux-$ver" | grep -q 'ELF' && break
	rm -f "$tmp/boot/vmlinux-$ver"
done
echo "$ver" >"$tmp/VERSION"
touch "$tmp/.done"
if ! mv -T "$tmp" "$dir" 2>/dev/null; then
	[ -f "$dir/.done" ] || { echo "get-kernel: cannot create $dir" >&2; exit 1; }
fi
echo "$dir"
