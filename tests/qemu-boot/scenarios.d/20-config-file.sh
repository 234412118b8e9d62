# Persistent claims from /etc/vfio-bind.conf (issue 8): the file is built into the image by
# both generators and `vfio-bind boot` reads it with the kernel command line; the rescue switch
# vfio_bind.ignore_config disables it; a bad line costs only itself; and the .deb installed
# into a staging root, with `vfio-bind add` run there, gives an image that claims.

# The file the image variants carry: a guarded NIC (the second e1000, the first one's twin).
variant_conf() {
	cat >"$1/etc/vfio-bind.conf" <<-'EOF'
	# vfio-bind: devices claimed for vfio-pci at every boot
	vfio.bind=8086:100e@00:04.0   # the second NIC
	EOF
}

# Good lines around bad ones: an impossible selector, a key that is not vfio-bind's, a line of
# noise, a bad setting. The good lines claim the NIC at 00:04.0 and the HDA controller.
variant_confbad() {
	cat >"$1/etc/vfio-bind.conf" <<-'EOF'
	# vfio-bind: a file with bad lines
	vfio.bind=zz:zz
	vfio.bind=8086:100e@00:04.0
	intel_iommu=on
	vfio_bind.on_fail=maybe
	vfio.bind=00:1f.9,8086:2668@00:05.0
	EOF
}

# The .deb, built from this tree (make dist, dpkg-buildpackage -b, as tests/packaging does),
# unpacked into a staging root (dpkg -x, as boot-deb.sh does); then the packaged vfio-bind runs
# `add` there against a fake sysfs of the guest's devices, and the image is built from the
# staging root with the file it wrote.
variant_debadd() {
	local dir=$1 b=$1/debbuild fake=$1/guest ver
	ver=$(sed -n 's/^VERSION *:= *//p' "$top/Makefile")
	mkdir -p "$b"
	make -s -C "$top" dist || return 1
	tar xzf "$top/build/vfio-bind-$ver.tar.gz" -C "$b" || return 1
	(cd "$b/vfio-bind-$ver" && dpkg-buildpackage -b -us -uc) >"$b/build.log" 2>&1 || {
		tail -n 20 "$b/build.log"
		return 1
	}
	dpkg -x "$(ls "$b"/vfio-bind_*.deb | head -n 1)" "$dir/stage" || return 1
	# the guest's PCI functions as tests/unit/mkfixture.sh describes them
	cat >"$b/guest.topo" <<-'EOF'
	iommu dmar0
	dev 0000:00:02.0 030000 1234:1111 1af4:1100 driver=bochs-drm group=1
	dev 0000:00:03.0 020000 8086:100e 1af4:1100 driver=e1000 group=2
	dev 0000:00:04.0 020000 8086:100e 1af4:1100 driver=e1000 group=3
	dev 0000:00:05.0 040300 8086:2668 1af4:1100 driver=snd_hda_intel group=4
	EOF
	"$top/tests/unit/mkfixture.sh" "$b/guest.topo" "$fake" || return 1
	"$dir/stage/usr/sbin/vfio-bind" --root "$dir/stage" --sysfs "$fake/sys" \
		--proc "$fake/proc" --no-rebuild add 00:04.0 00:05 || return 1
	cat "$dir/stage/etc/vfio-bind.conf"
	grep -q '^vfio.bind=8086:100e@00:04.0,8086:2668@00:05.0$' "$dir/stage/etc/vfio-bind.conf" ||
		return 1
	# mkimage.sh lays DIR/etc over /etc: the generator sees the file the package's add wrote
	cp -a "$dir/stage/etc/." "$dir/etc/"
}

# run.sh prepares a variant in a directory named after the variant alone: the dracut images
# get their own names so that two generators never prepare the same directory at once.
variant_dconf() { variant_conf "$@"; }
variant_dconfbad() { variant_confbad "$@"; }

judge_conf_claims() {
	claimed $A_NIC2 e1000
	kept $A_NIC1 e1000
	kept $A_VGA bochs-drm
	kept $A_HDA snd_hda_intel
}
judge_conf_ignored() {
	expect "log: 'vfio_bind.ignore_config: /etc/vfio-bind.conf ... not read'" \
		has_klog 'vfio-bind: vfio_bind.ignore_config: /etc/vfio-bind.conf and /etc/vfio-bind.conf.d/ not read'
	expect "no device on vfio-pci" no_vfio_pci
	kept $A_NIC2 e1000
	kept $A_NIC1 e1000
}
judge_conf_bad_lines() {
	claimed $A_NIC2 e1000
	claimed $A_HDA snd_hda_intel
	kept $A_NIC1 e1000
	kept $A_VGA bochs-drm
	expect "log: bad selector 'zz:zz' named with /etc/vfio-bind.conf:2" \
		has_klog "vfio-bind: bad selector 'zz:zz' in vfio\.bind= \(/etc/vfio-bind\.conf:2\)"
	expect "log: 'intel_iommu' at /etc/vfio-bind.conf:4 is not a vfio-bind key" \
		has_klog "vfio-bind: 'intel_iommu' \(/etc/vfio-bind\.conf:4\) is not a vfio-bind key"
	expect "log: bad value 'maybe' at /etc/vfio-bind.conf:5" \
		has_klog "vfio-bind: bad value 'maybe' for vfio_bind\.on_fail \(/etc/vfio-bind\.conf:5\)"
	expect "log: bad selector '00:1f.9' named with /etc/vfio-bind.conf:6" \
		has_klog "vfio-bind: bad selector '00:1f\.9' in vfio\.bind= \(/etc/vfio-bind\.conf:6\)"
	expect "log: summary with 2 claimed and 4 bad tokens" \
		has_klog "vfio-bind: 2 claimed, .* 4 bad tokens"
}
judge_conf_deb_add() {
	claimed $A_NIC2 e1000
	claimed $A_HDA snd_hda_intel
	kept $A_NIC1 e1000
	kept $A_VGA bochs-drm
}

# Cells: the file in the image is each generator's part (config-file-claims under both); how
# its lines are read and the rescue switch are the binary's, with the file in an image: one
# generator each (dracut's rd. form of the switch, initramfs-tools' bad lines).
scenario initramfs-tools+conf config-file-claims seabios "$IOMMU" base judge_conf_claims
scenario dracut+dconf config-file-claims seabios "$IOMMU" base judge_conf_claims
scenario initramfs-tools+confbad config-file-bad-lines seabios "$IOMMU" base judge_conf_bad_lines
scenario dracut+dconf config-file-ignored seabios "$IOMMU rd.vfio_bind.ignore_config=1" base \
	judge_conf_ignored
scenario initramfs-tools+debadd deb-add seabios "$IOMMU" base judge_conf_deb_add
