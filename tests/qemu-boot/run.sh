#!/bin/bash
# Booted scenarios: Debian's kernel, images made by Debian's own mkinitramfs and dracut from
# the installed hooks (make install DESTDIR=), QEMU. Each scenario is judged by the guest's
# own view (driver links, driver_override, /proc/fb, kernel log) read from the serial console.
#
#   tests/qemu-boot/run.sh [PATTERN...]    only the tests whose name contains a PATTERN
#
# Writes build/results/qemu-boot.txt (PASS/FAIL/SKIP name), the serial logs in
# build/qemu/logs/, and ends with "N passed, N failed". Two VMs at a time (QEMU_JOBS).
set -u
. "$(dirname "$0")/lib.sh"

JOBS=${QEMU_JOBS:-2}
RESULTS=$top/build/results/qemu-boot.txt
RES=$Q/res
PATTERNS=("$@")
T_START=$(date +%s)

selected() {
	local p
	[ ${#PATTERNS[@]} -eq 0 ] && return 0
	for p in "${PATTERNS[@]}"; do
		case $1 in *"$p"*) return 0 ;; esac
		# "selected build/" asks for the build checks as a group.
		case $1/$p in build/build*) return 0 ;; esac
	done
	return 1
}

# --- judging ---------------------------------------------------------------------------
# A judge calls expect/expect_not (both described by what should hold); each unmet
# expectation is one reason in FAILS.
FAILS=()
SKIP_REASON=
expect() {
	local what=$1
	shift
	"$@" || FAILS+=("$what")
}
expect_not() {
	local what=$1
	shift
	"$@" && FAILS+=("$what")
}
is_driver() { [ "$(dev_field "$LOG" "$1" driver)" = "$2" ]; }
is_override() { [ "$(dev_field "$LOG" "$1" override)" = "$2" ]; }
has_klog() { klog "$LOG" | grep -Eq -- "$1"; }
no_vfio_pci() { ! grep -q '^VFT dev .* driver=vfio-pci ' "$LOG"; }
fb_has() { grep -q "^VFT fb .*$1" "$LOG"; }
module_loaded() { grep -Eq "^VFT modules.* $1( |\$)" "$LOG"; }

# claimed ADDR HOSTDRV: on vfio-pci through driver_override, vfio-bind logged the claim, and
# the host driver's probe never ran on the device (the driver core logs every probe).
claimed() {
	expect "$1 on vfio-pci (driver=$(dev_field "$LOG" "$1" driver))" is_driver "$1" vfio-pci
	expect "$1 driver_override=vfio-pci" is_override "$1" vfio-pci
	expect "log: '$1 ... claimed'" has_klog "vfio-bind: $1 [0-9a-f:]+ claimed"
	[ -n "${2:-}" ] && expect_not "$2 never probed $1 (or vfio-bind ran too late)" probed "$LOG" "$2" "$1"
}
# kept ADDR HOSTDRV: the device is with its host driver and has no override.
kept() {
	expect "$1 on $2 (driver=$(dev_field "$LOG" "$1" driver))" is_driver "$1" "$2"
	expect "$1 has no driver_override ($(dev_field "$LOG" "$1" override))" is_override "$1" -
}

A_VGA=0000:00:02.0 A_NIC1=0000:00:03.0 A_NIC2=0000:00:04.0 A_HDA=0000:00:05.0
A_MF0=0000:00:06.0 A_MF1=0000:00:06.1

