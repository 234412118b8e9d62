# Shared by run.sh and demo.sh (bash, sourced): kernel, staging root, images, VM boots, and
# reading the guest's marker lines back.
#
# Paths: build/qemu/ (stage, images, logs), the cache for the kernel package.

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
here=$top/tests/qemu-boot
Q=$top/build/qemu
CACHE=${VFIO_BIND_CACHE:-${HOME:-/root}/.cache/vfio-bind}
OVMF_CODE=${OVMF_CODE:-/usr/share/OVMF/OVMF_CODE_4M.fd}
OVMF_VARS=${OVMF_VARS:-/usr/share/OVMF/OVMF_VARS_4M.fd}
ACCEL=(-accel tcg,thread=multi)
ACCEL_NAME=tcg
VM_TIMEOUT=${VM_TIMEOUT:-150}
# Every boot: serial console; reboot (so QEMU exits) instead of a rescue shell on any failure;
# a root= that never appears (the payload powers off before the root is needed); every /dev/kmsg
# line kept; the driver core's debug lines (drivers/base/dd.c), which name every driver probed
# on every device. no_timer_check: under TCG on a loaded host the IO-APIC timer check can miss
# its ticks and panic ("timer doesn't work through Interrupt-remapped IO-APIC").
KERNEL_ARGS="console=ttyS0 no_timer_check panic=-1 rd.shell=0 quiet root=/dev/nonexistent printk.devkmsg=on dd.dyndbg=+p"

# The devices every test VM has: std VGA (bochs-drm), two identical e1000 NICs, an HDA
# controller with a codec (snd-hda-intel). Fixed addresses keep the selectors stable.
BASE_DEVICES=(-device VGA,addr=02.0
	-device e1000,addr=03.0,romfile= -device e1000,addr=04.0,romfile=
	-audiodev none,id=snd0 -device intel-hda,addr=05.0 -device hda-duplex,audiodev=snd0)

log() { printf '%s\n' "$*" >&2; }

# prepare_kernel: sets KDIR and KVER (downloads and unpacks on first use).
prepare_kernel() {
	KDIR=$("$here/get-kernel.sh" "$CACHE") || return 1
	KVER=$(cat "$KDIR/VERSION")
	KERNEL_ELF=$KDIR/boot/vmlinux-$KVER
	KERNEL_BZ=$KDIR/boot/vmlinuz-$KVER
	[ -f "$KERNEL_ELF" ] || KERNEL_ELF=$KERNEL_BZ
}

