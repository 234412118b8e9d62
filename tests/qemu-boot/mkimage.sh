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
#                GEN_ROOT (a Debian root, get-trixie-root.sh: its own generators build the
#                image, chrooted; without it the host's do)
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

# chrooted: the staged product, the test files, the kernel and ETC_LAYER over a copy-on-write
# view of GEN_ROOT (the cached root is never written); /proc, /dev and a read-only /sys.
if [ -n "${GEN_ROOT:-}" ]; then
	cow=$(mktemp -d "${TMPDIR:-/tmp}/mkimage-root.XXXXXX")
	# (the mounts end with this namespace; only the overlay's own directories are removed)
	trap 'rm -rf "$empty"; umount -R "$cow/m" 2>/dev/null; rm -rf "$cow/up" "$cow/work" "$cow/test"; rmdir "$cow/m" "$cow"' EXIT
	mkdir -p "$cow/m" "$cow/up" "$cow/work" "$cow/test"
	# the test files keep their paths: itools-conf/ at /vfiotest/, the dracut module in /usr
	mkdir -p "$cow/test/vfiotest"
	cp -a "$testdir/itools-conf" "$cow/test/vfiotest/"
	mount -t overlay overlay -o \
		"lowerdir=$stage:$testdir:$cow/test:$GEN_ROOT,upperdir=$cow/up,workdir=$cow/work" "$cow/m"
	r=$cow/m
	mkdir -p "$r/usr/lib/modules/$ver"
	mount --bind "$kdir/lib/modules/$ver" "$r/usr/lib/modules/$ver"
	mount -o remount,bind,ro "$r/usr/lib/modules/$ver"
	cp "$kdir/boot/config-$ver" "$kdir/boot/System.map-$ver" "$r/boot/" 2>/dev/null || true
	[ -n "${ETC_LAYER:-}" ] && cp -a "$ETC_LAYER/." "$r/etc/"
	mount -t proc proc "$r/proc"
	mount --rbind /dev "$r/dev"
	mount --rbind /sys "$r/sys"
	mount -o remount,bind,ro "$r/sys"
	case $gen in
	initramfs-tools)
		conf=/vfiotest/itools-conf
		[ -n "${MODULES:-}" ] &&
			sed -i "s/^MODULES=.*/MODULES=$MODULES/" "$r$conf/initramfs.conf"
		chroot "$r" mkinitramfs -d "$conf" -o /vfiotest/out.img "$ver"
		;;
	dracut | dracut-systemd)
		mods="base rootfs-block vfio-bind vfiotest"
		[ "$gen" = dracut-systemd ] && mods="systemd systemd-initrd dracut-systemd $mods"
		mkdir -p "$r/vfiotest/dracut.conf.d"
		chroot "$r" dracut --quiet --force --no-hostonly --no-hostonly-cmdline \
			--no-early-microcode --conf /dev/null --confdir /vfiotest/dracut.conf.d \
			--kver "$ver" -m "$mods" --compress "${COMPRESS:-zstd}" /vfiotest/out.img
		;;
	*)
		echo "mkimage: unknown generator $gen" >&2
		exit 2
		;;
	esac
	cp "$r/vfiotest/out.img" "$out"
	exit 0
fi

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
