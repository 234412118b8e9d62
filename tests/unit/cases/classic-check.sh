# check and suggest on a root that carries the classic recipe (issue 11): each leftover is
# named with its file and line (or its token) and the fix. two-amd: two identical GPUs with
# their HDMI audio; 03:00 stays with the host, 0b:00 goes to a VM.

classic_root() { # the Proxmox guides' recipe, on top of the two-amd fixture
	fixture two-amd
	mkdir -p "$ROOT/etc/modprobe.d" "$ROOT/etc/initramfs-tools"
	echo "options vfio-pci ids=1002:73bf,1002:ab28 disable_vga=1" > "$ROOT/etc/modprobe.d/vfio.conf"
	printf 'blacklist radeon\nblacklist amdgpu\n' > "$ROOT/etc/modprobe.d/blacklist.conf"
	printf '# /etc/modules\nvfio\nvfio_iommu_type1\nvfio_pci\n' > "$ROOT/etc/modules"
	echo "vfio-pci" > "$ROOT/etc/initramfs-tools/modules"
	# what depmod writes: the drivers udev would load for these devices
	printf '%s\n' "alias pci:v00001002d000073BFsv*sd*bc*sc*i* amdgpu" \
		"alias pci:v*d*sv*sd*bc04sc03i00* snd_hda_intel" > "$ROOT/lib/modules/sim/modules.alias"
}

t_check_names_each_leftover() {
	classic_root
	cmdline "BOOT_IMAGE=/vmlinuz root=/dev/mapper/pve-root ro quiet intel_iommu=on video=efifb:off initcall_blacklist=sysfb_init vfio.bind=1002:73bf@0b:00.0,1002:ab28@0b:00.1"
	vb check
	expect_rc 1
	expect_out "[FAIL] ids=1002:73bf,1002:ab28 from 'options vfio-pci ids=' in /etc/modprobe.d/vfio.conf:1 also claims 0000:03:00.0 1002:73bf, 0000:03:00.1 1002:ab28, which vfio.bind= does not name"
	expect_out "fix: name the devices in vfio.bind= ('vfio-bind suggest 1002:73bf 1002:ab28' writes it) and delete ids=1002:73bf,1002:ab28 from /etc/modprobe.d/vfio.conf:1; its other options may stay"
	expect_out "[FAIL] 'blacklist amdgpu' in /etc/modprobe.d/blacklist.conf:2 leaves 0000:03:00.0 1002:73bf without its driver: it stays with the host and needs amdgpu"
	expect_no_out "blacklist radeon"
	expect_out "[WARN] /etc/modules:3: vfio_iommu_type1: harmless, but no longer needed"
	expect_out "[WARN] /etc/modules:4: vfio_pci: harmless"
	expect_out "[WARN] /etc/initramfs-tools/modules:1: vfio-pci: harmless"
	expect_out "[WARN] video=efifb:off on the kernel command line: no longer needed"
	expect_out "fix: remove initcall_blacklist=sysfb_init from the kernel command line"
	expect_out "fix: delete the line"
}

t_check_clean_root_has_no_leftovers() {
	fixture two-amd
	printf '%s\n' "alias pci:v00001002d000073BFsv*sd*bc*sc*i* amdgpu" > "$ROOT/lib/modules/sim/modules.alias"
	mkdir -p "$ROOT/etc/modprobe.d"
	echo "options vfio-pci disable_vga=1" > "$ROOT/etc/modprobe.d/vfio.conf"
	echo "blacklist pcspkr" > "$ROOT/etc/modprobe.d/blacklist.conf"
	printf 'loop\n' > "$ROOT/etc/modules"
	cmdline "quiet intel_iommu=on vfio.bind=1002:73bf@0b:00.0,1002:ab28@0b:00.1"
	vb check
	expect_no_out "ids="
	expect_no_out "blacklist"
	expect_no_out "/etc/modules"
	expect_no_out "command line: no longer needed"
}

