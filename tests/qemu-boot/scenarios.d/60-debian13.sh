# Debian 13 (issue 18): K4, Debian's newest kernel (trixie-backports' 7.x), and the trixie lane
# (trixie's own 6.12), both with images made by Debian 13's initramfs-tools 0.148 (early and main
# archives, dracut-install copying) and dracut 106 (hooks under /var/lib/dracut/hooks), chrooted
# in a trixie root made by mmdebstrap (get-trixie-root.sh; mkimage.sh lays the product staged by
# `make install DESTDIR=` over it). Uses the judges, devices and variants of run.sh, kernels.sh
# and scenarios.d/10-late.sh, 20-config-file.sh, 30-classic-recipe.sh.

# --- K4: what the kernel decides, on Linux 7.x ------------------------------------------------
# Both generators keep the modules .ko.xz here, so a kernel-only scenario runs under one of
# them; the two take turns so that both K4 images boot.
k=k4
# control: the baseline (probe lines, IOMMU groups, native drivers) on 7.x, under both
# generators (what "never probed" rests on)
kscenario $k initramfs-tools control seabios "$IOMMU" base judge_control
kscenario $k dracut control seabios "$IOMMU" base judge_control
# claim by ID: loading vfio-pci on 7.x and winning against udev's coldplug, under both
# generators: where vfio-bind runs (init-top ORDER, pre-udev hook) is the generator's
kscenario $k initramfs-tools claim-by-id seabios "$IOMMU vfio.bind=1234:1111,8086:2668" base \
	judge_claim_by_id
kscenario $k dracut claim-by-id seabios "$IOMMU vfio.bind=1234:1111,8086:2668" base \
	judge_claim_by_id
# NIC by address: the twin keeps e1000 (7.x's probe lines for the excluded one); kernel only
kscenario $k dracut nic-by-address seabios "$IOMMU vfio.bind=00:04.0" base judge_nic_by_address
# no IOMMU: 7.x's vfio-pci refuses the probe, the device goes back to e1000; kernel only
kscenario $k initramfs-tools no-iommu seabios-noiommu "vfio.bind=00:04.0" base judge_no_iommu
# host driver preloaded: unbinding e1000 on 7.x; kernel only
kscenario $k dracut host-driver-preloaded seabios \
	"$IOMMU vfiotest.preload=e1000 vfio.bind=00:04.0" base judge_preloaded
# OVMF: 7.x's boot framebuffer (still efifb) released from the std VGA and from bochs-display
# (class 0x0380, which vfio-pci does not release itself); kernel only, one per generator
kscenario $k initramfs-tools ovmf-efifb-vga ovmf "$IOMMU vfio.bind=1234:1111" base judge_k2_efifb
kscenario $k dracut ovmf-efifb-bochs-display ovmf "$IOMMU vfio.bind=1234:1111" bochs-display \
	judge_k2_efifb
# the classic recipe's takeover: 7.x's vfio-pci with ids= held back and the exclusion honoured
# (the image's modprobe.d is the generator's part, which the trixie lane runs under both)
kscenario $k initramfs-tools+ids_conf classic-ids-exclusion seabios "$IOMMU vfio.bind=!00:03.0" \
	base judge_classic_ids_exclusion
# the config file: read by the same binary on any kernel; here its claim on 7.x under the
# generator the takeover did not use
kscenario $k dracut+dconf config-file-claims seabios "$IOMMU" base judge_conf_claims
# hot-plug: 7.x's pciehp and uevents reaching the image's udev rule (the rule in both
# generators' images: the trixie lane)
kscenario $k initramfs-tools+late late-hotplug seabios \
	"$IOMMU vfio.bind=01:00.0,00:04.0 vfiotest.wait=$A_HP2,$A_HP1" late_hotplug judge_late_hotplug

# --- the trixie lane: what the generator decides, on trixie's own 6.12 ------------------------
# Every scenario here under both generators: each is about what a generator puts into the image
# or where it runs the product.
k=trixie
for g in initramfs-tools dracut; do
	d=
	[ $g = dracut ] && d=_d
	# control: the baseline of each generator's image
	kscenario $k $g control seabios "$IOMMU" base judge_control
	# claim before udev's coldplug: the host drivers' probe lines never name the claimed
	# devices (0.148's init-top ORDER, 106's pre-udev hook; build/trixie/initramfs-tools-order)
	kscenario $k $g claim-by-id seabios "$IOMMU vfio.bind=1234:1111,8086:2668" base \
		judge_claim_by_id
	# /etc/vfio-bind.conf in the image (0.148's hook, 106's inst)
	kscenario $k $g+${d:+d}conf config-file-claims seabios "$IOMMU" base judge_conf_claims
	# the udev rule in the image: a hot-plugged card claimed late
	kscenario $k $g+late$d late-hotplug seabios \
		"$IOMMU vfio.bind=01:00.0,00:04.0 vfiotest.wait=$A_HP2,$A_HP1" late_hotplug \
		judge_late_hotplug
	# the classic recipe: the image's /etc/modprobe.d read for vfio-pci's ids=
	kscenario $k $g+ids_conf$d classic-ids-alone seabios "$IOMMU" base judge_classic_ids_alone
done
