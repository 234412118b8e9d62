#!/bin/sh
# K3: a Proxmox/RHEL-shaped kernel built from Debian's linux-source-6.12 (simpledrm on
# simple-framebuffer.0, vfio-pci built in, iommufd and the vfio device cdev): `make tinyconfig`
# plus the committed fragment kernels/k3.fragment. Cached beside the downloaded kernels, keyed
# by the source version and the fragment's hash, in the layout get-kernel.sh gives:
# boot/vmlinuz-VER, lib/modules/VER (depmod'ed), VERSION, and BUILD-SECONDS.
# Prints the directory. Exit 1 with the reason on stderr when it cannot be built.
# Usage: build-k3.sh [CACHE]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cache=${1:-${VFIO_BIND_CACHE:-${HOME:-/root}/.cache/vfio-bind}}
frag=$here/kernels/k3.fragment
mkdir -p "$cache/debs"

fail() { echo "build-k3: $*" >&2; exit 1; }
for t in flex bison bc make gcc; do
	command -v $t >/dev/null 2>&1 || fail "cannot build: '$t' is missing (scripts/deps/k3.list)"
done
[ -e /usr/include/libelf.h ] || fail "cannot build: libelf-dev is missing (scripts/deps/k3.list)"
[ -e /usr/include/openssl/ssl.h ] || fail "cannot build: libssl-dev is missing (scripts/deps/k3.list)"

# The newest linux-source-6.12 the archive has, resolved now.
srcver=$(apt-cache policy linux-source-6.12 2>/dev/null | sed -n 's/^ *Candidate: *//p')
case $srcver in
''|'(none)')
	last=$(ls -d "$cache"/kernel-k3-* 2>/dev/null | tail -n1)
	[ -n "$last" ] && [ -f "$last/.done" ] && { echo "$last"; exit 0; }
	fail "cannot resolve linux-source-6.12 (apt-get update?)" ;;
esac
key=$(printf '%s\n' "$srcver" | cat - "$frag" | sha256sum | cut -c1-12)
dir=$cache/kernel-k3-$key
if [ -f "$dir/.done" ]; then
	echo "$dir"
	exit 0
fi

# One build at a time per key: engineers and CI jobs share the cache.
lock=$dir.lock
while ! mkdir "$lock" 2>/dev/null; do
	[ -f "$dir/.done" ] && { echo "$dir"; exit 0; }
	# a lock older than two hours belongs to a build that died
	if [ -n "$(find "$lock" -maxdepth 0 -mmin +120 2>/dev/null)" ]; then
		rmdir "$lock" 2>/dev/null || true
		continue
	fi
	sleep 10
done
tmp=$(mktemp -d "$dir.tmp.XXXXXX")
trap 'rm -rf "$tmp"; rmdir "$lock" 2>/dev/null || true' EXIT
trap 'exit 1' HUP INT TERM
t0=$(date +%s)

deb=$(ls "$cache"/debs/linux-source-6.12_"$(echo "$srcver" | sed 's/:/%3a/')"_all.deb 2>/dev/null | head -n1 || true)
if [ -z "$deb" ]; then
	(cd "$tmp" && apt-get download -q "linux-source-6.12=$srcver" >&2) ||
		fail "cannot download linux-source-6.12=$srcver"
	mv "$tmp"/linux-source-6.12_*.deb "$cache/debs/"
	deb=$(ls "$cache"/debs/linux-source-6.12_*"$(echo "$srcver" | sed 's/.*://')"_all.deb | head -n1)
fi
dpkg-deb --fsys-tarfile "$deb" | tar -xO --wildcards './usr/src/linux-source-6.12.tar.*' |
	tar -xJ -C "$tmp" || fail "cannot unpack $deb"
src=$tmp/linux-source-6.12
[ -d "$src" ] || fail "no linux-source-6.12 directory in $deb"

jobs=$(nproc 2>/dev/null || echo 2)
(
	cd "$src"
	make -s tinyconfig
	scripts/kconfig/merge_config.sh -m .config "$frag" >/dev/null
	make -s olddefconfig
	# The fragment must survive olddefconfig: a symbol Kconfig dropped is a broken K3.
	lost=$(grep -v '^#' "$frag" | grep . | grep -vxF -f .config || true)
	if [ -n "$lost" ]; then
		echo "build-k3: not in .config after olddefconfig:" $lost >&2
		exit 1
	fi
	make -s -j"$jobs" bzImage modules
	make -s INSTALL_MOD_PATH="$tmp/out" modules_install
) >"$tmp/build.log" 2>&1 || { tail -n 30 "$tmp/build.log" >&2; fail "kernel build failed"; }

ver=$(cat "$src/include/config/kernel.release")
mkdir -p "$tmp/out/boot"
cp "$src/arch/x86/boot/bzImage" "$tmp/out/boot/vmlinuz-$ver"
cp "$src/.config" "$tmp/out/boot/config-$ver"
cp "$src/System.map" "$tmp/out/boot/System.map-$ver"
if [ -d "$tmp/out/usr/lib/modules" ] && [ ! -d "$tmp/out/lib/modules" ]; then
	mkdir -p "$tmp/out/lib"
	mv "$tmp/out/usr/lib/modules" "$tmp/out/lib/modules"
fi
rm -f "$tmp/out/lib/modules/$ver/build" "$tmp/out/lib/modules/$ver/source"
depmod -b "$tmp/out" "$ver"
echo "$ver" >"$tmp/out/VERSION"
echo "linux-source-6.12 $srcver, fragment $key" >"$tmp/out/SOURCE"
echo $(( $(date +%s) - t0 )) >"$tmp/out/BUILD-SECONDS"
touch "$tmp/out/.done"
mv -T "$tmp/out" "$dir" 2>/dev/null || [ -f "$dir/.done" ] || fail "cannot create $dir"
echo "$dir"