judge_control() {
	kept $A_VGA bochs-drm
	kept $A_NIC1 e1000
	kept $A_NIC2 e1000
	kept $A_HDA snd_hda_intel
	expect "no device on vfio-pci" no_vfio_pci
	expect "bochs-drm probed $A_VGA" probed "$LOG" bochs-drm $A_VGA
	expect "iommu groups present" grep -Eq '^VFT groups [1-9]' "$LOG"
}
judge_claim_by_id() {
	claimed $A_VGA bochs-drm
	claimed $A_HDA snd_hda_intel
	kept $A_NIC1 e1000
	kept $A_NIC2 e1000
	# The competitors were there: udev loaded them for the claimed devices' modaliases.
	expect "bochs module loaded (it competed)" module_loaded bochs
	expect "snd_hda_intel module loaded (it competed)" module_loaded snd_hda_intel
	expect_not "no bochs-drm framebuffer in /proc/fb" fb_has bochs
}
judge_nic_by_address() {
	claimed $A_NIC2 e1000
	kept $A_NIC1 e1000
	expect "e1000 probed $A_NIC1" probed "$LOG" e1000 $A_NIC1
	kept $A_VGA bochs-drm
}
judge_multifunction() {
	claimed $A_MF0 e1000
	claimed $A_MF1 snd_hda_intel
	kept $A_NIC1 e1000
	kept $A_NIC2 e1000
	kept $A_HDA snd_hda_intel
}
judge_guarded_wrong_id() {
	expect "log: '$A_NIC1 8086:100e refused: ...'" \
		has_klog "vfio-bind: $A_NIC1 8086:100e refused: .*10de:1c03"
	kept $A_NIC1 e1000
	kept $A_NIC2 e1000
	expect "no device on vfio-pci" no_vfio_pci
}
judge_preloaded() {
	# Precondition: e1000 really had the device before vfio-bind ran.
	expect "e1000 probed $A_NIC2 before vfio-bind (preload)" probed "$LOG" e1000 $A_NIC2
	expect "preload logged" has_klog 'vfiotest: preloading e1000'
	claimed $A_NIC2
	expect "log: '$A_NIC2 ... claimed (was e1000)'" \
		has_klog "vfio-bind: $A_NIC2 8086:100e claimed \\(was e1000\\)"
	kept $A_NIC1 e1000
}
judge_no_iommu() {
	expect "no IOMMU groups in the guest" grep -q '^VFT groups 0$' "$LOG"
	expect "log: '$A_NIC2 ... released to host: ...IOMMU...'" \
		has_klog "vfio-bind: $A_NIC2 8086:100e released to host: .*IOMMU"
	kept $A_NIC2 e1000
	kept $A_NIC1 e1000
	expect "no device on vfio-pci" no_vfio_pci
}
judge_garbage() {
	local t
	for t in 'zz:zz' '1234:56789' '00:1f.9' '!'; do
		expect "log: bad selector '$t'" has_klog "vfio-bind: bad selector '$(printf '%s' "$t" |
			sed 's/[.]/\\./g')'"
	done
	claimed $A_NIC2 e1000
	kept $A_NIC1 e1000
	kept $A_VGA bochs-drm
}
# Without printk.devkmsg=on the kernel keeps 10 lines per open of /dev/kmsg and drops the
# rest: every bad token, the claim and the summary must still be in the log.
judge_many_lines_ratelimited() {
	local i
	for i in 01 02 03 04 05 06 07 08 09 10 11 12; do
		expect "log: bad selector 'x$i'" has_klog "vfio-bind: bad selector 'x$i'"
	done
	expect "log: claim line" has_klog "vfio-bind: $A_NIC2 8086:100e claimed"
	expect "log: summary with 12 bad tokens" has_klog "vfio-bind: 1 claimed, .* 12 bad tokens"
	expect_not "no 'callbacks suppressed' for vfio-bind" has_klog "vfio-bind: [0-9]+ output lines suppressed"
	claimed $A_NIC2 e1000
}
judge_rd_prefix() {
	claimed $A_NIC2 e1000
	kept $A_NIC1 e1000
	expect_not "no 'vfio: unknown parameter' line with rd.vfio.bind=" \
		has_klog "unknown parameter 'bind'"
}
judge_efifb() {
	if ! has_klog 'efifb: (probing|framebuffer at)'; then
		SKIP_REASON="OVMF did not set up efifb on this display device"
		return
	fi
	claimed $A_VGA bochs-drm
	expect_not "/proc/fb no longer shows the EFI framebuffer" fb_has 'EFI VGA'
	expect "log: 'released ... efi-framebuffer.0 ... from $A_VGA'" \
		has_klog "vfio-bind: released .*efi-framebuffer\.0.* from $A_VGA"
	kept $A_NIC1 e1000
}
judge_exclusion() {
	claimed $A_NIC2 e1000
	kept $A_NIC1 e1000
	expect "e1000 probed $A_NIC1" probed "$LOG" e1000 $A_NIC1
}

