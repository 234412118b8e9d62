# Users arriving from the classic recipe (issue 11): the image's modprobe.d reaches vfio-pci
# through the static libkmod, vfio-pci's ids= is taken over (claimed before udev, exclusions
# honoured), a blacklisted vfio-pci is honoured and reported.
# Sourced by run.sh (bash). Variants put files into the image's /etc/modprobe.d; one variant per
# generator, since a variant's directory is rebuilt for each image.

classic_conf() { # DIR FILE LINE...: DIR/etc/modprobe.d/FILE
	local dir=$1 file=$2
	shift 2
	mkdir -p "$dir/etc/modprobe.d"
	printf '%s\n' "$@" >"$dir/etc/modprobe.d/$file"
}
variant_vga_opt() { classic_conf "$1" vfio.conf "options vfio-pci disable_vga=1"; }
variant_vga_opt_d() { variant_vga_opt "$@"; }
variant_ids_conf() {
	classic_conf "$1" vfio.conf "# the classic recipe" "options vfio-pci ids=8086:100e disable_vga=1"
}
variant_ids_conf_d() { variant_ids_conf "$@"; }
variant_no_vfio() { classic_conf "$1" no-vfio.conf "blacklist vfio_pci"; }

param_is() { grep -q "^VFT param vfio_pci.$1 $2\$" "$LOG"; }

judge_classic_disable_vga() {
	claimed $A_NIC2 e1000
	kept $A_NIC1 e1000
	expect "vfio_pci.disable_vga reads Y (options vfio-pci disable_vga=1 in the image's /etc/modprobe.d)" \
		param_is disable_vga Y
}
judge_classic_ids_exclusion() {
	claimed $A_NIC2 e1000
	kept $A_NIC1 e1000
	expect "e1000 probed $A_NIC1" probed "$LOG" e1000 $A_NIC1
	expect "log: '8086:100e taken over from ... /etc/modprobe.d/vfio.conf:2'" \
		has_klog "vfio-bind: 8086:100e taken over from 'options vfio-pci ids=' in /etc/modprobe.d/vfio.conf:2"
	expect "log: '$A_NIC1 ... excluded by '!00:03.0''" has_klog "vfio-bind: $A_NIC1 8086:100e excluded by '!00:03.0'"
	expect "vfio_pci.disable_vga reads Y (the other option is kept)" param_is disable_vga Y
	expect_not "no 'is on vfio-pci although' line" has_klog "is on vfio-pci although"
}
judge_classic_ids_alone() {
	claimed $A_NIC1 e1000
	claimed $A_NIC2 e1000
	kept $A_VGA bochs-drm
	expect "log: '8086:100e taken over from ... /etc/modprobe.d/vfio.conf:2'" \
		has_klog "vfio-bind: 8086:100e taken over from 'options vfio-pci ids=' in /etc/modprobe.d/vfio.conf:2"
	expect "log: summary '2 claimed'" has_klog "vfio-bind: 2 claimed, 0 refused"
}
judge_classic_cmdline_ids() {
	claimed $A_NIC2 e1000
	kept $A_NIC1 e1000
	expect "log: '8086:100e taken over from vfio-pci.ids= on the command line'" \
		has_klog "vfio-bind: 8086:100e taken over from vfio-pci.ids= on the command line"
}
judge_classic_takeover_off() {
	# vfio_bind.takeover_ids=0: vfio-pci applies its own ids= and takes the twin as well;
	# vfio-bind says so
	claimed $A_NIC2 e1000
	expect "$A_NIC1 on vfio-pci (ids= left to vfio-pci)" is_driver $A_NIC1 vfio-pci
	expect "log: '$A_NIC1 ... is on vfio-pci although ...'" \
		has_klog "vfio-bind: $A_NIC1 8086:100e is on vfio-pci although vfio.bind= excludes it"
}
judge_classic_blacklist_vfio() {
	kept $A_NIC2 e1000
	kept $A_NIC1 e1000
	expect "no device on vfio-pci" no_vfio_pci
	expect_not "vfio_pci not loaded" module_loaded vfio_pci
	expect "log: the blacklist line named" \
		has_klog "vfio-bind: /etc/modprobe.d/no-vfio.conf:1: 'blacklist vfio_pci'"
	expect "log: '$A_NIC2 ... released to host: vfio-pci is blacklisted'" \
		has_klog "vfio-bind: $A_NIC2 8086:100e released to host: vfio-pci is blacklisted"
}
judge_classic_rd_driver_blacklist() {
	kept $A_NIC2 e1000
	expect "no device on vfio-pci" no_vfio_pci
	expect "log: 'rd.driver.blacklist=vfio_pci blacklists vfio modules'" \
		has_klog "vfio-bind: rd.driver.blacklist=vfio_pci blacklists vfio modules"
}

g=initramfs-tools
scenario $g+vga_opt classic-disable-vga seabios "$IOMMU vfio.bind=00:04.0" base \
	judge_classic_disable_vga
scenario $g+ids_conf classic-ids-exclusion seabios "$IOMMU vfio.bind=!00:03.0" base \
	judge_classic_ids_exclusion
scenario $g+ids_conf classic-ids-alone seabios "$IOMMU" base judge_classic_ids_alone
scenario $g+ids_conf classic-takeover-off seabios \
	"$IOMMU vfio_bind.takeover_ids=0 vfio.bind=00:04.0,!00:03.0" base judge_classic_takeover_off
scenario $g+no_vfio classic-blacklist-vfio-pci seabios "$IOMMU vfio.bind=00:04.0" base \
	judge_classic_blacklist_vfio
scenario $g classic-cmdline-ids seabios "$IOMMU vfio-pci.ids=8086:100e vfio.bind=!00:03.0" base \
	judge_classic_cmdline_ids
# Cells: the image's /etc/modprobe.d is each generator's part: under dracut, ids-alone (the
# takeover reads it); disable-vga reads the same file through the same libkmod. rd.driver.blacklist=
# is dracut's parameter: there only.
g=dracut
scenario $g+ids_conf_d classic-ids-alone seabios "$IOMMU" base judge_classic_ids_alone
scenario $g classic-rd-driver-blacklist seabios "$IOMMU rd.driver.blacklist=vfio_pci rd.vfio.bind=00:04.0" \
	base judge_classic_rd_driver_blacklist
