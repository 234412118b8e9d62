# The boot's own record (issue 17 item 3): `vfio-bind boot` writes /run/vfio-bind/boot.json
# and boot.txt in the initramfs; /run goes over to the real root. Here the boot goes on to a
# real root (a tmpfs, filled from the initramfs's own files: busybox or dracut's tools, the
# binary) and that root's init checks, after switch_root, that the record is there, clears
# the kernel log (dmesg -C; what it held is printed first), and prints what `vfio-bind status` says, before the usual report.
#
# The images of the variants bootrec (initramfs-tools) and bootrec_d (dracut) differ from the
# others only in this: vfiotest-report in the image does nothing (the payload's report is
# carried along for the real root), and the root is this tmpfs: initramfs-tools' BOOT script
# /scripts/vfiotest-root (boot=vfiotest-root), dracut's cmdline and mount hooks (root=vfiotest).

# Cells: K1 under both generators: what carries /run over to the real root is the generator's
# (initramfs-tools' init moves it, dracut's switch_root), not the kernel's.

# The real root's init: VFT lines on the serial console, then the payload's report (power off).
vfiotest_root_init() {
	cat <<-'INIT'
	#!/bin/sh
	# scenarios.d/60-bootrec.sh: the real root's init, after switch_root
	PATH=/usr/sbin:/usr/bin:/sbin:/bin
	export PATH
	exec >/dev/ttyS0 2>&1
	echo "VFT bootrec root $(grep -c vfiotest-root /vfiotest-root 2>/dev/null)"
	while read -r _ mnt fs _; do
		[ "$mnt" = /run ] && echo "VFT bootrec run-mount $fs"
	done </proc/mounts
	for f in boot.json boot.txt; do
		[ -f /run/vfio-bind/$f ] && echo "VFT bootrec present $f"
	done
	# the kernel log as it was (the judges read the claims and probes from it), then gone
	dmesg | sed 's/^/VFT K /'
	# util-linux's dmesg -C; busybox's dmesg (initramfs-tools' image) has only -c
	if dmesg -C 2>/dev/null; then
		echo "VFT bootrec cleared dmesg -C"
	else
		dmesg -c >/dev/null && echo "VFT bootrec cleared dmesg -c"
	fi
	echo "VFT bootrec klog-vfio-bind-lines $(dmesg | grep -c 'vfio-bind: ')"
	/usr/sbin/vfio-bind status >/run/vfiotest-status 2>&1
	echo "VFT bootrec status-rc $?"
	sed 's/^/VFT bootrec status /' /run/vfiotest-status
	/usr/sbin/vfio-bind status --json >/run/vfiotest-status 2>&1
	echo "VFT bootrec json $(tr -d '\n' </run/vfiotest-status)"
	exec /bin/sh /vfiotest-report bootrec
	INIT
}

# fill NEWROOT: the initramfs's own programs and libraries (not its modules), the init above
vfiotest_root_fill() {
	cat <<-'FILL'
	vfiotest_root_fill() {
	    mount -t tmpfs -o mode=0755 tmpfs "$1" || return 1
	    for d in bin sbin lib lib64 lib32 libx32 usr etc; do
	        [ -e "/$d" ] && cp -a "/$d" "$1/"
	    done
	    rm -rf "$1/usr/lib/modules" "$1/lib/modules" 2>/dev/null
	    mkdir -p "$1/proc" "$1/sys" "$1/dev" "$1/run" "$1/tmp"
	    cp /usr/share/vfiotest-root/init "$1/vfiotest-init"
	    cp /usr/share/vfiotest-root/report "$1/vfiotest-report"
	    echo vfiotest-root >"$1/vfiotest-root"
	    chmod 755 "$1/vfiotest-init"
	}
	FILL
}

