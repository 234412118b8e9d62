#!/bin/sh
# A Debian 13 (trixie) root to build images in, made with mmdebstrap from Debian's archive (its own
# apt configuration: the host's /etc/apt is never read): initramfs-tools 0.148 and dracut 106
# (the -core packages install side by side) with what they copy into images. Cached in
# CACHE/trixie-root-KEY (KEY: mirror, suite, package list); never changed after it is made:
# mkimage.sh lays the staged product over it in a private mount namespace.
# Prints the directory. Usage: get-trixie-root.sh [CACHE]
set -eu
cache=${1:-${VFIO_BIND_CACHE:-${HOME:-/root}/.cache/vfio-bind}}
mirror=${VFIO_BIND_DEBIAN_MIRROR:-http://deb.debian.org/debian}
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
suite=trixie
pkgs="initramfs-tools-core,dracut-core,busybox,klibc-utils,kmod,udev,zstd,xz-utils,cpio,binutils"
key=$(printf '%s\n' "$mirror" "$suite" "$pkgs" | sha256sum | cut -c1-12)
dir=$cache/trixie-root-$key
if [ -f "$dir/.done" ]; then
	echo "$dir"
	exit 0
fi
command -v mmdebstrap >/dev/null 2>&1 ||
	{ echo "get-trixie-root: mmdebstrap is missing (scripts/deps/qemu.list)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "get-trixie-root: run as root" >&2; exit 1; }
mkdir -p "$cache"
tmp=$dir.tmp.$$
trap 'rm -rf "$tmp" "$tmp.log"' EXIT
t0=$(date +%s)
# (mmdebstrap writes its own apt.conf inside the new root; --keyring replaces the host's keys)
if ! mmdebstrap --mode=root --variant=essential --include="$pkgs" --keyring="$keyring" \
	--aptopt='Acquire::Languages "none"' --dpkgopt='path-exclude=/usr/share/doc/*' \
	--dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
	"$suite" "$tmp" "deb [signed-by=$keyring] $mirror $suite main" >"$tmp.log" 2>&1; then
	tail -n 15 "$tmp.log" >&2
	echo "get-trixie-root: mmdebstrap $suite failed" >&2
	exit 1
fi
# what the generators are, for the logs and the README
chroot "$tmp" dpkg-query -W -f '${Package} ${Version}\n' initramfs-tools-core dracut-core kmod udev \
	>"$tmp/VERSIONS"
echo $(($(date +%s) - t0)) >"$tmp/BUILD-SECONDS"
touch "$tmp/.done"
mv -T "$tmp" "$dir" 2>/dev/null || [ -f "$dir/.done" ] ||
	{ echo "get-trixie-root: cannot create $dir" >&2; exit 1; }
echo "$dir"
