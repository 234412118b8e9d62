# Devices that appear after the boot pass (issue 10): cards plugged in through the QEMU
# monitor after boot, and SR-IOV VFs of QEMU's emulated NVMe controller. The udev rule
# (udev/70-vfio-bind.rules) runs in the initramfs and claims them as they arrive.
#
# The guest side is payload/vfiotest-late, which only images of the "late" variant carry
# (vfiotest-report runs it first when it is there): vfiotest.wait= prints "VFT-READY ADDR"
# and waits for each card, vfiotest.sriov= writes sriov_numvfs. The host side is a monitor on
# a pair of FIFOs (-monitor pipe:) that late_plug feeds once the guest asks for each card.

# variant_late DIR: the staged files plus a hook that adds the late step, e1000e (the hot-plugged
# cards) and nvme (the SR-IOV controller) to the image.
variant_late() {
	local st=$1/stage
	cp -a "$Q/stage" "$st"
	mkdir -p "$st/usr/share/vfiotest-late" "$st/usr/share/initramfs-tools/hooks"
	cp "$here/payload/vfiotest-late" "$st/usr/share/vfiotest-late/"
	cat >"$st/usr/share/initramfs-tools/hooks/vfiotest-late" <<-'HOOK'
	#!/bin/sh
	# Test-only: the late step and the drivers of the late devices.
	PREREQ=""
	prereqs() { echo "$PREREQ"; }
	case $1 in prereqs) prereqs; exit 0 ;; esac
	. /usr/share/initramfs-tools/hook-functions
	manual_add_modules e1000e nvme
	copy_file script /usr/share/vfiotest-late/vfiotest-late /usr/bin/vfiotest-late
	exit 0
	HOOK
	chmod 755 "$st/usr/share/initramfs-tools/hooks/vfiotest-late"
	# dracut: the test module 95vfiotest, extended (this layer lies over build/qemu/test)
	local dm=$st/usr/lib/dracut/modules.d/95vfiotest
	mkdir -p "$dm"
	cp -a "$Q/test/usr/lib/dracut/modules.d/95vfiotest/." "$dm/"
	cp "$here/payload/vfiotest-late" "$dm/"
	cat >>"$dm/module-setup.sh" <<-'DRACUT'

	# scenarios.d/10-late.sh: the late step and the late devices' drivers
	eval "vfiotest_$(declare -f installkernel)"
	eval "vfiotest_$(declare -f install)"
	installkernel() {
	    vfiotest_installkernel
	    hostonly='' instmods e1000e nvme
	}
	install() {
	    vfiotest_install
	    inst_multiple udevadm
	    inst_script "$moddir/vfiotest-late" /usr/bin/vfiotest-late
	}
	DRACUT
}
# The same files for a dracut image (a variant directory is per name, not per generator).
variant_late_d() { variant_late "$@"; }

