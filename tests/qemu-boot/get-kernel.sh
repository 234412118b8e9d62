#!/bin/sh
# Fetch and unpack Debian's current amd64 kernel into the cache (never installed on the host).
# Prints the directory: it holds boot/vmlinuz-VER, boot/vmlinux-VER (the decompressed ELF,
# which boots directly through its PVH note), lib/modules/VER (depmod'ed) and a file VERSION.
# Usage: get-kernel.sh [CACHE]
set -eu
cache=${1:-${VFIO_BIND_CACHE:-${HOME:-/root}/.cache/vfio-bind}}
mkdir -p "$cache/debs"

# The current ABI comes from the meta-package, resolved now, never hard-coded.
pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
	sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -n1)
if [ -z "$pkg" ]; then
	apt-get update -q >/dev/null 2>&1 || true
	pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -n1)
fi
if [ -z "$pkg" ]; then
	# No archive lists: fall back to whatever was unpacked before.
	last=$(ls -d "$cache"/kernel-* 2>/dev/null | tail -n1)
	[ -n "$last" ] && [ -f "$last/.done" ] && { echo "$last"; exit 0; }
	echo "get-kernel: cannot resolve linux-image-amd64 (apt-get update?)" >&2
	exit 1
fi
ver=${pkg#linux-image-}
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

# Decompress the bzImage payload (XZ) to get the ELF vmlinux: SeaBIOS boots it directly via
# its PVH note and saves the in-guest decompression (~2 s under TCG).
vmlinuz=$tmp/boot/vmlinuz-$ver
off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$vmlinuz" | head -n1 | cut -d: -f1)
if [ -n "$off" ]; then
	tail -c +"$((off + 1))" "$vmlinuz" | xz -dc 2>/dev/null >"$tmp/boot/vmlinux-$ver" || true
	if ! head -c 4 "$tmp/boot/vmlinux-$ver" | grep -q 'ELF'; then
		rm -f "$tmp/boot/vmlinux-$ver"
	fi
fi
echo "$ver" >"$tmp/VERSION"
touch "$tmp/.done"
if ! mv -T "$tmp" "$dir" 2>/dev/null; then
	[ -f "$dir/.done" ] || { echo "get-kernel: cannot create $dir" >&2; exit 1; }
fi
echo "$dir"