# --- scenarios ---------------------------------------------------------------------------
# name | generator | firmware | kernel command line | devices | judge
SCENARIOS=()
scenario() { selected "$1/$2" && SCENARIOS+=("$1/$2|$1|$3|$4|$5|$6"); }

# Cells (K1, Debian 12's generators): a scenario runs under both generators when the generator
# can change its outcome (where vfio-bind runs, what the image holds), under one when only the
# binary and the kernel decide (kernels.sh says the same for the other kernels).
IOMMU="intel_iommu=on"
for g in initramfs-tools dracut; do
	# each generator's baseline, and its claim before coldplug (init-top ORDER, pre-udev)
	scenario $g control seabios "$IOMMU" base judge_control
	scenario $g claim-by-id seabios "$IOMMU vfio.bind=1234:1111,8086:2668" base judge_claim_by_id
done
# an address selector and the no-IOMMU hand-back: the binary and the kernel decide; under
# dracut the same claim of 00:04.0 is rd-prefix's
scenario initramfs-tools nic-by-address seabios "$IOMMU vfio.bind=00:04.0" base judge_nic_by_address
scenario initramfs-tools no-iommu seabios-noiommu "vfio.bind=00:04.0" base judge_no_iommu
# dracut's rd. prefix: the same claim, and vfio.ko sees no "bind" parameter
scenario dracut rd-prefix seabios "$IOMMU rd.vfio.bind=00:04.0" base judge_rd_prefix
# The systemd flavour of dracut's initrd: the pre-udev hook runs from dracut-pre-udev.service
# (claim-by-id's "never probed" is what the flavour could change; dracut's control is the
# baseline of the same modules).
scenario dracut-systemd claim-by-id seabios "$IOMMU vfio.bind=1234:1111,8086:2668" base \
	judge_claim_by_id
# A dynamically linked build (make STATIC=0, as distributions link it): copy_exec and
# inst_binary must bring libkmod along.
scenario initramfs-tools-dynamic claim-by-id seabios "$IOMMU vfio.bind=1234:1111,8086:2668" base \
	judge_claim_by_id
g=initramfs-tools
scenario $g multifunction seabios "$IOMMU vfio.bind=00:06.*" multifunction judge_multifunction
scenario $g guarded-wrong-id seabios "$IOMMU vfio.bind=10de:1c03@00:03.0" base \
	judge_guarded_wrong_id
scenario $g host-driver-preloaded seabios "$IOMMU vfiotest.preload=e1000 vfio.bind=00:04.0" \
	base judge_preloaded
scenario $g garbage-tokens seabios \
	"$IOMMU vfio.bind=zz:zz,00:04.0,1234:56789 vfio.bind=00:1f.9,!" base judge_garbage
scenario $g many-lines-ratelimited seabios \
	"$IOMMU printk.devkmsg=ratelimit vfio.bind=x01,x02,x03,x04,x05,x06,x07,x08,x09,x10,x11,x12,00:04.0" \
	base judge_many_lines_ratelimited
scenario $g ovmf-efifb-vga ovmf "$IOMMU vfio.bind=1234:1111" base judge_efifb
scenario $g ovmf-efifb-bochs-display ovmf "$IOMMU vfio.bind=1234:1111" bochs-display judge_efifb
scenario $g exclusion seabios "$IOMMU vfio.bind=8086:100e,!00:03.0" base judge_exclusion

# The kernel dimension: K2 (Debian's 6.12) and K3 (built: simpledrm, built-in vfio-pci), their
# scenarios and the per-kernel build checks. `scenario` above means K1.
. "$here/kernels.sh"