variant_bootrec() {
	local st=$1/stage r
	cp -a "$Q/stage" "$st"
	r=$st/usr/share/vfiotest-root
	mkdir -p "$r" "$st/usr/share/initramfs-tools/hooks"
	vfiotest_root_init >"$r/init"
	cp "$here/payload/vfiotest-report" "$r/report"
	{
		echo '# scenarios.d/60-bootrec.sh: boot=vfiotest-root mounts a tmpfs as the root'
		vfiotest_root_fill
		echo 'mountroot() { vfiotest_root_fill "${rootmnt:?}"; }'
	} >"$r/boot-script"
	# runs before the private CONFDIR's hooks: copy_file leaves the no-op report in place
	cat >"$st/usr/share/initramfs-tools/hooks/vfiotest-root" <<-'HOOK'
	#!/bin/sh
	# Test-only (scenarios.d/60-bootrec.sh): the boot goes on to a tmpfs root.
	PREREQ=""
	prereqs() { echo "$PREREQ"; }
	case $1 in prereqs) prereqs; exit 0 ;; esac
	. /usr/share/initramfs-tools/hook-functions
	mkdir -p "$DESTDIR/usr/bin" "$DESTDIR/scripts"
	printf '#!/bin/sh\nexit 0\n' >"$DESTDIR/usr/bin/vfiotest-report"
	chmod 755 "$DESTDIR/usr/bin/vfiotest-report"
	copy_file script /usr/share/vfiotest-root/init /usr/share/vfiotest-root/init
	copy_file script /usr/share/vfiotest-root/report /usr/share/vfiotest-root/report
	cp /usr/share/vfiotest-root/boot-script "$DESTDIR/scripts/vfiotest-root"
	exit 0
	HOOK
	chmod 755 "$st/usr/share/initramfs-tools/hooks/vfiotest-root"
	# dracut: the test module 95vfiotest, extended (this layer lies over build/qemu/test)
	local dm=$st/usr/lib/dracut/modules.d/95vfiotest
	mkdir -p "$dm"
	cp -a "$Q/test/usr/lib/dracut/modules.d/95vfiotest/." "$dm/"
	cp "$r/init" "$dm/vfiotest-root-init"
	cp "$here/payload/vfiotest-report" "$dm/vfiotest-root-report"
	echo '[ "$(getarg root=)" = vfiotest ] && { root=vfiotest; rootok=1; }' \
		>"$dm/vfiotest-root-cmdline.sh"
	{
		vfiotest_root_fill
		echo 'ismounted "$NEWROOT" || vfiotest_root_fill "$NEWROOT"'
	} >"$dm/vfiotest-root-mount.sh"
	cat >>"$dm/module-setup.sh" <<-'DRACUT'

	# scenarios.d/60-bootrec.sh: the boot goes on to a tmpfs root
	eval "vfiotest_$(declare -f install)"
	install() {
	    vfiotest_install
	    inst_multiple cp mount rm mkdir chmod tr
	    printf '#!/bin/sh\nexit 0\n' >"$initdir/usr/bin/vfiotest-report"
	    inst_simple "$moddir/vfiotest-root-init" /usr/share/vfiotest-root/init
	    inst_simple "$moddir/vfiotest-root-report" /usr/share/vfiotest-root/report
	    inst_hook cmdline 99 "$moddir/vfiotest-root-cmdline.sh"
	    inst_hook mount 99 "$moddir/vfiotest-root-mount.sh"
	}
	DRACUT
}
variant_bootrec_d() { variant_bootrec "$@"; }

judge_bootrec() {
	claimed $A_NIC2 e1000
	kept $A_NIC1 e1000
	expect "the real root's init ran (after switch_root)" grep -q '^VFT bootrec root 1$' "$LOG"
	expect "/run is the initramfs's tmpfs, moved" grep -q '^VFT bootrec run-mount tmpfs$' "$LOG"
	expect "boot.json in the real root's /run" grep -q '^VFT bootrec present boot.json$' "$LOG"
	expect "boot.txt in the real root's /run" grep -q '^VFT bootrec present boot.txt$' "$LOG"
	expect "dmesg -C left no vfio-bind line" grep -q '^VFT bootrec klog-vfio-bind-lines 0$' "$LOG"
	expect "status exits 0" grep -q '^VFT bootrec status-rc 0$' "$LOG"
	expect "status: the selector's line from the record" grep -q \
		"^VFT bootrec status selector '00:04.0' from the kernel command line: $A_NIC2 claimed\$" "$LOG"
	expect "status: the boot's claim line from the record" grep -q \
		"^VFT bootrec status vfio-bind: $A_NIC2 8086:100e claimed" "$LOG"
	expect "status: the boot's summary from the record" grep -q \
		'^VFT bootrec status vfio-bind: 1 claimed, 0 refused, 0 released to host' "$LOG"
	expect "status --json carries the record" grep -q \
		'^VFT bootrec json .*"boot":{"claimed":1,"refused":0,' "$LOG"
}

scenario initramfs-tools+bootrec boot-record-after-switch-root seabios \
	"$IOMMU vfio.bind=00:04.0 boot=vfiotest-root root=vfiotest init=/vfiotest-init" base judge_bootrec
scenario dracut+bootrec_d boot-record-after-switch-root seabios \
	"$IOMMU vfio.bind=00:04.0 root=vfiotest init=/vfiotest-init" base judge_bootrec
