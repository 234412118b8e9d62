# Refusals and hand-backs: never a device that was not asked for, never a bridge, and a
# device that cannot be claimed goes back to its host driver.

t_two_identical_exclusion() {
	fixture two-amd
	cmdline "vfio.bind=1002:73bf,1002:ab28,!03:00.*"
	boot
	expect_driver 0000:0b:00.0 vfio-pci
	expect_driver 0000:0b:00.1 vfio-pci
	expect_driver 0000:03:00.0 amdgpu
	expect_override 0000:03:00.0 "(null)"
	expect_no_write_about 0000:03:00
	expect_write /sys/bus/pci/drivers/amdgpu/unbind 0000:0b:00.0
	expect_log "0000:0b:00.0 1002:73bf claimed (was amdgpu)"
	expect_log "0000:03:00.0 1002:73bf excluded by '!03:00.*'"
}

t_two_identical_by_address() {
	fixture two-amd
	cmdline "vfio.bind=0b:00.0,0b:00.1"
	boot
	expect_driver 0000:0b:00.0 vfio-pci
	expect_driver 0000:03:00.0 amdgpu
	expect_no_write_about 0000:03:00
}

t_guard_renumbered_bus() {
	# the GPU moved: 01:00.0 is the boot NVMe now
	fixture gtx-hba
	cmdline "vfio.bind=10de:1b06@01:00.0"
	boot
	expect_driver 0000:01:00.0 nvme
	expect_no_writes
	expect_log_prio 3 "0000:01:00.0 144d:a808 refused: '10de:1b06@01:00.0' expects 10de:1b06, found 144d:a808"
	expect_log "0 claimed, 1 refused"
	! writes | grep -q insmod || fail "loaded vfio-pci for nothing"
}

t_guard_subsystem_mismatch() {
	fixture gtx-hba
	cmdline "vfio.bind=10de:1b06:1458:3740@42:00.0"
	boot
	expect_driver 0000:42:00.0 none
	expect_log "refused: '10de:1b06:1458:3740@42:00.0' expects 10de:1b06 (subsystem 1458:3740), found 10de:1b06 (subsystem 10de:120f)"
}

t_bridge_refused() {
	fixture pve-rtx
	cmdline "vfio.bind=00:01.1,1022:14e8"
	boot
	expect_driver 0000:00:01.1 pcieport
	expect_no_writes
	expect_log_prio 3 "0000:00:01.1 1022:14ea refused: is a bridge (class 0604)"
	expect_log_prio 3 "0000:00:00.0 1022:14e8 refused: is a bridge (class 0600)"
}

t_chipset_slot_skips_bridge() {
	fixture igpu-efifb
	cmdline "vfio.bind=00:1f.*"
	boot
	expect_log "0000:00:1f.0 8086:a145 refused: is a bridge (class 0601)"
	expect_driver 0000:00:1f.2 vfio-pci
	expect_driver 0000:00:1f.3 vfio-pci
	expect_driver 0000:00:1f.4 vfio-pci
	expect_log "0000:00:1f.4 8086:a123 claimed (was i801_smbus)"
	expect_no_log "not viable"
}

t_no_iommu_hands_back() {
	fixture no-iommu
	cmdline "vfio.bind=03:00.0,01:00.0"
	boot
	expect_driver 0000:03:00.0 r8169
	expect_override 0000:03:00.0 "(null)"
	expect_override 0000:01:00.0 "(null)"
	expect_log_prio 4 "0000:03:00.0 10ec:8168 released to host: IOMMU is off"
	expect_log "now on r8169"
	expect_log "0000:01:00.0 1002:6929 released to host: IOMMU is off"
	expect_log "0 claimed, 0 refused, 2 released to host"
	expect_driver 0000:03:00.1 none
	expect_no_write_about 0000:03:00.1
}

t_on_fail_keep() {
	fixture no-iommu
	cmdline "vfio_bind.on_fail=keep vfio.bind=03:00.0"
	boot
	expect_driver 0000:03:00.0 none
	expect_override 0000:03:00.0 vfio-pci
	expect_log "0000:03:00.0 10ec:8168 kept without a driver (vfio_bind.on_fail=keep): IOMMU is off"
}