# prepare_stage: make install DESTDIR=build/qemu/stage, then prepare_test_files.
prepare_stage() {
	rm -rf "$Q/stage"
	mkdir -p "$Q"
	make -s -C "$top" install DESTDIR="$Q/stage" PREFIX=/usr >"$Q/install.log" 2>&1 || {
		cat "$Q/install.log" >&2
		return 1
	}
	# VFIO_BIND_DROP="PATH...": installed files (relative to the staging root) whose contents are
	# left out of every image, to show that a lane fails without them (README: "Shown able to
	# fail"). Each is emptied, not removed: the generators still find the hook or rule they
	# install (dracut aborts on a missing hook), and the image carries nothing of it.
	local f
	for f in ${VFIO_BIND_DROP:-}; do
		case $f in /* | *..*) log "VFIO_BIND_DROP: $f: not a path inside the staging root"; return 1 ;; esac
		[ -f "$Q/stage/$f" ] || { log "VFIO_BIND_DROP: $f: not installed"; return 1; }
		: >"$Q/stage/$f"
		log "VFIO_BIND_DROP: $f emptied in the staging root"
	done
	prepare_test_files
}

# prepare_test_files: the test-only files in build/qemu/test: a private CONFDIR for
# mkinitramfs and the dracut module 95vfiotest.
prepare_test_files() {
	rm -rf "$Q/test"
	local conf=$Q/test/itools-conf dmod=$Q/test/usr/lib/dracut/modules.d/95vfiotest
	mkdir -p "$conf/payload" "$dmod"
	cp -a "$here/payload/initramfs-tools/hooks" "$here/payload/initramfs-tools/scripts" "$conf/"
	cp "$here/payload/vfiotest-report" "$here/payload/vfiotest-preload" "$conf/payload/"
	# MODULES=list: only what the hooks add, so the image stays small and boots fast; the
	# test hook adds the competing host drivers.
	cat >"$conf/initramfs.conf" <<-EOF
	MODULES=list
	BUSYBOX=y
	COMPRESS=zstd
	COMPRESSLEVEL=1
	RUNSIZE=10%
	FSTYPE=auto
	EOF
	: >"$conf/modules"
	cp -a "$here/payload/dracut/95vfiotest/." "$dmod/"
	cp "$here/payload/vfiotest-report" "$here/payload/vfiotest-preload" "$dmod/"
}

# build_image GENERATOR OUT [STAGE]: log in OUT.log.
build_image() {
	local gen=$1 out=$2 stage=${3:-$Q/stage}
	local t0 rc=0
	mkdir -p "$(dirname "$out")"
	t0=$(date +%s.%N)
	# GEN_ROOT (kernels.sh: K4, trixie): the image is made by that root's generators
	GEN_ROOT=${GEN_ROOT:-} "$here/mkimage.sh" "$gen" "$KDIR" "$stage" "$Q/test" "$out" \
		>"$out.log" 2>&1 || rc=$?
	# its seconds, for the time per lane (run.sh)
	awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f\n", b - a }' >"$out.secs"
	return $rc
}

# vm LOG FIRMWARE IMAGE APPEND [QEMU ARGS...]: boot once, the serial console (CRs dropped)
# in LOG, QEMU's stderr in LOG.err. FIRMWARE: seabios | ovmf | seabios-noiommu | ovmf-noiommu.
# Prints the boot's wall time in seconds.
vm() {
	local logf=$1 fw=$2 img=$3 append=$4
	shift 4
	local kernel=$KERNEL_ELF machine=(-machine q35,kernel-irqchip=split) iommu=(-device
		intel-iommu,intremap=on) fwargs=() vars= t0 t1
	case $fw in
	*-noiommu) iommu=() ;;
	esac
	case $fw in
	ovmf*)
		kernel=$KERNEL_BZ # OVMF boots the EFI stub of the bzImage
		vars=$(mktemp "$Q/ovmf-vars.XXXXXX")
		cp "$OVMF_VARS" "$vars"
		fwargs=(-drive "if=pflash,format=raw,unit=0,readonly=on,file=$OVMF_CODE"
			-drive "if=pflash,format=raw,unit=1,file=$vars")
		;;
	esac
	t0=$(date +%s.%N)
	timeout "$VM_TIMEOUT" qemu-system-x86_64 -nodefaults -no-user-config -display none \
		-no-reboot "${ACCEL[@]}" "${machine[@]}" "${iommu[@]}" "${fwargs[@]}" -m 256 \
		-smp 1 -serial "file:$logf.raw" -kernel "$kernel" -initrd "$img" \
		-append "$KERNEL_ARGS $append" \
		"$@" </dev/null >"$logf.err" 2>&1
	t1=$(date +%s.%N)
	tr -d '\r' <"$logf.raw" >"$logf"
	rm -f "$logf.raw" ${vars:+"$vars"}
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f\n", b - a }'
}

# probe_accel IMAGE: use KVM only if a VM actually boots with it before a deadline; on
# these machines /dev/kvm exists but KVM does not work, so TCG is the usual answer.
probe_accel() {
	local img=$1 logf=$Q/logs/kvm-probe.log
	mkdir -p "$Q/logs"
	if [ ! -w /dev/kvm ] || [ -n "${VFIO_BIND_NO_KVM:-}" ]; then
		log "accelerator: tcg (no usable /dev/kvm)"
		return
	fi
	local saved=("${ACCEL[@]}") savedt=$VM_TIMEOUT
	ACCEL=(-accel kvm -cpu host)
	VM_TIMEOUT=40
	# (2>/dev/null: the shell's own "Aborted" note when QEMU dies of the failed probe)
	vm "$logf" seabios "$img" "" "${BASE_DEVICES[@]}" >/dev/null 2>&1
	VM_TIMEOUT=$savedt
	if grep -q '^VFT-END' "$logf"; then
		ACCEL_NAME=kvm
		VM_TIMEOUT=90
		log "accelerator: kvm (probe boot completed)"
	else
		ACCEL=("${saved[@]}")
		log "accelerator: tcg (kvm probe failed: $(head -n1 "$logf.err" 2>/dev/null))"
	fi
}

# --- reading a serial log --------------------------------------------------------------
# dev_field LOG ADDR FIELD: driver | override | group | id | class of a device.
dev_field() {
	local line
	line=$(grep -m1 "^VFT dev $2 " "$1") || { echo "?"; return; }
	case $3 in
	id) echo "$line" | awk '{ print $4 }' ;;
	class) echo "$line" | awk '{ print $5 }' ;;
	*) echo "$line" | tr ' ' '\n' | sed -n "s/^$3=//p" ;;
	esac
}
klog() { sed -n 's/^VFT K //p' "$1"; }
# vfio_bind_lines LOG: vfio-bind's own kernel-log lines.
vfio_bind_lines() { klog "$1" | grep 'vfio-bind: '; }
# probed LOG DRIVER ADDR: the driver core tried DRIVER on ADDR (dd.dyndbg=+p lines). Up to 6.1
# the line ends with the device ("... probing driver e1000 with device 0000:00:03.0"); from 6.3
# it is a dev_dbg() and the device leads it ("pci 0000:00:03.0: bus: 'pci': really_probe:
# probing driver e1000 with device").
probed() {
	klog "$1" | grep -Eq "really_probe: probing driver $2 with device $3\$|^\[[ 0-9.]*\] [^ ]+ $3: bus: '[^']*': really_probe: probing driver $2 with device\$"
}
# vfio_bind_ms LOG [span]: vfio-bind's run in ms, by kernel-log timestamps: from the payload's
# mark just before it starts to its last line; with "span", from its first line to its last.
vfio_bind_ms() {
	klog "$1" | grep -E "vfio-bind: |${2:+NO}vfiotest: vfio-bind starts" |
		sed -n 's/^\[ *\([0-9.]*\)\] \(vfio[a-z-]*\).*/\1 \2/p' |
		awk '$2 == "vfio-bind" { n++ } NR == 1 { a = $1 } { b = $1 }
			END { if (n) printf "%.0f\n", (b - a) * 1000; else print "-" }'
}
# vfio_bind_self_ms LOG: the duration vfio-bind reports in its summary line ("in N ms" or
# "in N us"), in ms.
vfio_bind_self_ms() {
	vfio_bind_lines "$1" | sed -n 's/.* in \([0-9.]*\) *\([mu]s\)$/\1 \2/p' | tail -n1 |
		awk '{ printf "%.1f\n", $2 == "us" ? $1 / 1000 : $1 }'
}