# More scenarios, one file per topic: each defines its judges, device sets (devset_NAME sets
# DEV) and image variants (variant_NAME DIR, see build_variant_image), then calls scenario.
for f in "$here"/scenarios.d/*.sh; do
	[ -f "$f" ] && . "$f"
done

devices_for() {
	case $1 in
	base) DEV=("${BASE_DEVICES[@]}") ;;
	multifunction)
		DEV=("${BASE_DEVICES[@]}" -device e1000,addr=06.0,multifunction=on,romfile=
			-device intel-hda,addr=06.1,id=hda2 -device hda-duplex,bus=hda2.0,audiodev=snd0)
		;;
	bochs-display)
		DEV=(-device bochs-display,addr=02.0 "${BASE_DEVICES[@]:2}")
		;;
	*)
		if declare -F "devset_$1" >/dev/null; then
			"devset_$1"
		else
			DEV=("${BASE_DEVICES[@]}")
		fi
		;;
	esac
}

# --- result bookkeeping --------------------------------------------------------------------
# record NAME VERDICT DETAIL...: one result file per test, gathered in order at the end.
record() {
	local name=$1 verdict=$2
	shift 2
	mkdir -p "$RES"
	{
		echo "$verdict $name"
		printf '%s\n' "$@"
	} >"$RES/$(echo "$name" | tr '/' '_')"
}

run_scenario() {
	local name gen fw append set judge kernel secs img ms span self detail
	IFS='|' read -r name gen fw append set judge kernel <<<"$1"
	kernel=${kernel:-k1}
	LOG=$Q/logs/$name.log
	mkdir -p "$(dirname "$LOG")"
	if [ -n "${KSKIP[$kernel]:-}" ]; then
		record "$name" SKIP "  ${KSKIP[$kernel]}"
		return
	fi
	kernel_use "$kernel"
	img=$(kernel_image "$kernel" "$gen")
	if [ ! -s "$img" ]; then
		record "$name" FAIL "  no $gen image (see $img.log)"
		return
	fi
	devices_for "$set"
	secs=$(vm "$LOG" "$fw" "$img" "$append" "${DEV[@]}")
	FAILS=()
	SKIP_REASON=
	if ! grep -q '^VFT-END' "$LOG"; then
		FAILS+=("the boot did not reach the test payload: $(grep -m1 -iE 'panic|error' \
			"$LOG.err" "$LOG" 2>/dev/null | cut -c1-120)")
	elif ! klog "$LOG" | grep -q 'really_probe: probing driver'; then
		# Without them "never probed" would hold vacuously.
		FAILS+=("the driver core's probe lines (dd.dyndbg=+p) in the kernel log")
	else
		$judge
	fi
	ms=$(vfio_bind_ms "$LOG")
	span=$(vfio_bind_ms "$LOG" span)
	self=$(vfio_bind_self_ms "$LOG")
	if [ "$ms" = - ]; then
		detail=$(printf 'boot %5.1f s  vfio-bind: no log lines' "$secs")
	else
		detail=$(printf 'boot %5.1f s  vfio-bind boot %4s ms (first..last line %s ms%s)' \
			"$secs" "$ms" "$span" "${self:+; own count $self ms}")
	fi
	if [ -n "$SKIP_REASON" ]; then
		record "$name" SKIP "$detail" "  $SKIP_REASON"
	elif [ ${#FAILS[@]} -eq 0 ]; then
		record "$name" PASS "$detail"
	else
		local f lines=()
		for f in "${FAILS[@]}"; do lines+=("  expected: $f"); done
		lines+=("  vfio-bind said:")
		while IFS= read -r f; do lines+=("    $f"); done < <(vfio_bind_lines "$LOG" | head -n 12)
		lines+=("  serial log: ${LOG#"$top"/}")
		record "$name" FAIL "$detail" "${lines[@]}"
	fi
}

# --- build-time checks -----------------------------------------------------------------------
image_lists() { # GEN IMAGE: file list of an image
	case $1 in
	initramfs-tools) lsinitramfs "$2" ;;
	*) lsinitrd "$2" 2>/dev/null ;;
	esac
}
check_contents() { # NAME GEN IMAGE PATTERN...: every pattern matches a path in the image
	local name=$1 gen=$2 img=$3 p missing=()
	shift 3
	if [ ! -s "$img" ]; then
		record "$name" FAIL "  image not built: $(tail -n 3 "$img.log" 2>/dev/null | tr '\n' ' ')"
		return
	fi
	local list
	list=$(image_lists "$gen" "$img")
	for p in "$@"; do
		echo "$list" | grep -Eq -- "$p" || missing+=("$p")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		record "$name" PASS "$(du -h "$img" | cut -f1) image"
	else
		record "$name" FAIL "  missing from the image: ${missing[*]}"
	fi
}
VFIO_FILES=('usr/sbin/vfio-bind$' '/vfio-pci\.ko' '/vfio-pci-core\.ko' '/vfio\.ko'
	'/vfio_iommu_type1\.ko' '/irqbypass\.ko')
HOST_DRIVERS=('/bochs\.ko' '/e1000\.ko' '/snd-hda-intel\.ko')

check_order() { # [NAME IMAGE]: the init-top ORDER in the built image runs vfio-bind before udev
	local name=${1:-build/initramfs-tools-order} img=${2:-$Q/images/initramfs-tools.img} d order
	d=$(mktemp -d "$Q/unpack.XXXXXX")
	if ! unmkinitramfs "$img" "$d" 2>/dev/null; then
		record "$name" FAIL "  cannot unpack $img"
		rm -rf "$d"
		return
	fi
	order=$(cat "$d"/scripts/init-top/ORDER "$d"/main/scripts/init-top/ORDER 2>/dev/null |
		sed -n 's|^/scripts/init-top/\([^ ]*\) .*|\1|p' | tr '\n' ' ')
	rm -rf "$d"
	if echo " $order" | grep -q ' 00-vfio-bind .* udev '; then
		record "$name" PASS "  ORDER: $order"
	else
		record "$name" FAIL "  ORDER does not run 00-vfio-bind before udev: $order"
	fi
}

check_install_layout() {
	local name=build/install-layout f missing=()
	for f in usr/sbin/vfio-bind usr/share/initramfs-tools/hooks/vfio-bind \
		usr/share/initramfs-tools/scripts/init-top/00-vfio-bind \
		usr/lib/dracut/modules.d/59vfio-bind/module-setup.sh \
		usr/lib/dracut/modules.d/59vfio-bind/vfio-bind.sh; do
		[ -x "$Q/stage/$f" ] || missing+=("$f")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		record "$name" PASS
	else
		record "$name" FAIL "  not installed (or not executable): ${missing[*]}"
	fi
}

# Without the binary, the hook warns and the image still builds (never fails the build).
check_no_binary() {
	local name=build/initramfs-tools-without-binary st=$Q/stage-nobin img=$Q/images/nobin.img
	rm -rf "$st"
	cp -a "$Q/stage" "$st"
	rm -f "$st/usr/sbin/vfio-bind"
	if build_image initramfs-tools "$img" "$st" && [ -s "$img" ] &&
		! lsinitramfs "$img" | grep -q 'usr/sbin/vfio-bind$'; then
		record "$name" PASS "  $(grep -m1 'vfio-bind' "$img.log")"
	else
		record "$name" FAIL "  mkinitramfs failed or the image is wrong (see $img.log)"
	fi
}

# The STATIC=0 binary in a copy of the staging root, and images from it for both generators.
build_dynamic_images() {
	local st=$Q/stage-dynamic
	rm -rf "$st" "$Q/dynamic"
	if ! make -s -C "$top" B="$Q/dynamic" STATIC=0 "$Q/dynamic/vfio-bind" \
		>"$Q/images/dynamic-make.log" 2>&1; then
		log "make STATIC=0 failed: $(tail -n 3 "$Q/images/dynamic-make.log")"
		return
	fi
	cp -a "$Q/stage" "$st"
	cp "$Q/dynamic/vfio-bind" "$st/usr/sbin/vfio-bind"
	build_image initramfs-tools "$Q/images/initramfs-tools-dynamic.img" "$st"
	selected build/ && build_image dracut "$Q/images/dracut-dynamic.img" "$st"
}

build_modules_dep_image() {
	(
		export MODULES=dep
		build_image initramfs-tools "$Q/images/modules-dep.img"
	)
}

# build_variant_image GEN+VARIANT [OUT]: the image of generator GEN, built from what the scenario
# file's function variant_VARIANT DIR prepared: DIR/etc (laid over the host's /etc while the
# image is built: modprobe.d, vfio-bind's configuration) and, when it creates it, DIR/stage
# (a staging root to use instead of build/qemu/stage; start from a copy of $Q/stage).
# OUT: another kernel's image (kernels.sh), for the kernel KDIR and KVER name.
build_variant_image() {
	local gen=${1%%+*} variant=${1#*+} dir=$Q/variants/${1#*+} out=${2:-$Q/images/$1.img}
	[ -n "${2:-}" ] && dir=$Q/variants/$(basename "$(dirname "$2")")-${1#*+}
	rm -rf "$dir"
	mkdir -p "$dir/etc" "$(dirname "$out")"
	if ! declare -F "variant_$variant" >/dev/null; then
		echo "no function variant_$variant" >"$out.log"
		return 1
	fi
	if ! "variant_$variant" "$dir" >"$out.log" 2>&1; then
		echo "variant_$variant failed" >>"$out.log"
		return 1
	fi
	local stage=$Q/stage
	[ -d "$dir/stage" ] && stage=$dir/stage
	ETC_LAYER=$dir/etc build_image "$gen" "$out" "$stage"
}

# spawn CMD...: run in the background, at most JOBS at a time.
spawn() {
	while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n; done
	"$@" &
}

# --- main ------------------------------------------------------------------------------------
rm -rf "$RES" "$Q/logs" "$Q/images"
mkdir -p "$Q/logs" "$Q/images" "$(dirname "$RESULTS")"

fatal=
if ! prepare_kernel; then
	fatal="cannot get the Debian kernel (apt-get download linux-image-*-amd64)"
elif ! prepare_stage; then
	fatal="make install DESTDIR= failed"
fi

if [ -z "$fatal" ]; then
	log "kernel $KVER ($KDIR)"
	kernel_remember k1
	# Which images the selected tests need (K2 and K3 in KNEED, "KERNEL GEN").
	declare -A NEED=() KNEED=()
	for s in "${SCENARIOS[@]}"; do
		IFS='|' read -r _ gen _ _ _ _ kernel <<<"$s"
		if [ "${kernel:-k1}" = k1 ]; then
			NEED[$gen]=1
		else
			KNEED["$kernel $gen"]=1
		fi
	done
	{ selected build/ || selected build/k1/; } && NEED[initramfs-tools]=1 && NEED[dracut]=1
	for k in "${KERNEL_NAMES[@]:1}"; do
		selected "build/$k/" && KNEED["$k initramfs-tools"]=1 && KNEED["$k dracut"]=1
	done
	# The other kernels first, one after the other: K3 may have to be built (minutes, both
	# cores), K4 and the trixie lane fetched and the trixie root made (network).
	for k in "${KERNEL_NAMES[@]:1}"; do
		case " ${!KNEED[*]} " in *" $k "*) kernel_prepare $k ;; esac
	done
	kernel_use k1
	t0=$(date +%s)
	# The initramfs-tools image first: the KVM probe boots it while the others build.
	build_image initramfs-tools "$Q/images/initramfs-tools.img" ||
		log "mkinitramfs failed: $(tail -n 5 "$Q/images/initramfs-tools.img.log")"
	spawn probe_accel "$Q/images/initramfs-tools.img"
	for gen in dracut dracut-systemd; do
		[ -n "${NEED[$gen]:-}" ] || continue
		spawn build_image "$gen" "$Q/images/$gen.img"
	done
	# Image variants: "GEN+VARIANT" in a scenario's generator field.
	for gen in "${!NEED[@]}"; do
		case $gen in *+*) spawn build_variant_image "$gen" ;; esac
	done
	if [ -n "${NEED[initramfs-tools-dynamic]:-}" ] || selected build/; then
		spawn build_dynamic_images
	fi
	for kg in "${!KNEED[@]}"; do
		k=${kg% *}
		[ -z "${KSKIP[$k]:-}" ] && spawn kernel_build_image $kg
	done
	if selected build/; then
		# MODULES=dep must not drop the vfio modules (not in use on the build host).
		spawn build_modules_dep_image
		spawn check_no_binary
	fi
	wait
	for gen in dracut dracut-systemd; do
		[ -z "${NEED[$gen]:-}" ] || [ -s "$Q/images/$gen.img" ] ||
			log "dracut ($gen) failed: $(tail -n 5 "$Q/images/$gen.img.log")"
	done
	# The probe's verdict lives in that subshell: take it from its log.
	if grep -q '^VFT-END' "$Q/logs/kvm-probe.log" 2>/dev/null; then
		ACCEL=(-accel kvm -cpu host)
		ACCEL_NAME=kvm
		VM_TIMEOUT=90
	fi
	log "images built in $(($(date +%s) - t0)) s; accelerator $ACCEL_NAME; $JOBS VMs at a time"

	if selected build/; then
		check_install_layout
		check_order
		check_contents build/initramfs-tools-contents initramfs-tools \
			"$Q/images/initramfs-tools.img" "${VFIO_FILES[@]}" "${HOST_DRIVERS[@]}" \
			'scripts/init-top/00-vfio-bind$' 'lib/udev/rules.d/70-vfio-bind\.rules$'
		check_contents build/dracut-contents dracut "$Q/images/dracut.img" \
			"${VFIO_FILES[@]}" "${HOST_DRIVERS[@]}" 'hooks/pre-udev/[0-9]+-vfio-bind\.sh$' \
			'lib/udev/rules.d/70-vfio-bind\.rules$'
		check_contents build/initramfs-tools-modules-dep initramfs-tools \
			"$Q/images/modules-dep.img" "${VFIO_FILES[@]}"
		check_contents build/initramfs-tools-dynamic-binary initramfs-tools \
			"$Q/images/initramfs-tools-dynamic.img" "${VFIO_FILES[@]}" '/libkmod\.so\.2( |$)'
		check_contents build/dracut-dynamic-binary dracut "$Q/images/dracut-dynamic.img" \
			"${VFIO_FILES[@]}" '/libkmod\.so\.2( |$)'
	fi
	for k in "${KERNEL_NAMES[@]}"; do
		for gen in initramfs-tools dracut; do
			selected "build/$k/$gen-vfio-modules" && check_vfio_modules $k $gen
		done
	done
	# Debian 13's generators: the init-top ORDER of 0.148's image (early and main archives),
	# dracut 106's hook under /var/lib/dracut/hooks, the udev rule in both
	if selected build/trixie/; then
		if [ -n "${KSKIP[trixie]:-}" ]; then
			for n in initramfs-tools-order initramfs-tools-contents dracut-contents; do
				record "build/trixie/$n" SKIP "  ${KSKIP[trixie]}"
			done
		else
			check_order build/trixie/initramfs-tools-order "$Q/images/trixie/initramfs-tools.img"
			check_contents build/trixie/initramfs-tools-contents initramfs-tools \
				"$Q/images/trixie/initramfs-tools.img" 'usr/sbin/vfio-bind$' \
				'scripts/init-top/00-vfio-bind$' 'lib/udev/rules.d/70-vfio-bind\.rules$'
			check_contents build/trixie/dracut-contents dracut "$Q/images/trixie/dracut.img" \
				'usr/sbin/vfio-bind$' 'var/lib/dracut/hooks/pre-udev/[0-9]+-vfio-bind\.sh$' \
				'lib/udev/rules.d/70-vfio-bind\.rules$'
		fi
	fi

	# Longest boots first (OVMF, then dracut), so that the two lanes end together.
	for lane in ovmf dracut-systemd dracut other; do
		for s in "${SCENARIOS[@]}"; do
			IFS='|' read -r _ gen fw _ <<<"$s"
			case $fw in ovmf*) k=ovmf ;; *) case $gen in dracut*) k=${gen%%+*} ;; *) k=other ;; esac ;; esac
			[ "$k" = "$lane" ] && spawn run_scenario "$s"
		done
	done
	wait
fi

# Gather, in the order the tests were declared.
: >"$RESULTS"
pass=0 fail=0 skip=0
names=()
selected build/ && names+=(build/install-layout build/initramfs-tools-order
	build/initramfs-tools-contents build/dracut-contents build/initramfs-tools-modules-dep
	build/initramfs-tools-without-binary build/initramfs-tools-dynamic-binary
	build/dracut-dynamic-binary)
for k in "${KERNEL_NAMES[@]}"; do
	for gen in initramfs-tools dracut; do
		selected "build/$k/$gen-vfio-modules" && names+=("build/$k/$gen-vfio-modules")
	done
done
selected build/trixie/ && names+=(build/trixie/initramfs-tools-order
	build/trixie/initramfs-tools-contents build/trixie/dracut-contents)
for s in "${SCENARIOS[@]}"; do names+=("${s%%|*}"); done
echo
for n in "${names[@]}"; do
	f=$RES/$(echo "$n" | tr '/' '_')
	if [ -n "$fatal" ]; then
		printf 'FAIL  %s  (%s)\n' "$n" "$fatal"
		echo "FAIL $n" >>"$RESULTS"
		fail=$((fail + 1))
		continue
	fi
	[ -f "$f" ] || record "$n" FAIL "  no result (the test crashed?)"
	read -r verdict _ <"$f"
	echo "$verdict $n" >>"$RESULTS"
	printf '%-5s %-45s %s\n' "$verdict" "$n" "$(sed -n 2p "$f" | sed 's/^ *//')"
	tail -n +3 "$f"
	case $verdict in
	PASS) pass=$((pass + 1)) ;;
	FAIL) fail=$((fail + 1)) ;;
	*) skip=$((skip + 1)) ;;
	esac