t_check_ids_alone_are_taken_over() {
	classic_root
	rm "$ROOT/etc/modprobe.d/blacklist.conf"
	cmdline "quiet intel_iommu=on"
	vb check
	expect_out "[ OK ] no vfio.bind=, but vfio-bind takes over 2 ID(s) of ids= from 'options vfio-pci ids=' in /etc/modprobe.d/vfio.conf:1"
	expect_out "[WARN] ids=1002:73bf,1002:ab28 from 'options vfio-pci ids=' in /etc/modprobe.d/vfio.conf:1: vfio-bind takes it over at boot and claims 0000:03:00.0 1002:73bf, 0000:03:00.1 1002:ab28, 0000:0b:00.0 1002:73bf, 0000:0b:00.1 1002:ab28 itself"
	expect_no_out "no vfio.bind= on the running kernel command line"
}

t_check_takeover_off_names_the_twin() {
	classic_root
	cmdline "vfio_bind.takeover_ids=0 vfio.bind=0b:00.*"
	vb check
	expect_out "[FAIL] ids=1002:73bf,1002:ab28 from 'options vfio-pci ids=' in /etc/modprobe.d/vfio.conf:1 is left to vfio-pci (vfio_bind.takeover_ids=0): it takes every device with these IDs when it loads, also 0000:03:00.0 1002:73bf, 0000:03:00.1 1002:ab28"
}

t_check_command_line_blacklists_and_ids() {
	classic_root
	rm "$ROOT/etc/modprobe.d/vfio.conf" "$ROOT/etc/modprobe.d/blacklist.conf"
	cmdline "rd.driver.blacklist=amdgpu rdblacklist=vfio-pci vfio-pci.ids=1002:ab28 vfio.bind=1002:73bf@0b:00.0,0b:00.1,!03:00.1"
	vb check
	expect_out "[FAIL] 'amdgpu' in rd.driver.blacklist= or rdblacklist= on the kernel command line leaves 0000:03:00.0 1002:73bf without its driver"
	expect_out "[FAIL] 'vfio-pci' in rd.driver.blacklist= or rdblacklist= on the kernel command line blacklists a vfio module"
	expect_out "ids=1002:ab28 from vfio-pci.ids= on the command line: vfio-bind takes it over at boot and claims 0000:0b:00.1 1002:ab28 itself, before udev, exclusions applied; stays with the host: 0000:03:00.1 1002:ab28"
	expect_out "remove vfio-pci.ids=1002:ab28 from the kernel command line"
}

t_suggest_flags_leftovers() {
	classic_root
	cmdline "quiet intel_iommu=on nofb"
	vb suggest 0b:00.0
	expect_rc 0
	expect_out "# problem: ids=1002:73bf,1002:ab28 from 'options vfio-pci ids=' in /etc/modprobe.d/vfio.conf:1 also claims 0000:03:00.0 1002:73bf"
	expect_out "# problem: 'blacklist amdgpu' in /etc/modprobe.d/blacklist.conf:2 leaves 0000:03:00.0 1002:73bf without its driver"
	expect_out "# leftover: nofb on the kernel command line"
	expect_out "vfio.bind=1002:73bf@0b:00.0,1002:ab28@0b:00.1"
}

