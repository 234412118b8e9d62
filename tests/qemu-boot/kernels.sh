# The kernel dimension of the booted scenarios (bash, sourced by run.sh after lib.sh).
#   k1  Debian 12's 6.1 (get-kernel.sh): efifb, uncompressed modules, vfio as modules
#   k2  Debian's 6.12 (get-kernel.sh --k2): .ko.xz modules the kernel decompresses, efifb
#   k3  linux-source-6.12 + kernels/k3.fragment (build-k3.sh): simpledrm on
#       simple-framebuffer.0, vfio-pci built in, iommufd and the vfio device cdev
#   k4  Debian's newest kernel (get-kernel.sh --k4: trixie-backports' 7.x in 2026), its images
#       made by Debian 13's generators in the trixie root (get-trixie-root.sh)
#   trixie  the Debian 13 lane: trixie's own 6.12 (get-kernel.sh --trixie), images made by
#       initramfs-tools 0.148 and dracut 106 chrooted in the trixie root
# `scenario GEN NAME ...` means k1, as it always did; `kscenario KERNEL GEN NAME ...` names the
# kernel. A k2/k3/k4/trixie scenario is called KERNEL/GEN/NAME, its image is
# images/KERNEL/GEN.img. K1, K2 and K3 images are made by the host's (Debian 12's) generators.
#
# Cells: a scenario runs on the kernel x generator cells where its outcome can differ, and each
# call below says why. What the generator decides: where the product runs (init-top before udev,
# dracut's pre-udev hook), what the image holds (modules compressed or not, the udev rule,
# /etc/vfio-bind.conf, /etc/modprobe.d). What the kernel decides: module format and loading,
# probe lines, IOMMU groups, the boot framebuffer, hot-plug. A kernel-only behaviour runs under
# one generator per kernel; the other generator takes the next such scenario, so that both
# images of a kernel boot.

declare -A KDIRS=() KVERS=() KELFS=() KBZS=() KSKIP=() KROOTS=()
KERNEL_NAMES=(k1 k2 k3 k4 trixie)

# kscenario KERNEL GENERATOR NAME FIRMWARE APPEND DEVSET JUDGE
kscenario() {
	local k=$1
	shift
	if [ "$k" = k1 ]; then
		scenario "$@"
		return
	fi
	selected "$k/$1/$2" && SCENARIOS+=("$k/$1/$2|$1|$3|$4|$5|$6|$k")
}

# kernel_remember KERNEL: keep what prepare_kernel (or kernel_prepare) set.
kernel_remember() {
	KDIRS[$1]=$KDIR
	KVERS[$1]=$KVER
	KELFS[$1]=$KERNEL_ELF
	KBZS[$1]=$KERNEL_BZ
	KROOTS[$1]=${GEN_ROOT:-}
}

# kernel_use KERNEL: make KDIR, KVER, KERNEL_ELF, KERNEL_BZ those of KERNEL.
kernel_use() {
	KDIR=${KDIRS[$1]}
	KVER=${KVERS[$1]}
	KERNEL_ELF=${KELFS[$1]}
	KERNEL_BZ=${KBZS[$1]}
	GEN_ROOT=${KROOTS[$1]:-}
}

# kernel_prepare k2|k3|k4|trixie: download and unpack, or build (k3, cached); k4 and trixie
# also need the trixie root (mmdebstrap, cached); on failure KSKIP holds why.
TRIXIE_ROOT=
kernel_prepare() {
	local k=$1 dir err=$Q/kernel-$1.err t0
	t0=$(date +%s)
	GEN_ROOT=
	case $k in
	k4 | trixie)
		if [ -z "$TRIXIE_ROOT" ]; then
			TRIXIE_ROOT=$("$here/get-trixie-root.sh" "$CACHE" 2>"$Q/trixie-root.err") || {
				KSKIP[$k]="no trixie root: $(tail -n 3 "$Q/trixie-root.err" | tr '\n' ' ')"
				log "$k: ${KSKIP[$k]}"
				return 1
			}
			log "trixie root: $TRIXIE_ROOT ($(tr '\n' ' ' <"$TRIXIE_ROOT/VERSIONS"))"
		fi
		GEN_ROOT=$TRIXIE_ROOT
		;;
	esac
	case $k in
	k2 | k4 | trixie) dir=$("$here/get-kernel.sh" --$k "$CACHE" 2>"$err") ;;
	k3)
		log "k3: building the kernel when it is not cached (linux-source-6.12, kernels/k3.fragment)"
		dir=$("$here/build-k3.sh" "$CACHE" 2>"$err")
		;;
	esac
	if [ -z "$dir" ] || [ ! -f "$dir/VERSION" ]; then
		KSKIP[$k]="kernel $k not available: $(tail -n 3 "$err" | tr '\n' ' ')"
		log "$k: ${KSKIP[$k]}"
		return 1
	fi
	KDIR=$dir
	KVER=$(cat "$dir/VERSION")
	KERNEL_BZ=$dir/boot/vmlinuz-$KVER
	KERNEL_ELF=$dir/boot/vmlinux-$KVER
	[ -f "$KERNEL_ELF" ] || KERNEL_ELF=$KERNEL_BZ
	kernel_remember "$k"
	log "kernel $k: $KVER ($dir; ready in $(($(date +%s) - t0)) s)"
	[ -f "$dir/BUILD-SECONDS" ] && log "kernel $k: built in $(cat "$dir/BUILD-SECONDS") s"
	return 0
}