done
# The time of each lane (a kernel and the generators that made its images): the lanes boot
# interleaved, two VMs at a time, so each is the sum of its boots' and its images' seconds.
lane_times() {
	local k f n secs imgs ni
	for k in "${KERNEL_NAMES[@]}"; do
		n=0 secs=0
		for s in "${SCENARIOS[@]}"; do
			IFS='|' read -r name _ _ _ _ _ kernel <<<"$s"
			[ "${kernel:-k1}" = "$k" ] || continue
			f=$RES/$(echo "$name" | tr '/' '_')
			[ -f "$f" ] || continue
			n=$((n + 1))
			secs=$(sed -n '2s/^boot *\([0-9.]*\) s.*/\1/p' "$f" | awk -v t="$secs" '{ t += $1 } END { print t }')
		done
		if [ "$k" = k1 ]; then
			imgs=$(cat "$Q"/images/*.secs 2>/dev/null | awk '{ t += $1 } END { printf "%.0f", t }')
			ni=$(ls "$Q"/images/*.secs 2>/dev/null | wc -l)
		else
			imgs=$(cat "$Q/images/$k"/*.secs 2>/dev/null | awk '{ t += $1 } END { printf "%.0f", t }')
			ni=$(ls "$Q/images/$k"/*.secs 2>/dev/null | wc -l)
		fi
		[ "$n" -gt 0 ] || [ "$ni" -gt 0 ] || continue
		printf 'qemu-boot: lane %-6s %3d boots %6.0f s, %2d images %4s s%s\n' "$k" "$n" "$secs" \
			"$ni" "$imgs" "${KVERS[$k]:+ ($(basename "${KDIRS[$k]}")${KROOTS[$k]:+, Debian 13 generators})}"
	done
}
echo
[ -z "$fatal" ] && lane_times
echo "qemu-boot: serial logs in ${Q#"$top"/}/logs/, results in ${RESULTS#"$top"/};" \
	"accelerator $ACCEL_NAME; wall time $(($(date +%s) - T_START)) s"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
