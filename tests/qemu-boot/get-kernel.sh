#!/bin/sh
# Fetch and unpack a Debian amd64 kernel into the cache (never installed on the host).
# Prints the directory: it holds boot/vmlinuz-VER, boot/vmlinux-VER (the decompressed ELF,
# which boots directly through its PVH note), lib/modules/VER (depmod'ed) and a file VERSION.
# Usage: get-kernel.sh [--k2] [CACHE]
#   (default) K1: Debian 12's own kernel, linux-image-amd64's dependency (6.1)
#   --k2      K2: the newest linux-image-6.12.*+deb12-amd64-unsigned in bookworm's archive
set -eu
kernel=k1
[ "${1:-}" = --k2 ] && { kernel=k2; shift; }
cache=${1:-${VFIO_BIND_CACHE:-${HOME:-/root}/.cache/vfio-bind}}
mkdir -p "$cache/debs"

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
	esac
}
pkg=$(resolve)
if [ -z "$pkg" ]; then
	apt-get update -q >/dev/null 2>&1 || true
	pkg=$(resolve)
fi
if [ -z "$pkg" ]; then
	# No archive lists: fall back to whatever was unpacked before.
	case $kernel in
	k1) last=$(ls -d "$cache"/kernel-6.1.* 2>/dev/null | tail -n1) ;;
	k2) last=$(ls -d "$cache"/kernel-6.12.* 2>/dev/null | tail -n1) ;;
	esac
	[ -n "$last" ] && [ -f "$last/.done" ] && { echo "$last"; exit 0; }
	echo "get-kernel: cannot resolve linux-image-amd64 (apt-get update?)" >&2
	exit 1
fi
ver=${pkg#linux-image-}
ver=${ver%-unsigned}
dir=$cache/kernel-$ver
if [ -f "$dir/.done" ]; then
	echo "$dir"
	exit 0
fi

deb=$(ls "$cache"/debs/"${pkg}"_*.deb 2>/dev/null | head -n1 || true)
if [ -z "$deb" ]; then
	dl=$(mktemp -d "$cache/debs/dl.XXXXXX")
	(cd "$dl" && apt-get download -q "$pkg" >&2) || { rm -rf "$dl"; exit 1; }
	mv "$dl"/*.deb "$cache/debs/"
	rm -rf "$dl"
	deb=$(ls "$cache"/debs/"${pkg}"_*.deb | head -n1)
fi
# Unpack beside the final place and rename at the end: a concurrent run sees all or nothing.
tmp=$(mktemp -d "$dir.tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
dpkg -x "$deb" "$tmp"
# Debian 12 is merged-/usr: the package ships lib/modules; keep a single path either way.
if [ -d "$tmp/usr/lib/modules" ] && [ ! -d "$tmp/lib/modules" ]; then
	mkdir -p "$tmp/lib"
	mv "$tmp/usr/lib/modules" "$tmp/lib/modules"
fi
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