t_probe_failure_hands_back() {
	fixture gtx-hba
	touch "$ROOT/sys/devices/pci0000:00/0000:42:00.0/.sim_probe_fail"
	mkdir -p "$ROOT/sys/bus/pci/drivers/nouveau"
	cmdline "vfio.bind=42:00.0,42:00.1"
	boot
	expect_driver 0000:42:00.0 nouveau
	expect_driver 0000:42:00.1 vfio-pci
	expect_log "0000:42:00.0 10de:1b06 released to host: vfio-pci did not bind"
}

t_module_missing() {
	fixture pve-rtx
	: > "$ROOT/lib/modules/sim/modules.dep"
	cmdline "vfio.bind=01:00.0"
	boot
	expect_driver 0000:01:00.0 none
	expect_override 0000:01:00.0 "(null)"
	expect_log_prio 3 "the vfio-pci module is not in this initramfs"
	expect_log "0000:01:00.0 10de:2d04 released to host: the vfio-pci module is not in this initramfs"
}

t_module_blacklisted() {
	fixture two-amd
	echo vfio-pci > "$ROOT/lib/modules/sim/sim-blacklist"
	cmdline "modprobe.blacklist=vfio_pci vfio.bind=0b:00.0"
	boot
	expect_log_prio 3 "modprobe.blacklist=vfio_pci blacklists vfio modules"
	expect_log "released to host: vfio-pci is blacklisted"
	expect_override 0000:0b:00.0 "(null)"
	# fail safe: the host driver has it again
	expect_driver 0000:0b:00.0 amdgpu
}

t_garbage_next_to_valid() {
	fixture pve-rtx
	cmdline "quiet vfio.bind=zz:zz,10de:2d04,../../sda vfio_bind.bogus=1 vfio.bind= vfio.bind=01:00.9"
	boot
	expect_driver 0000:01:00.0 vfio-pci
	expect_log_prio 3 "bad selector 'zz:zz' in vfio.bind="
	expect_log_prio 3 "bad selector '../../sda' in vfio.bind="
	expect_log_prio 3 "bad selector '01:00.9' in vfio.bind="
	expect_log_prio 3 "unknown setting 'vfio_bind.bogus'"
	expect_log "1 claimed, 0 refused, 0 released to host, 0 kept without driver, 0 unmatched, 4 bad tokens"
	expect_no_write_about 0000:01:00.1
}

t_unmatched() {
	fixture pve-rtx
	cmdline "vfio.bind=dead:beef,05:00.0,!07:00.0"
	boot
	expect_log_prio 4 "selector 'dead:beef' matched nothing: no device dead:beef"
	expect_log_prio 4 "selector '05:00.0' matched nothing: no device at 0000:05:00.0"
	expect_log "0 claimed, 0 refused, 0 released to host, 0 kept without driver, 2 unmatched"
	expect_no_writes
}

t_hostile_cmdline_file() {
	fixture pve-rtx
	{
		printf 'vfio.bind=01:00.0 '
		head -c 70000 /dev/zero | tr '\0' 'a'
		printf ' vfio.bind=01:00.1\n'
	} > "$ROOT/proc/cmdline"
	boot
	expect_driver 0000:01:00.0 vfio-pci
	printf 'vfio.bind="01:00.0\001\033[2J' > "$ROOT/proc/cmdline"
	: > "$ROOT/dev/kmsg"
	boot
	expect_log "contains control characters"
	! grep -q "$(printf '\033')" "$ROOT/dev/kmsg" || fail "an escape byte reached the log"
}

t_address_selectors_read_only_their_devices() {
	# every other device's uevent is a FIFO: reading one would block until the timeout
	fixture gtx-hba
	for d in 0000:01:00.0 0000:05:00.0 0000:06:00.0 0000:43:00.0 0000:43:00.1; do
		rm "$ROOT/sys/devices/pci0000:00/$d/uevent"
		mkfifo "$ROOT/sys/devices/pci0000:00/$d/uevent"
	done
	cmdline "vfio.bind=10de:1b06@42:00.0,42:00.1"
	set +e
	timeout 10 "$SIM" --root "$ROOT" --moddir "$ROOT/lib/modules/sim" boot
	rc=$?
	set -e
	[ $rc -eq 0 ] || fail "boot blocked on another device's uevent (status $rc)"
	expect_driver 0000:42:00.0 vfio-pci
	expect_driver 0000:42:00.1 vfio-pci
}
