#!/bin/sh
# Install vfio-bind: the binary, the initramfs-tools hook and boot script, the dracut module,
# the udev rule, the man pages and the bash completion. Called by `make install`, and by
# `make uninstall` with --uninstall first (it removes exactly what install puts):
#   scripts/install.sh [--uninstall] DESTDIR PREFIX SBINDIR MANDIR BINARY
# The hooks live where initramfs-tools and dracut look for them, whatever PREFIX is. Nothing
# here rebuilds an initramfs: that is the administrator's (or the package's trigger's) job.
set -eu

uninstall=
if [ "${1-}" = --uninstall ]; then
	uninstall=1
	shift
fi
if [ $# -ne 5 ]; then
	echo "usage: $0 [--uninstall] DESTDIR PREFIX SBINDIR MANDIR BINARY" >&2
	exit 2
fi
destdir=$1 prefix=$2 sbindir=$3 mandir=$4 binary=$5
top=$(cd "$(dirname "$0")/.." && pwd)

if [ -z "$uninstall" ] && [ ! -x "$binary" ]; then
	echo "install.sh: $binary is not built (run make)" >&2
	exit 1
fi

# Copy SRC to DESTDIR/DST with MODE; with --uninstall, remove DESTDIR/DST, and its directory
# when that is vfio-bind's own and empty.
put()
{
	mode=$1 src=$2 dst=$destdir$3
	if [ -n "$uninstall" ]; then
		rm -f "$dst"
		case $dst in
		*/59vfio-bind/*|*/doc/vfio-bind/examples/*)
			rmdir "$(dirname "$dst")" 2>/dev/null || true
			rmdir "$destdir$prefix/share/doc/vfio-bind" 2>/dev/null || true ;;
		esac
		return 0
	fi
	mkdir -p "$(dirname "$dst")"
	cp "$src" "$dst.tmp"
	chmod "$mode" "$dst.tmp"
	mv -f "$dst.tmp" "$dst"
}

# The build-time hooks take the binary from where it is installed (their VFIO_BIND= line) and
# always put it at /usr/sbin/vfio-bind in the image, where the boot scripts run it: those are
# copied as they are, whatever SBINDIR is.
put_hook()
{
	put 755 "$1" "$2"
	[ -z "$uninstall" ] || return 0
	sed "s|^VFIO_BIND=/usr/sbin/vfio-bind\$|VFIO_BIND=$sbindir/vfio-bind|" "$destdir$2" >"$destdir$2.tmp"
	chmod 755 "$destdir$2.tmp"
	mv -f "$destdir$2.tmp" "$destdir$2"
}

put 755 "$binary" "$sbindir/vfio-bind"

put_hook "$top/hooks/initramfs-tools/vfio-bind" /usr/share/initramfs-tools/hooks/vfio-bind
for s in "$top"/initramfs/initramfs-tools/init-top/*; do
	put 755 "$s" "/usr/share/initramfs-tools/scripts/init-top/$(basename "$s")"
done

put_hook "$top/hooks/dracut/module-setup.sh" /usr/lib/dracut/modules.d/59vfio-bind/module-setup.sh
put 755 "$top/initramfs/dracut/vfio-bind.sh" /usr/lib/dracut/modules.d/59vfio-bind/vfio-bind.sh

# udev runs `vfio-bind hotplug` for PCI functions that appear later (hot-plug, SR-IOV VFs);
# the rule names the binary where it is installed
put 644 "$top/udev/70-vfio-bind.rules" /usr/lib/udev/rules.d/70-vfio-bind.rules
r=$destdir/usr/lib/udev/rules.d/70-vfio-bind.rules
if [ -z "$uninstall" ]; then
	sed "s|/usr/sbin/vfio-bind|$sbindir/vfio-bind|g" "$r" >"$r.tmp"
	mv -f "$r.tmp" "$r"
fi

# bash-completion loads it on demand from PREFIX/share (XDG_DATA_DIRS)
put 644 "$top/completion/vfio-bind.bash" "$prefix/share/bash-completion/completions/vfio-bind"

for sect in 7 8; do
	page=$top/man/vfio-bind.$sect
	if [ -f "$page" ]; then
		put 644 "$page" "$mandir/man$sect/vfio-bind.$sect"
	fi
done

# the boot-loader drop-ins the README and vfio-bind(7) point to
for f in "$top"/kernel-cmdline/examples/*; do
	put 644 "$f" "$prefix/share/doc/vfio-bind/examples/$(basename "$f")"
done

if [ -z "$destdir" ] && [ -n "$uninstall" ]; then
	echo "vfio-bind uninstalled. Rebuild the initramfs to take it out of the image:" \
		"update-initramfs -u (initramfs-tools) or dracut -f (dracut)." >&2
elif [ -z "$destdir" ]; then
	echo "vfio-bind installed. Rebuild the initramfs to use it:" \
		"update-initramfs -u (initramfs-tools) or dracut -f (dracut)." >&2
fi
exit 0