# late_plug RAWLOG MONITOR ADDR=COMMAND...: for each card, wait for the guest's
# "VFT-READY ADDR", then send COMMAND to the QEMU monitor. Gives up when the VM is gone.
# The FIFOs go when it is done (QEMU keeps its open ends).
late_plug() {
	late_plug_send "$@"
	rm -f "$2.in" "$2.out"
}
late_plug_send() {
	local raw=$1 mon=$2 pair addr cmd i seen=
	shift 2
	for pair in "$@"; do
		addr=${pair%%=*} cmd=${pair#*=}
		for ((i = 0; i < VM_TIMEOUT * 5; i++)); do
			if [ -e "$raw" ]; then
				seen=1
				grep -aq "^VFT-READY $addr" "$raw" && break
			elif [ -n "$seen" ]; then
				return
			fi
			sleep 0.2
		done
		# the FIFO blocks when QEMU is gone: never wait for it
		timeout 10 sh -c 'printf "%s\n" "$1" >"$2"' sh "$cmd" "$mon.in" || return
	done
}

# devset_late_hotplug: two empty PCIe root ports (buses 01 and 02) and a monitor. The
# unmatched e1000e goes in first: its driver is loaded (by udev) before the matched one
# arrives, so the kernel binds the matched one to e1000e before udev runs the rule.
devset_late_hotplug() {
	local mon=$LOG.mon
	rm -f "$mon.in" "$mon.out"
	mkfifo "$mon.in" "$mon.out"
	DEV=("${BASE_DEVICES[@]}"
		-device pcie-root-port,id=rp1,chassis=1,addr=07.0,mem-reserve=2M
		-device pcie-root-port,id=rp2,chassis=2,addr=08.0,mem-reserve=2M
		-monitor "pipe:$mon")
	late_plug "$LOG.raw" "$mon" \
		"0000:02:00.0=device_add e1000e,bus=rp2,id=hp2,romfile=" \
		"0000:01:00.0=device_add e1000e,bus=rp1,id=hp1,romfile=" &
}

# devset_late_sriov: QEMU's NVMe with SR-IOV (2 VFs; VF n at routing ID PF + 1 + n) behind a
# root port: PF 01:00.0, VFs 01:00.1 and 01:00.2.
devset_late_sriov() {
	DEV=("${BASE_DEVICES[@]}"
		-device pcie-root-port,id=rp1,chassis=1,addr=07.0
		-device nvme-subsys,id=nvmesub,nqn=vfiotest
		-device "nvme,bus=rp1,serial=vft0,subsys=nvmesub,sriov_max_vfs=2,sriov_vq_flexible=4,sriov_vi_flexible=2,max_ioqpairs=6,msix_qsize=5")
}

A_HP1=0000:01:00.0 A_HP2=0000:02:00.0
judge_late_hotplug() {
	expect "e1000e probed the unmatched $A_HP2" probed "$LOG" e1000e $A_HP2
	kept $A_HP2 e1000e
	expect_not "no vfio-bind line about the unmatched $A_HP2" has_klog "vfio-bind: $A_HP2"
	# the matched one: e1000e (loaded by then) had it in the kernel before udev ran the rule
	expect "e1000e probed $A_HP1 on arrival (precondition)" probed "$LOG" e1000e $A_HP1
	expect "$A_HP1 on vfio-pci (driver=$(dev_field "$LOG" $A_HP1 driver))" \
		is_driver $A_HP1 vfio-pci
	expect "$A_HP1 driver_override=vfio-pci" is_override $A_HP1 vfio-pci
	expect "log: '$A_HP1 ... arrived late (hot-plugged...'" \
		has_klog "vfio-bind: $A_HP1 8086:10d3 arrived late \\(hot-plugged"
	expect "log: '$A_HP1 ... claimed late (was e1000e)'" \
		has_klog "vfio-bind: $A_HP1 8086:10d3 claimed late \\(was e1000e\\)"
	# the boot pass claimed 00:04.0; coldplug's replayed "add" (SYNTH_UUID) of it did not
	# run the rule again
	expect "log: boot pass summary" has_klog "vfio-bind: 1 claimed, .* 1 unmatched"
	claimed $A_NIC2 e1000
	expect_not "no late line for $A_NIC2 (coldplug's events are not late)" \
		has_klog "vfio-bind: $A_NIC2 .*late"
	kept $A_NIC1 e1000
	kept $A_VGA bochs-drm
	# what the user sees afterwards (vfio-bind list and status in the guest)
	expect "list: '$A_HP1 ... [claimed late (was e1000e)]'" \
		grep -q "^VFT list $A_HP1 .* vfio-pci .*\[claimed late (was e1000e)\]\$" "$LOG"
	expect "list: $A_HP2 on e1000e, no late claim" grep -q "^VFT list $A_HP2 .* e1000e .*controller\$" "$LOG"
	expect "status: '$A_HP1 ... ok [claimed late (was e1000e)]'" \
		grep -q "^VFT status   $A_HP1 8086:10d3 vfio-pci .* ok \[claimed late (was e1000e)\]\$" "$LOG"
	expect "status: $A_NIC2 (claimed at boot) ok, not late" \
		grep -q "^VFT status   $A_NIC2 8086:100e vfio-pci .* ok\$" "$LOG"
}

A_PF=0000:01:00.0 A_VF0=0000:01:00.1 A_VF1=0000:01:00.2
# nvme_ran LOG ADDR: nvme's own probe ran on ADDR ("nvme nvmeN: pci function ADDR" is its first
# line). With the PF held the driver core still offers each new VF to nvme ("really_probe:
# probing driver nvme"), and the PCI core refuses it before nvme_probe runs ("nvme: probe of
# ADDR rejects match -19", pci_device_can_probe()).
nvme_ran() { klog "$1" | grep -Eq "nvme nvme[0-9]+: pci function $2\$"; }
nvme_refused() { klog "$1" | grep -q "nvme: probe of $2 rejects match -19"; }
judge_late_sriov() {
	expect "the PF's SR-IOV capability as the guest saw it (VFT sriov line)" \
		grep -q "^VFT sriov $A_PF totalvfs=2 offset=1 stride=1" "$LOG"
	expect "boot held the PF: autoprobe=0 before sriov_numvfs was written" \
		grep -q "^VFT sriov $A_PF .* autoprobe=0" "$LOG"
	expect "log: '$A_PF ... sriov_drivers_autoprobe=0 ...'" \
		has_klog "vfio-bind: $A_PF 1b36:0010: sriov_drivers_autoprobe=0: '01:00.1' may claim its VF $A_VF0"
	kept $A_PF nvme
	# the selected VF: vfio-pci, and nvme's probe never ran on it
	expect "$A_VF0 on vfio-pci (driver=$(dev_field "$LOG" $A_VF0 driver))" \
		is_driver $A_VF0 vfio-pci
	expect "$A_VF0 driver_override=vfio-pci" is_override $A_VF0 vfio-pci
	expect_not "nvme's probe never ran on $A_VF0" nvme_ran "$LOG" $A_VF0
	expect_not "nvme never bound $A_VF0" has_klog "bound device $A_VF0 to driver nvme"
	expect "the PCI core refused nvme on the held $A_VF0" nvme_refused "$LOG" $A_VF0
	expect "log: '$A_VF0 ... arrived late (SR-IOV VF of $A_PF)'" \
		has_klog "vfio-bind: $A_VF0 1b36:0010 arrived late \\(SR-IOV VF of $A_PF\\)"
	expect "log: '$A_VF0 ... claimed late'" has_klog "vfio-bind: $A_VF0 1b36:0010 claimed late"
	# the other VF: its own driver, through driver_override (a held VF refuses a plain
	# drivers_probe). QEMU's VF controllers are offline until the PF's driver assigns them
	# resources, so nvme then gives up on it ("Device not ready"): what counts is that nvme
	# bound it and its probe ran.
	expect "nvme's probe ran on the unselected $A_VF1" nvme_ran "$LOG" $A_VF1
	expect "nvme bound $A_VF1" has_klog "bound device $A_VF1 to driver nvme"
	expect "log: '$A_VF1 ... probed for its own driver nvme: now on nvme'" \
		has_klog "vfio-bind: $A_VF1 1b36:0010: VF of $A_PF not selected; probed for its own driver nvme: now on nvme"
	expect "$A_VF1 has no driver_override left" is_override $A_VF1 -
	expect_not "$A_VF1 not on vfio-pci" is_driver $A_VF1 vfio-pci
	kept $A_NIC1 e1000
	# what the user sees afterwards (vfio-bind list and status in the guest): the VFs with
	# their PF, the late claim, the held PF
	expect "list: '$A_VF0 ... (VF of $A_PF) [claimed late]'" \
		grep -q "^VFT list $A_VF0 .* vfio-pci .*(VF of $A_PF) \[claimed late\]\$" "$LOG"
	# (nvme has given the offline VF up again by then: no driver)
	expect "list: '$A_VF1 ... (VF of $A_PF)', not claimed" \
		grep -q "^VFT list $A_VF1 .*controller (VF of $A_PF)\$" "$LOG"
	expect "list: '$A_PF ... (SR-IOV PF, 2 VFs)'" \
		grep -q "^VFT list $A_PF .* nvme .*(SR-IOV PF, 2 VFs)\$" "$LOG"
	expect "status: '$A_VF0 ... ok (VF of $A_PF) [claimed late]'" \
		grep -q "^VFT status   $A_VF0 1b36:0010 vfio-pci .* ok (VF of $A_PF) \[claimed late\]\$" "$LOG"
	expect "status: 'SR-IOV PF $A_PF: new VFs wait for vfio-bind'" \
		grep -q "^VFT status SR-IOV PF $A_PF: new VFs wait for vfio-bind" "$LOG"
	expect "status: everything asked for is on vfio-pci" \
		grep -q "^VFT status everything asked for is on vfio-pci" "$LOG"
}

# vfio_bind.sriov=0: the PF is not held and nvme's probe runs on both VFs at once (what the
# hold prevents); the selected VF is still claimed late. (nvme drops QEMU's offline VFs
# within a second, before udev runs the rule, so the log says "claimed late", without "was".)
judge_late_sriov_off() {
	expect "the PF not held (autoprobe=1)" grep -q "^VFT sriov $A_PF .* autoprobe=1" "$LOG"
	expect_not "no sriov_drivers_autoprobe line" has_klog "vfio-bind: .*sriov_drivers_autoprobe"
	expect "nvme's probe ran on $A_VF0 (not held)" nvme_ran "$LOG" $A_VF0
	expect "nvme's probe ran on $A_VF1 (not held)" nvme_ran "$LOG" $A_VF1
	expect "$A_VF0 on vfio-pci (driver=$(dev_field "$LOG" $A_VF0 driver))" is_driver $A_VF0 vfio-pci
	expect "log: '$A_VF0 ... claimed late'" has_klog "vfio-bind: $A_VF0 1b36:0010 claimed late"
	expect_not "no vfio-bind line about $A_VF1" has_klog "vfio-bind: $A_VF1"
	# (with or without "was nvme": whether nvme still had it when udev ran is a matter of timing)
	expect "list: '$A_VF0 ... (VF of $A_PF) [claimed late...]'" \
		grep -Eq "^VFT list $A_VF0 .* vfio-pci .*\(VF of $A_PF\) \[claimed late( \(was nvme\))?\]\$" "$LOG"
	expect_not "status: no PF held" grep -q "^VFT status SR-IOV PF" "$LOG"
}

g=initramfs-tools+late
scenario $g late-hotplug seabios \
	"$IOMMU vfio.bind=01:00.0,00:04.0 vfiotest.wait=$A_HP2,$A_HP1" late_hotplug judge_late_hotplug
# dracut: the rule installed by 59vfio-bind (inst_rules) runs in its initramfs too
scenario dracut+late_d late-hotplug seabios \
	"$IOMMU rd.vfio.bind=01:00.0,00:04.0 vfiotest.wait=$A_HP2,$A_HP1" late_hotplug \
	judge_late_hotplug
scenario $g late-sriov-nvme seabios \
	"$IOMMU vfio.bind=01:00.1 vfiotest.sriov=$A_PF:2" late_sriov judge_late_sriov
scenario $g late-sriov-off seabios \
	"$IOMMU vfio.bind=01:00.1 vfio_bind.sriov=0 vfiotest.sriov=$A_PF:2" late_sriov \
	judge_late_sriov_off
# Cells: the rule in each generator's image is late-hotplug's (both generators, and the trixie
# lane's); the SR-IOV hold and the VF claims are the binary's and the kernel's, run from the
# same rule: initramfs-tools only.
