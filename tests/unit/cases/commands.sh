# Commands for the running system: list, status, suggest, check, claim, release, dry runs,
# and usage errors (exit status 2, nothing written).

json_ok() { python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$ROOT/out" || fail "bad JSON: $(cat "$ROOT/out")"; }

t_list() {
	fixture pve-rtx
	vb list
	expect_rc 0
	expect_out "0000:01:00.0   0300  10de:2d04 10b0:205e -                12    -    VGA controller"
	expect_out "0000:06:00.0   0300  1002:1900 1002:1900 -                20    vga  VGA controller"
	expect_out "0000:00:01.1   0604  1022:14ea 1022:1453 pcieport         1     -    PCI bridge"
	[ "$(grep -c '^0000:' "$ROOT/out")" -eq 7 ] || fail "list shows $(grep -c '^0000:' "$ROOT/out") devices"
	vb list --json
	expect_rc 0
	json_ok
	python3 - "$ROOT/out" <<-'PY' || fail "JSON content"
	import json, sys
	devs = {d["address"]: d for d in json.load(open(sys.argv[1]))}
	assert devs["0000:06:00.0"]["boot_vga"] is True
	assert devs["0000:01:00.0"]["iommu_group"] == 12
	assert devs["0000:01:00.0"]["subsystem"] == "10b0:205e"
	assert devs["0000:00:01.1"]["driver"] == "pcieport"
	assert devs["0000:01:00.0"]["driver"] is None
	PY
	expect_no_writes
}

t_status() {
	fixture two-amd
	cmdline "vfio.bind=1002:73bf,!03:00.0,dead:beef"
	vb status
	expect_rc 1
	expect_out "0000:0b:00.0 1002:73bf amdgpu           group 25    NOT ON VFIO-PCI"
	expect_out "0000:03:00.0 1002:73bf amdgpu           group 15    boot-vga  excluded"
	expect_out "  matched nothing"
	expect_out "NOT everything asked for is on vfio-pci"
	cmdline "vfio.bind=1002:73bf,!03:00.0"
	boot
	vb status
	expect_rc 0
	expect_out "0000:0b:00.0 1002:73bf vfio-pci         group 25    ok"
	expect_out "IOMMU group 25: 0000:0b:00.0 (vfio-pci)  viable"
	expect_out "everything asked for is on vfio-pci"
	vb status --json
	expect_rc 0
	json_ok
	python3 - "$ROOT/out" <<-'PY' || fail "JSON content"
	import json, sys
	s = json.load(open(sys.argv[1]))
	assert s["ok"] is True
	sel = s["selectors"][0]
	assert sel["selector"] == "1002:73bf"
	states = {d["device"]["address"]: d["state"] for d in sel["devices"]}
	assert states == {"0000:03:00.0": "excluded", "0000:0b:00.0": "on-vfio-pci"}, states
	PY
}

t_status_group_and_refusal() {
	fixture turing
	cmdline "vfio.bind=01:00.0,01:00.1,10de:1e87@01:00.1"
	boot
	vb status
	expect_rc 1
	expect_out "NOT VIABLE: 0000:01:00.2 10de:1ad8 (xhci_hcd), 0000:01:00.3 10de:1ad9 (no driver yet)"
}

t_status_no_token() {
	fixture pve-rtx
	cmdline "root=/dev/sda1"
	vb status
	expect_rc 0
	expect_out "no vfio.bind= selectors"
}

t_suggest_identical_cards() {
	fixture two-amd
	vb suggest 0b:00.0
	expect_rc 0
	expect_out "vfio.bind=1002:73bf@0b:00.0,1002:ab28@0b:00.1"
	expect_out "1 other device(s) share 1002:73bf"
	expect_out "/etc/default/grub.d/vfio-bind.cfg"
	expect_out "proxmox-boot-tool refresh"
	expect_out "grubby --update-kernel=ALL --args='vfio.bind=1002:73bf@0b:00.0,1002:ab28@0b:00.1'"
	expect_no_writes
}

t_suggest_by_id_two_cards() {
	fixture two-amd
	vb suggest 1002:73bf
	expect_rc 0
	expect_out "# note: 2 cards have 1002:73bf; to pass only one, run 'vfio-bind suggest BB:SS.F' with its address"
	expect_out "vfio.bind=1002:73bf@03:00.0,1002:ab28@03:00.1,1002:73bf@0b:00.0,1002:ab28@0b:00.1"
}

t_suggest_by_id_whole_slot() {
	fixture turing
	vb suggest 10de:1e87
	expect_rc 0
	expect_out "vfio.bind=10de:1e87@01:00.0,10de:10f8@01:00.1,10de:1ad8@01:00.2,10de:1ad9@01:00.3"
	expect_no_out "warning"
}

t_suggest_group_warning() {
	fixture igpu-efifb
	vb suggest 00:1f.3
	expect_rc 0
	expect_out "vfio.bind=8086:a102@00:1f.2,8086:a170@00:1f.3,8086:a123@00:1f.4"
	expect_no_out "8086:a145@"
	expect_out "# 0000:00:1f.0 is a bridge"
	fixture no-iommu
	vb suggest 03:00.1
	expect_out "has no IOMMU group: the IOMMU is off"
}

t_suggest_group_other_slot() {
	fixture gtx-hba
	mkdir -p "$ROOT/sys/kernel/iommu_groups/40/devices"
	ln -s ../../../../devices/pci0000:00/0000:06:00.0 "$ROOT/sys/kernel/iommu_groups/40/devices/0000:06:00.0"
	vb suggest 42:00.0
	expect_rc 0
	expect_out "# warning: IOMMU group 40 also holds 0000:06:00.0 10ec:8168 (r8169, Ethernet controller)"
	expect_out "add 10ec:8168@06:00.0 to the token too"
}

t_suggest_bad_args() {
	fixture pve-rtx
	for a in "" zz "../01:00.0" "01:00.0@" "!01:00.0" "10de:2d04@01:00.0"; do
		if [ -z "$a" ]; then vb suggest; else vb suggest "$a"; fi
		expect_rc 2
		expect_err "Try 'vfio-bind --help'"
	done
	vb suggest 09:00.0
	expect_rc 1
	expect_err "matches no device"
	expect_no_writes
}

# initrd FILE...: the running kernel's initramfs, a gzip-compressed newc archive of those
# (empty) files, read by check itself
initrd() {
	mkdir -p "$ROOT/boot" "$ROOT/initrd"
	for f in "$@"; do mkdir -p "$ROOT/initrd/${f%/*}"; : > "$ROOT/initrd/$f"; done
	(cd "$ROOT/initrd" && find . | cpio --quiet -o -H newc | gzip -c) > "$ROOT/boot/initrd.img-$(uname -r)"
}

t_check_all_well() {
	fixture pve-rtx
	initrd usr/sbin/vfio-bind usr/lib/modules/6.1.0-28-amd64/kernel/drivers/vfio/pci/vfio-pci.ko
	cmdline "vfio.bind=01:00.*"
	boot
	vb check
	expect_rc 0
	expect_out "[ OK ] IOMMU enabled (ivhd0; "
	expect_out "[ OK ] interrupt remapping enabled"
	expect_out "[ OK ] vfio.bind= parses: 1 selector(s)"
	expect_out "vfio-bind present, vfio-pci module present"
	expect_out "[ OK ] 0000:01:00.0 10de:2d04 on vfio-pci"
	expect_out "[ OK ] IOMMU group 12 is viable"
	expect_out "all is well"
}

t_check_failures() {
	fixture no-iommu
	initrd usr/bin/busybox
	cmdline "vfio.bind=03:00.0,zz"
	vb check
	expect_rc 1
	expect_out "[FAIL] IOMMU is off"
	expect_out "fix: enable VT-d"
	expect_out "[WARN] interrupt remapping not seen"
	expect_out "bad selector 'zz' in vfio.bind="
	expect_out "[FAIL] the running kernel command line has 1 bad token(s) (named above)"
	expect_out "vfio-bind MISSING"
	expect_out "[FAIL] 0000:03:00.0 10ec:8168 on r8169"
	# with the IOMMU off, claiming is no advice
	expect_out "fix: enable the IOMMU first (above): without it vfio-pci cannot take 03:00.0"
	expect_no_out "vfio-bind claim"
	cmdline "quiet"
	vb check
	expect_rc 1
	expect_out "[FAIL] no vfio.bind= on the running kernel command line"
	expect_no_writes
}

t_claim_release() {
	fixture gtx-hba
	vb claim 42:00.0
	expect_rc 0
	expect_out "0000:42:00.0 10de:1b06 claimed"
	expect_driver 0000:42:00.0 vfio-pci
	mkdir -p "$ROOT/sys/bus/pci/drivers/nouveau"
	vb release 0000:42:00.0
	expect_rc 0
	expect_out "released; now on nouveau"
	expect_driver 0000:42:00.0 nouveau
	expect_override 0000:42:00.0 "(null)"
	vb claim 06:00.0
	expect_rc 0
	expect_out "claimed (was r8169)"
}

t_claim_boot_gpu_releases_efifb() {
	fixture igpu-efifb
	vb claim 00:02.0
	expect_rc 0
	expect_out "0000:00:02.0 8086:1912 claimed"
	expect_driver 0000:00:02.0 vfio-pci
	expect_write /sys/bus/platform/drivers/efi-framebuffer/unbind efi-framebuffer.0
	expect_err "released the boot framebuffer efi-framebuffer.0"
}

t_release_refuses_in_use() {
	fixture gtx-hba
	vb claim 42:00.0
	mkdir -p "$ROOT/proc/4242/fd"
	ln -s /dev/vfio/40 "$ROOT/proc/4242/fd/17"
	: > "$ROOT/sim-writes.log"
	vb release 42:00.0
	expect_rc 1
	expect_err "in use by a VM (/dev/vfio/40 open by process 4242)"
	expect_no_writes
	expect_driver 0000:42:00.0 vfio-pci
	vb release --force 42:00.0
	expect_rc 0
	expect_driver 0000:42:00.0 none
}

t_claim_refusals() {
	fixture pve-rtx
	vb claim 00:01.1
	expect_rc 1
	expect_err "is a bridge"
	vb claim 09:00.0
	expect_rc 1
	expect_err "no PCI device at 0000:09:00.0"
	fixture no-iommu
	vb claim 03:00.0
	expect_rc 1
	expect_out "not claimed: IOMMU is off"
	expect_driver 0000:03:00.0 r8169
}

t_usage_errors() {
	fixture pve-rtx
	for args in "" "frob" "claim" "claim zz" "claim 01:00.0 01:00.1" \
		"release" "release 1:2" "release --force" "status extra" "list extra" \
		"check extra" "suggest 01:00.0 zz" "--bogus list" "--root"; do
		# shellcheck disable=SC2086
		vb $args
		expect_rc 2
		expect_err "Try 'vfio-bind --help'"
	done
	expect_no_writes
	[ ! -s "$ROOT/dev/kmsg" ] || fail "usage errors logged to kmsg"
	vb --help
	expect_rc 0
	for c in boot status list suggest check claim release --root --sysfs --proc --cmdline \
		--cmdline-dir --kmsg --moddir --dry-run --json --force; do
		expect_out "$c"
	done
}

t_dry_run() {
	fixture two-amd
	cmdline "vfio.bind=1002:73bf,!03:00.0"
	vb --dry-run boot
	expect_rc 0
	expect_out "0000:0b:00.0   1002:73bf 0300   amdgpu           claim    1002:73bf"
	expect_log "0000:0b:00.0 1002:73bf would be claimed (dry run; now on amdgpu)"
	expect_log "dry run: 1 would be claimed, 0 refused, 0 unmatched, 0 bad tokens"
	expect_no_writes
	expect_driver 0000:0b:00.0 amdgpu
	cmdline "vfio_bind.dry_run=1 vfio.bind=0b:00.0"
	boot
	expect_no_writes
	expect_driver 0000:0b:00.0 amdgpu
}

t_kmsg_fallback_stderr() {
	fixture pve-rtx
	cmdline "vfio.bind=zz"
	"$SIM" --root "$ROOT" --moddir "$ROOT/lib/modules/sim" --kmsg "$ROOT/nonexistent/kmsg" boot 2> "$ROOT/err"
	grep -q "^vfio-bind: bad selector 'zz'" "$ROOT/err" || fail "no stderr fallback: $(cat "$ROOT/err")"
}

t_env_overrides() {
	fixture pve-rtx
	cmdline "vfio.bind=01:00.0"
	VFIO_BIND_ROOT=$ROOT VFIO_BIND_MODDIR=$ROOT/lib/modules/sim "$SIM" boot
	expect_driver 0000:01:00.0 vfio-pci
	mkdir -p "$ROOT/alt"
	echo "vfio.bind=01:00.1" > "$ROOT/alt/cmdline"
	VFIO_BIND_CMDLINE=$ROOT/alt/cmdline "$SIM" --root "$ROOT" --moddir "$ROOT/lib/modules/sim" boot
	expect_driver 0000:01:00.1 vfio-pci
}