# README "Coming from vfio-pci.ids=": the check outputs shown there are this program's.
pve_root() { # classic|clean: the README's host, booted once
	fixture two-amd
	echo "IR-PCI-MSI-0000:00:00.2 edge" >> "$ROOT/proc/interrupts"
	printf '%s\n' "alias pci:v00001002d000073BFsv*sd*bc*sc*i* amdgpu" \
		"alias pci:v*d*sv*sd*bc04sc03i00* snd_hda_intel" > "$ROOT/lib/modules/sim/modules.alias"
	mkdir -p "$ROOT/etc/modprobe.d"
	tok="vfio.bind=1002:73bf@0b:00.0,1002:ab28@0b:00.1"
	if [ "$1" = classic ]; then
		echo "options vfio-pci ids=1002:73bf,1002:ab28 disable_vga=1" > "$ROOT/etc/modprobe.d/vfio.conf"
		printf 'blacklist radeon\nblacklist amdgpu\n' > "$ROOT/etc/modprobe.d/blacklist.conf"
		printf 'vfio\nvfio_iommu_type1\nvfio_pci\n' > "$ROOT/etc/modules"
		cmdline "BOOT_IMAGE=/boot/vmlinuz-6.8.12-4-pve root=/dev/mapper/pve-root ro quiet intel_iommu=on iommu=pt initcall_blacklist=sysfb_init video=efifb:off $tok"
	else
		echo "options vfio-pci disable_vga=1" > "$ROOT/etc/modprobe.d/vfio.conf"
		cmdline "BOOT_IMAGE=/boot/vmlinuz-6.8.12-4-pve root=/dev/mapper/pve-root ro quiet intel_iommu=on iommu=pt $tok"
	fi
	boot
}

readme_block() { # the fenced block after the README line containing $1
	awk -v key="$1" 'found && /^```$/ { n++; if (n == 2) exit; next }
		found && n == 1 { print } index($0, key) { found = 1 }' "$TOP/README.md"
}

t_readme_check_outputs_are_real() {
	for state in classic clean; do
		pve_root $state
		vb check
		case $state in
		classic) expect_rc 1; want=$(readme_block 'says (exit status 1):') ;;
		*) expect_rc 0; want=$(readme_block 'status 0):') ;;
		esac
		[ -n "$want" ] || fail "no check output for '$state' in README.md"
		[ "$(cat "$ROOT/out")" = "$want" ] ||
			fail "README's check output ($state) differs: $(printf '%s\n' "$want" | diff - "$ROOT/out")"
		rm -rf "$ROOT"
	done
}

# ... and so is the boot's log shown there, in the program's order (the time aside)
t_readme_log_is_real() {
	pve_root classic
	want=$(readme_block 'printed and rebooting, the log says' | sed 's/ in [0-9]* us$//')
	[ -n "$want" ] || fail "no log in README.md"
	got=$(klog | sed 's/ in [0-9]* us$//')
	[ "$got" = "$want" ] || fail "README's log differs: $(printf '%s\n' "$want" | diff - "$(printf '%s\n' "$got" > "$ROOT/got"; echo "$ROOT/got")")"
}

# the Proxmox walkthrough's output lines ("#   ..." under 'vfio-bind add 0b:00') are each what
# add prints (with the file where it is here, and a stand-in update-initramfs)
t_readme_walkthrough_add_output_is_real() {
	fixture two-amd
	mkdir -p "$ROOT/bin"
	printf '#!/bin/sh\nexit 0\n' > "$ROOT/bin/update-initramfs"
	chmod +x "$ROOT/bin/update-initramfs"
	set +e
	PATH=$ROOT/bin:$PATH "$SIM" --sysfs "$ROOT/sys" --proc "$ROOT/proc" \
		--config "$ROOT/etc/vfio-bind.conf" add 0b:00 >"$ROOT/out" 2>"$ROOT/err"
	RC=$?
	set -e
	expect_rc 0
	awk '/^vfio-bind add 0b:00$/ { on = 1; next } on && /^#   / { print; next } on { exit }' \
		"$TOP/README.md" | sed "s|^#  *||; s|/etc/vfio-bind.conf|$ROOT/etc/vfio-bind.conf|" > "$ROOT/want"
	[ -s "$ROOT/want" ] || fail "no output lines under 'vfio-bind add 0b:00' in README.md"
	while IFS= read -r l; do
		grep -qxF -- "$l" "$ROOT/out" || fail "README shows '$l'; add prints: $(cat "$ROOT/out")"
	done < "$ROOT/want"
}