# kernel_image KERNEL GEN: the image path of a scenario.
kernel_image() {
	if [ "$1" = k1 ]; then
		echo "$Q/images/$2.img"
	else
		echo "$Q/images/$1/$2.img"
	fi
}

# kernel_build_image KERNEL GEN (in the background: it changes the kernel variables)
kernel_build_image() {
	kernel_use "$1"
	case $2 in
	*+*) build_variant_image "$2" "$(kernel_image "$1" "$2")" ;;
	*) build_image "$2" "$(kernel_image "$1" "$2")" ;;
	esac
}

# --- build check: the images hold what modules.dep resolves for vfio-pci on each kernel --------
# The expected set comes from kmod's own modprobe --show-depends on the kernel's modules
# directory (dependencies and softdeps; "builtin" lines name what needs no file), never from a
# list: 6.1 has vfio_virqfd, 6.12 has not, K3 has no vfio module at all.
check_vfio_modules() { # KERNEL GEN
	local k=$1 gen=$2 name=build/$1/$2-vfio-modules img list want=() builtin=() m line missing=()
	img=$(kernel_image "$k" "$gen")
	if [ -n "${KSKIP[$k]:-}" ]; then
		record "$name" SKIP "  ${KSKIP[$k]}"
		return
	fi
	if [ ! -s "$img" ]; then
		record "$name" FAIL "  image not built: $(tail -n 3 "$img.log" 2>/dev/null | tr '\n' ' ')"
		return
	fi
	while read -r line; do
		case $line in
		insmod\ *)
			m=${line#insmod }
			m=${m%% *}
			m=${m##*/}
			m=${m%%.ko*}
			case " ${want[*]} " in *" $m "*) ;; *) want+=("$m") ;; esac
			;;
		builtin\ *) builtin+=("${line#builtin }") ;;
		esac
	done < <(modprobe -d "${KDIRS[$k]}" -S "${KVERS[$k]}" --show-depends vfio-pci 2>/dev/null)
	if [ ${#want[@]} -eq 0 ] && [ ${#builtin[@]} -eq 0 ]; then
		record "$name" FAIL "  modprobe --show-depends vfio-pci resolves nothing on ${KVERS[$k]}"
		return
	fi
	list=$(image_lists "$gen" "$img")
	for m in "${want[@]}"; do
		# mkinitramfs decompresses modules, dracut keeps .ko.xz: either is the module
		echo "$list" | grep -Eq -- "/$m\.ko(\.(xz|zst|gz))?( |\$)" || missing+=("$m")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		record "$name" PASS "  ${want[*]:-nothing to load}${builtin:+; built in: ${builtin[*]}}"
	else
		record "$name" FAIL "  missing from the image: ${missing[*]} (resolved: ${want[*]})"
	fi
}

# --- K2 and K3 scenarios -------------------------------------------------------------------------
# A console driver still bound to a framebuffer (the payload's VFT vtcon lines).
fbcon_bound() { grep -Eq '^VFT vtcon [a-z0-9]+ bind=1 .*frame buffer' "$LOG"; }
# Nothing of vfio is a loaded module (vfio-pci, vfio, iommufd are built in on K3).
no_vfio_module() { ! grep -Eq '^VFT modules.* (vfio[a-z_]*|irqbypass|iommufd)( |$)' "$LOG"; }
vfio_cdev() { grep -Eq "^VFT cdev $1 vfio[0-9]+\$" "$LOG"; }

# K3: vfio-pci is built in: nothing is loaded, the claim works, and nothing in vfio-bind's log
# calls that a failure.
judge_k3_builtin_claim() {
	judge_claim_by_id
	expect "no vfio module loaded (all built in)" no_vfio_module
	expect_not "vfio-bind does not report a failure to load vfio-pci" \
		has_klog 'vfio-bind: .*(load|vfio-pci (is|not)|libkmod|softdep)'
	expect "log: summary '2 claimed, 0 refused'" has_klog 'vfio-bind: 2 claimed, 0 refused'
	expect "the vfio device cdev of $A_VGA (vfio-dev/vfioN)" vfio_cdev $A_VGA
}
judge_k3_nic() {
	judge_nic_by_address
	expect "no vfio module loaded (all built in)" no_vfio_module
	expect "the vfio device cdev of $A_NIC2" vfio_cdev $A_NIC2
}
# K3 under OVMF: sysfb registered simple-framebuffer.0, simpledrm drove it (fb0, fbcon on it).
# The claim must release it: afterwards neither /proc/fb nor a console uses it, and the log
# names it.
judge_k3_simpledrm() {
	expect "simpledrm drove the boot framebuffer before vfio-bind" \
		has_klog 'simpledrm|simple-framebuffer'
	claimed $A_VGA bochs-drm
	expect_not "/proc/fb no longer shows simpledrm's framebuffer" fb_has simpledrm
	expect_not "no console bound to a frame buffer device" fbcon_bound
	expect "log: 'released ... simple-framebuffer.0 ... from $A_VGA'" \
		has_klog "vfio-bind: released .*simple-framebuffer\\.0.* from $A_VGA"
	expect_not "vfio-pci reserved the BAR (no 'can't reserve')" has_klog "vfio-pci.*can't reserve"
	kept $A_NIC1 e1000
}
# K2 under OVMF: Debian's 6.12 still has efifb (judge_efifb), and vfio-pci must not fail on
# the BAR either.
judge_k2_efifb() {
	judge_efifb
	expect_not "vfio-pci reserved the BAR (no 'can't reserve')" has_klog "vfio-pci.*can't reserve"
}

# K2 (Debian 12's 6.12) and K3 (built: simpledrm, vfio-pci built in), Debian 12's generators.
# One generator per kernel-only scenario (alternating), except claim-by-id under both on K2:
# mkinitramfs 0.142 decompresses the modules, dracut 059 keeps .ko.xz, so libkmod and the kernel
# load vfio-pci two different ways. control under initramfs-tools: the kernel's baseline (probe
# lines, groups, native drivers); under dracut the same images' claim-by-id checks that the
# host drivers were loaded and competed. On K3 nothing of vfio is a module: the generators
# differ only in where vfio-bind runs, which K1, K4 and the trixie lane cover.
for k in k2 k3; do
	kscenario $k initramfs-tools control seabios "$IOMMU" base judge_control
	if [ $k = k3 ]; then
		kscenario $k dracut claim-by-id seabios "$IOMMU vfio.bind=1234:1111,8086:2668" base \
			judge_k3_builtin_claim
		kscenario $k initramfs-tools nic-by-address seabios "$IOMMU vfio.bind=00:04.0" base \
			judge_k3_nic
		kscenario $k initramfs-tools ovmf-simpledrm-vga ovmf "$IOMMU vfio.bind=1234:1111" base \
			judge_k3_simpledrm
		kscenario $k dracut ovmf-simpledrm-bochs-display ovmf "$IOMMU vfio.bind=1234:1111" \
			bochs-display judge_k3_simpledrm
	else
		for g in initramfs-tools dracut; do
			kscenario $k $g claim-by-id seabios "$IOMMU vfio.bind=1234:1111,8086:2668" base \
				judge_claim_by_id
		done
		kscenario $k dracut nic-by-address seabios "$IOMMU vfio.bind=00:04.0" base \
			judge_nic_by_address
		kscenario $k initramfs-tools ovmf-efifb-vga ovmf "$IOMMU vfio.bind=1234:1111" base \
			judge_k2_efifb
		kscenario $k dracut ovmf-efifb-bochs-display ovmf "$IOMMU vfio.bind=1234:1111" \
			bochs-display judge_k2_efifb
	fi
	kscenario $k dracut no-iommu seabios-noiommu "vfio.bind=00:04.0" base judge_no_iommu
	kscenario $k initramfs-tools host-driver-preloaded seabios \
		"$IOMMU vfiotest.preload=e1000 vfio.bind=00:04.0" base judge_preloaded
done
