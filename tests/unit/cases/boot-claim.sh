# Claims: by ID, by slot, by address, guarded; what is asked for ends on vfio-pci and
# nothing else is touched.

t_by_id() {
	fixture pve-rtx
	cmdline "BOOT_IMAGE=/vmlinuz root=/dev/mapper/pve-root ro quiet vfio.bind=10de:2d04,10de:22eb"
	boot
	expect_driver 0000:01:00.0 vfio-pci
	expect_driver 0000:01:00.1 vfio-pci
	expect_override 0000:01:00.0 vfio-pci
	expect_override 0000:01:00.1 vfio-pci
	expect_log_prio 5 "0000:01:00.0 10de:2d04 claimed"
	expect_log_prio 5 "0000:01:00.1 10de:22eb claimed"
	expect_log "2 claimed, 0 refused, 0 released to host, 0 kept without driver, 0 unmatched, 0 bad tokens in"
	# dependencies first, the driver last
	[ "$(writes | grep '^insmod' | cut -f2 | tr '\n' ' ')" = "vfio-pci-core vfio irqbypass vfio-pci " ] ||
		fail "module loads: $(writes | grep insmod)"
	for a in 0000:02:00.0 0000:03:00.0 0000:06:00.0 0000:00:01.1; do
		expect_no_write_about "$a"
		expect_override "$a" "(null)"
	done
	expect_not_probed nouveau 0000:01:00.0
	# every claim and the summary, nothing else
	[ "$(wc -l < "$ROOT/dev/kmsg")" -eq 3 ] || fail "log has $(wc -l < "$ROOT/dev/kmsg") lines"
}

t_by_slot() {
	fixture pve-rtx
	cmdline "vfio.bind=01:00.*"
	boot
	expect_driver 0000:01:00.0 vfio-pci
	expect_driver 0000:01:00.1 vfio-pci
	expect_log "2 claimed"
}

t_by_bare_slot_and_domain() {
	fixture pve-rtx
	cmdline "vfio.bind=0000:01:00"
	boot
	expect_driver 0000:01:00.0 vfio-pci
	expect_driver 0000:01:00.1 vfio-pci
}

t_by_address_uppercase_id() {
	fixture gtx-hba
	cmdline "vfio.bind=0000:42:00.0,10DE:10EF"
	boot
	expect_driver 0000:42:00.0 vfio-pci
	expect_driver 0000:42:00.1 vfio-pci
	expect_driver 0000:43:00.0 none
	expect_override 0000:43:00.0 "(null)"
}

t_subsystem() {
	fixture gtx-hba
	cmdline "vfio.bind=10de:1b06:10de:120f,10de:1c03:10de:120f"
	boot
	expect_driver 0000:42:00.0 vfio-pci
	expect_driver 0000:43:00.0 none
	expect_no_write_about 0000:43:00.0
	expect_log_prio 4 "selector '10de:1c03:10de:120f' matched nothing"
	expect_log "1 claimed, 0 refused, 0 released to host, 0 kept without driver, 1 unmatched"
}

t_guard_holds() {
	fixture gtx-hba
	cmdline "vfio.bind=10de:1b06@42:00.0,10de:10ef@0000:42:00.1"
	boot
	expect_driver 0000:42:00.0 vfio-pci
	expect_driver 0000:42:00.1 vfio-pci
}

t_cmdline_d_dracut() {
	fixture gtx-hba
	mkdir -p "$ROOT/etc/cmdline.d"
	printf '# passthrough\nvfio.bind=42:00.0\n' > "$ROOT/etc/cmdline.d/50-vfio.conf"
	printf 'rd.debug\n' > "$ROOT/etc/cmdline.d/10-other.conf"
	cmdline "root=/dev/sda1 vfio.bind=42:00.1"
	boot
	expect_driver 0000:42:00.0 vfio-pci
	expect_driver 0000:42:00.1 vfio-pci
}

t_already_on_vfio() {
	fixture pve-rtx
	cmdline "vfio.bind=01:00.0"
	boot
	: > "$ROOT/sim-writes.log"
	: > "$ROOT/dev/kmsg"
	boot
	expect_log "0000:01:00.0 10de:2d04 claimed (already on vfio-pci)"
	expect_no_writes
}

t_builtin_vfio_pci() {
	fixture pve-rtx
	: > "$ROOT/lib/modules/sim/modules.dep"
	mkdir -p "$ROOT/sys/bus/pci/drivers/vfio-pci"
	cmdline "vfio.bind=01:00.0"
	boot
	expect_driver 0000:01:00.0 vfio-pci
	! writes | grep -q '^insmod' || fail "loaded a module for a built-in driver"
}

t_no_token_is_silent() {
	fixture pve-rtx
	cmdline "BOOT_IMAGE=/vmlinuz root=/dev/sda1 quiet splash"
	boot
	[ ! -s "$ROOT/dev/kmsg" ] || fail "logged without a token: $(cat "$ROOT/dev/kmsg")"
	expect_no_writes
}

t_rd_prefix() {
	fixture gtx-hba
	cmdline "rd.vfio.bind=42:00.0 rd.vfio_bind.on_fail=keep vfio.bind=42:00.1"
	boot
	expect_driver 0000:42:00.0 vfio-pci
	expect_driver 0000:42:00.1 vfio-pci
}
