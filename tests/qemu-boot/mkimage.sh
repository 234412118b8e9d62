#!/bin/sh
# Build an initramfs for the unpacked test kernel with Debian's own generator, from a staging
# root made by `make install DESTDIR=`, without touching the host: everything happens in a
# private mount namespace where read-only overlays put the staged files, the test payload and
# the kernel's modules and /boot files over the host's /usr and /boot.
#
#   mkimage.sh GENERATOR KDIR STAGE TESTDIR OUT
#     GENERATOR  initramfs-tools | dracut | dracut-systemd
#     KDIR       unpacked kernel (get-kernel.sh): boot/, lib/modules/VER, VERSION
#     STAGE      DESTDIR of make install
#     TESTDIR    test-only files: itools-conf/ (a CONFDIR for mkinitramfs -d) and
#                usr/lib/dracut/modules.d/95vfiotest
#     OUT        image to write
#   environment: MODULES (initramfs-tools: most, dep, list...; default most)
#                ETC_LAYER (a directory laid over /etc while the image is built)
set -eu

if [ "${1:-}" != --inside ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "mkimage: run as root (images are built in a private mount namespace)" >&2
		exit 1
	fi
	exec unshare -m --propagation private -- "$0" --inside "$@"
fi
shift
gen=$1 kdir=$2 stage=$3 testdir=$4 out=$5
ver=$(cat "$kdir/VERSION")
empty=$(mktemp -d)
trap 'rm -rf "$empty"' EXIT

# overlay DIR LOWER...: read-only union of the given layers over DIR (missing layers skipped).
overlay()
{
	target=$1
	shift
	lower=
	for l in "$@"; do
		[ -d "$l" ] && lower="$lower${lower:+:}$l"
	done
	[ -n "$lower" ] || return 0
	mount -t overlay overlay -o "lowerdir=$lower:$target" "$target"
}

overlay /usr/lib "$stage/usr/lib" "$testdir/usr/lib" "$kdir/lib"
overlay /usr/sbin "$stage/usr/sbin"
# make install PREFIX=/usr/local
[ -d /usr/local/sbin ] && overlay /usr/local/sbin "$stage/usr/local/sbin"
overlay /usr/share "$stage/usr/share"
overlay /boot "$kdir/boot"
[ -n "${ETC_LAYER:-}" ] && overlay /etc "$ETC_LAYER"

case $gen in
initramfs-tools)
	conf=$testdir/itools-conf
	if [ -n "${MODULES:-}" ]; then
		# A variant of the test config (e.g. MODULES=dep) in a private copy.
		conf=$empty/conf
		cp -a "$testdir/itools-conf" "$conf"
		sed -i "s/^MODULES=.*/MODULES=$MODULES/" "$conf/initramfs.conf"
	fi
	mkinitramfs -d "$conf" -o "$out" "$ver"
	;;
dracut | dracut-systemd)
	mods="base rootfs-block vfio-bind vfiotest"
	[ "$gen" = dracut-systemd ] && mods="systemd systemd-initrd dracut-systemd $mods"
	dracut --quiet --force --no-hostonly --no-hostonly-cmdline --no-early-microcode \
		--conf /dev/null --confdir "$empty" --kver "$ver" -m "$mods" \
		--compress "${COMPRESS:-zstd}" "$out"
	;;
*)
	echo "mkimage: unknown generator $gen" >&2
	exit 2
	;;
esac
