# Users arriving from the classic recipe (issue 11): vfio-pci's ids= in modprobe.d or on the
# command line is taken over (exclusions apply, vfio-pci loads with an empty ids=), a
# blacklisted vfio-pci is honoured and reported, dracut's blacklist spellings count.
# two-nic: 00:03.0 and 00:04.0 are identical e1000 NICs, no host driver loaded yet.

t_ids_in_modprobe_d_with_exclusion() {
	setup two-nic "quiet vfio.bind=!00:03.0"
	put etc/modprobe.d/vfio.conf "options vfio-pci ids=8086:100e disable_vga=1"
	boot
	expect_driver 0000:00:04.0 vfio-pci
	expect_override 0000:00:04.0 vfio-pci
	# the twin: vfio-pci's own ids= would have taken it when it loaded
	expect_driver 0000:00:03.0 none
	expect_override 0000:00:03.0 "(null)"
	expect_no_write_about 0000:00:03.0
	expect_write load-options "vfio-pci ids="
	! writes | grep -q '^vfio-pci-ids' || fail "vfio-pci got ids=: $(writes | grep vfio-pci-ids)"
	expect_log_prio 5 "8086:100e taken over from 'options vfio-pci ids=' in /etc/modprobe.d/vfio.conf:1"
	expect_log_count "taken over" 1
	expect_log "0000:00:03.0 8086:100e excluded by '!00:03.0'"
	expect_log "1 claimed, 0 refused"
}

t_ids_alone_without_vfio_bind() {
	setup two-nic "BOOT_IMAGE=/vmlinuz root=/dev/sda1 quiet"
	put etc/modprobe.d/vfio.conf "options vfio_pci disable_vga=1 ids=8086:100e,1234:1111"
	boot
	expect_drivers 0000:00:02.0=vfio-pci 0000:00:03.0=vfio-pci 0000:00:04.0=vfio-pci
	expect_override 0000:00:03.0 vfio-pci
	expect_log "1234:1111 taken over from 'options vfio-pci ids=' in /etc/modprobe.d/vfio.conf:1"
	expect_log "3 claimed, 0 refused"
	expect_write load-options "vfio-pci ids="
}

t_ids_on_the_command_line() {
	setup two-nic "vfio-pci.ids=8086:100e vfio.bind=!00:03.0"
	boot
	expect_drivers 0000:00:04.0=vfio-pci 0000:00:03.0=none
	expect_log "8086:100e taken over from vfio-pci.ids= on the command line"
}

t_command_line_ids_win_over_modprobe_d() {
	setup two-nic "vfio_pci.ids=8086:100e vfio.bind=!00:04.0"
	put etc/modprobe.d/vfio.conf "options vfio-pci ids=1234:1111"
	boot
	expect_drivers 0000:00:03.0=vfio-pci 0000:00:02.0=none
	expect_log "does not count: vfio_pci.ids= on the command line overrides it"
	expect_no_log "1234:1111 taken over"
}

t_takeover_off() {
	setup two-nic "vfio_bind.takeover_ids=0 vfio.bind=00:04.0"
	put etc/modprobe.d/vfio.conf "options vfio-pci ids=8086:100e"
	boot
	# vfio-pci applies its own ids=: it takes the other NIC too, and vfio-bind says so
	expect_drivers 0000:00:04.0=vfio-pci 0000:00:03.0=vfio-pci
	expect_no_log "taken over from"
	expect_log "left to vfio-pci (vfio_bind.takeover_ids=0)"
	expect_log_prio 4 "0000:00:03.0 8086:100e is on vfio-pci although vfio-bind did not ask for it: vfio-pci took it through ids=8086:100e from 'options vfio-pci ids=' in /etc/modprobe.d/vfio.conf:1"
	! writes | grep -q '^load-options' || fail "options appended: $(writes | grep load-options)"
}

t_builtin_vfio_pci_holds_excluded_twin() {
	fixture two-nic
	# vfio-pci built in: the kernel applied vfio-pci.ids= before the initramfs
	for a in 0000:00:03.0 0000:00:04.0; do
		mkdir -p "$ROOT/sys/bus/pci/drivers/vfio-pci"
		ln -s ../../../bus/pci/drivers/vfio-pci "$ROOT/sys/devices/pci0000:00/$a/driver"
		ln -s "../../../../devices/pci0000:00/$a" "$ROOT/sys/bus/pci/drivers/vfio-pci/$a"
		sed -i '1i DRIVER=vfio-pci' "$ROOT/sys/devices/pci0000:00/$a/uevent"
	done
	mkdir -p "$ROOT/sys/module/vfio_pci/parameters"
	cmdline "vfio-pci.ids=8086:100e vfio.bind=!00:03.0"
	boot
	expect_log "0000:00:04.0 8086:100e claimed (already on vfio-pci)"
	expect_log_prio 4 "0000:00:03.0 8086:100e is on vfio-pci although vfio.bind= excludes it ('!00:03.0'): vfio-pci is built into the kernel and took it through 'vfio-pci.ids=8086:100e' on the command line"
	expect_log_count "is on vfio-pci although" 1
}

t_modprobe_d_order_and_continuation() {
	fixture two-nic
	# same file name: /etc wins over /lib; files go by name across directories; a
	# backslash continues the line; the last ids= counts
	put lib/modprobe.d/vfio.conf "options vfio-pci ids=1234:1111"
	put etc/modprobe.d/vfio.conf "# the classic recipe
options vfio-pci disable_vga=1 \\
	ids=\"8086:100e\""
	put usr/lib/modprobe.d/aa.conf "options vfio-pci ids=1234:1111"
	cmdline "vfio.bind=!00:03.0"
	boot
	expect_drivers 0000:00:04.0=vfio-pci 0000:00:02.0=none
	expect_log "8086:100e taken over from 'options vfio-pci ids=' in /etc/modprobe.d/vfio.conf:2"
	expect_log "ids= from 'options vfio-pci ids=' in /usr/lib/modprobe.d/aa.conf:1 does not count"
}

t_ids_subsystem_entries() {
	setup two-nic ""
	# "8086:100e::" is 8086:100e for vfio-pci's sscanf("%x:%x:..."): two fields read
	put etc/modprobe.d/vfio.conf "options vfio-pci ids=8086:100e:1af4:1101,1234:1111:ffffffff:ffffffff,8086:100e::"
	boot
	expect_drivers 0000:00:02.0=vfio-pci 0000:00:03.0=vfio-pci 0000:00:04.0=vfio-pci
	expect_log "8086:100e:1af4:1101 taken over"
	expect_log "selector '8086:100e:1af4:1101' matched nothing"
	expect_log "1234:1111 taken over"
	expect_log "8086:100e taken over"
	! writes | grep -q '^vfio-pci-ids' || fail "vfio-pci got ids=: $(writes | grep vfio-pci-ids)"
}

t_ids_class_entry_is_left_to_vfio_pci() {
	setup two-nic "vfio.bind=00:04.0,!00:03.0"
	put etc/modprobe.d/vfio.conf "options vfio-pci ids=1234:1111,8086:100e:ffffffff:ffffffff:20000:ffff00"
	boot
	# vfio.bind= cannot say "every network controller 8086:100e": ids= stays for vfio-pci,
	# which takes the excluded twin too, and vfio-bind says so
	expect_log_prio 3 "ids=1234:1111,8086:100e:ffffffff:ffffffff:20000:ffff00 from 'options vfio-pci ids=' in /etc/modprobe.d/vfio.conf:1 is not taken over: '8086:100e:ffffffff:ffffffff:20000:ffff00' matches a device class; vfio-pci keeps it"
	expect_no_log "taken over from"
	! writes | grep -q '^load-options' || fail "ids= emptied: $(writes | grep load-options)"
	expect_drivers 0000:00:02.0=vfio-pci 0000:00:03.0=vfio-pci 0000:00:04.0=vfio-pci
	expect_log "0000:00:03.0 8086:100e is on vfio-pci although vfio.bind= excludes it ('!00:03.0')"
}

# a list of @1 IDs 1234:a000, 1234:a001, ... (matching no device), then 8086:100e
long_ids() {
	i=0 ids=
	while [ $i -lt "$1" ]; do
		ids="${ids}1234:$(printf 'a%03x' $i),"
		i=$((i + 1))
	done
	echo "${ids}8086:100e"
}

t_ids_longer_than_511_characters() {
	setup two-nic "vfio.bind=!00:03.0"
	ids=$(long_ids 60)
	[ ${#ids} -gt 511 ] && [ ${#ids} -lt 1024 ] || fail "ids= of ${#ids} characters"
	put etc/modprobe.d/vfio.conf "options vfio-pci ids=$ids"
	boot
	# 8086:100e is past character 511: it is taken over, vfio-pci gets no shortened ids=
	expect_log "8086:100e taken over from 'options vfio-pci ids=' in /etc/modprobe.d/vfio.conf:1"
	expect_drivers 0000:00:04.0=vfio-pci 0000:00:03.0=none
	expect_write load-options "vfio-pci ids="
	! writes | grep -q '^vfio-pci-ids' || fail "vfio-pci got ids=: $(writes | grep vfio-pci-ids)"
}

t_ids_too_long_for_the_kernel() {
	setup two-nic "vfio.bind=00:04.0"
	ids=$(long_ids 120)
	put etc/modprobe.d/vfio.conf "options vfio-pci ids=$ids"
	boot
	expect_log_prio 3 "ids= from 'options vfio-pci ids=' in /etc/modprobe.d/vfio.conf:1 is longer than 1023 characters: the kernel refuses to load vfio-pci (ENOSPC); nothing is taken over"
	expect_log "0000:00:04.0 8086:100e released to host"
}

t_modprobe_d_file_over_64_kib() {
	setup two-nic "vfio.bind=!00:03.0"
	mkdir -p "$ROOT/etc/modprobe.d"
	f=$ROOT/etc/modprobe.d/vfio.conf
	awk 'BEGIN { for (i = 0; i < 1100; i++) printf "# %070d\n", i }' > "$f"
	echo "options vfio-pci ids=8086:100e" >> "$f"
	[ "$(wc -c < "$f")" -gt 65536 ] || fail "the file is not over 64 KiB"
	boot
	expect_log "8086:100e taken over from 'options vfio-pci ids=' in /etc/modprobe.d/vfio.conf:1101"
	expect_drivers 0000:00:04.0=vfio-pci 0000:00:03.0=none
}

t_crlf_modprobe_d_file() {
	setup two-nic "vfio.bind=!00:03.0"
	mkdir -p "$ROOT/etc/modprobe.d"
	printf '# vfio\r\noptions vfio-pci ids=8086:100e,1234:1111\r\n' > "$ROOT/etc/modprobe.d/vfio.conf"
	boot
	# the kernel's parser ends the value at the CR: "1234:1111", not "1234:1111\r"
	expect_log "1234:1111 taken over"
	expect_no_log "not taken over"
	expect_drivers 0000:00:02.0=vfio-pci 0000:00:04.0=vfio-pci 0000:00:03.0=none
}

t_cr_inside_an_options_line() {
	setup two-nic "vfio.bind=!00:03.0"
	mkdir -p "$ROOT/etc/modprobe.d"
	# the kernel splits at a CR too: disable_vga=1, ids=8086:100e, and ",1234:1111" (unknown)
	printf 'options vfio-pci disable_vga=1\rids=8086:100e\r,1234:1111\n' > "$ROOT/etc/modprobe.d/vfio.conf"
	boot
	expect_log "8086:100e taken over"
	expect_no_log "1234:1111 taken over"
	expect_drivers 0000:00:04.0=vfio-pci 0000:00:03.0=none 0000:00:02.0=none
}

t_ids_in_hexadecimal_with_0x() {
	setup two-nic "vfio.bind=!00:03.0"
	put etc/modprobe.d/vfio.conf "options vfio-pci ids=0x8086:0x100e"
	boot
	expect_log "8086:100e taken over"
	expect_drivers 0000:00:04.0=vfio-pci 0000:00:03.0=none
}

t_ids_with_trailing_junk() {
	setup two-nic "vfio.bind=!00:03.0"
	# sscanf("%x:%x") stops at "zz" with two fields read: vfio-pci takes 8086:100e
	put etc/modprobe.d/vfio.conf "options vfio-pci ids=8086:100ezz"
	boot
	expect_log "8086:100e taken over"
	expect_drivers 0000:00:04.0=vfio-pci 0000:00:03.0=none
}

t_blacklist_with_a_backslash_escape() {
	setup two-nic "vfio.bind=00:04.0"
	# libkmod: a backslash before any byte but a newline stands for that byte
	put etc/modprobe.d/no-vfio.conf 'blacklist vfio-pc\i'
	boot
	expect_log_prio 3 "/etc/modprobe.d/no-vfio.conf:1: 'blacklist vfio_pci': vfio-pci will not be loaded"
	expect_log "0000:00:04.0 8086:100e released to host: vfio-pci is blacklisted"
}

t_quote_left_open_across_options_lines() {
	setup two-nic "vfio.bind=!00:03.0"
	# libkmod joins the lines' options with a space; the kernel's quote runs on into the next
	put etc/modprobe.d/vfio.conf 'options vfio-pci ids="1234:1111' 'options vfio-pci ,8086:100e"'
	boot
	expect_log "1234:1111 taken over"
	expect_log "8086:100e taken over"
	expect_drivers 0000:00:02.0=vfio-pci 0000:00:04.0=vfio-pci 0000:00:03.0=none
}

t_blacklist_vfio_pci_in_modprobe_d() {
	setup two-nic "vfio.bind=00:04.0"
	put etc/modprobe.d/no-vfio.conf "blacklist vfio-pci"
	boot
	expect_log_prio 3 "/etc/modprobe.d/no-vfio.conf:1: 'blacklist vfio_pci': vfio-pci will not be loaded"
	expect_log "0000:00:04.0 8086:100e released to host: vfio-pci is blacklisted"
	expect_override 0000:00:04.0 "(null)"
	! writes | grep -q '^insmod' || fail "modules loaded: $(writes | grep insmod)"
}

t_rd_driver_blacklist_honoured() {
	for tok in rd.driver.blacklist=vfio_pci rdblacklist=nouveau,vfio-pci; do
		setup two-nic "$tok vfio.bind=00:04.0"
		boot
		expect_log_prio 3 "${tok%%=*}=${tok#*=} blacklists vfio modules"
		expect_log "0000:00:04.0 8086:100e released to host: vfio-pci is blacklisted on the command line"
		! writes | grep -q '^insmod' || fail "modules loaded: $(writes | grep insmod)"
		expect_override 0000:00:04.0 "(null)"
		rm -rf "$ROOT"
	done
}

t_rd_driver_blacklist_of_a_host_driver_is_noted() {
	setup two-nic "rd.driver.blacklist=e1000 vfio.bind=00:04.0"
	boot
	expect_log_prio 6 "rd.driver.blacklist=e1000 on the command line; vfio-bind needs no driver blacklist"
	expect_driver 0000:00:04.0 vfio-pci
}

t_command_line_blacklist_spares_a_builtin_vfio_pci() {
	fixture two-nic
	# built in (or loaded already): a blacklist cannot unload it, the claim goes on
	mkdir -p "$ROOT/sys/bus/pci/drivers/vfio-pci" "$ROOT/sys/module/vfio_pci"
	cmdline "rdblacklist=vfio_pci vfio.bind=00:04.0"
	boot
	expect_driver 0000:00:04.0 vfio-pci
	expect_log "0000:00:04.0 8086:100e claimed"
}

t_status_counts_the_ids_taken_over() {
	setup two-nic "vfio.bind=!00:03.0"
	put etc/modprobe.d/vfio.conf "options vfio-pci ids=8086:100e"
	boot
	vb status
	expect_rc 0
	expect_out "everything asked for is on vfio-pci"
	# the selector's origin: the modprobe.d line it was taken over from
	grep -qx "8086:100e (id, 'options vfio-pci ids=' in /etc/modprobe.d/vfio.conf:1)" \
		"$ROOT/out" || fail "status lacks the selector 8086:100e and its origin"
	expect_out "IOMMU group 2: 0000:00:04.0 (vfio-pci)  viable"
	vb status --json
	expect_rc 0
	expect_out '{"selector":"8086:100e","kind":"id"'
}

t_odd_file_names_are_escaped_in_the_log() {
	fixture two-nic
	put "etc/modprobe.d/$(printf 'v\033[2Jx').conf" "options vfio-pci ids=8086:100e"
	cmdline ""
	boot
	expect_log "8086:100e taken over from 'options vfio-pci ids=' in /etc/modprobe.d/v\\x1b[2Jx.conf:1"
	! grep -q "$(printf '\033')" "$ROOT/dev/kmsg" || fail "an escape byte reached the log"
}

# modprobe_d_reads: how often a dry-run boot, traced into $ROOT/strace, looked at modprobe.d
# (libkmod's reading and vfio-bind's own walk each stat /etc/modprobe.d once)
modprobe_d_reads() {
	strace -f -e trace=%file -o "$ROOT/strace" "$SIM" --root "$ROOT" \
		--moddir "$ROOT/lib/modules/sim" --dry-run boot >/dev/null 2>&1 || true
	grep -q "+++ exited" "$ROOT/strace" || fail "strace saw nothing"
	grep -c "stat.*(.*\"$ROOT/etc/modprobe.d\"" "$ROOT/strace" || true
}

# One libkmod context for the run, and vfio-bind's own walk of modprobe.d only when it has a
# line to name: an ids= taken over, a blacklist of vfio_pci (issue 19: every boot read
# modprobe.d twice, libkmod's context and the walk, and a load made a third context).
t_modprobe_d_read_once_without_a_line_to_name() {
	setup two-nic "vfio.bind=00:04.0"
	put etc/modprobe.d/other.conf "options e1000 debug=1"
	n=$(modprobe_d_reads)
	[ "$n" -eq 1 ] || fail "modprobe.d read $n times, want 1"
	boot
	expect_driver 0000:00:04.0 vfio-pci
	# an ids= to take over: the walk names its line
	setup two-nic "vfio.bind=00:04.0"
	put etc/modprobe.d/vfio.conf "options vfio-pci ids=8086:100e"
	n=$(modprobe_d_reads)
	[ "$n" -eq 2 ] || fail "modprobe.d read $n times with ids=, want 2"
	expect_log "taken over from 'options vfio-pci ids=' in /etc/modprobe.d/vfio.conf:1"
	# a blacklist: the walk names its line too
	setup two-nic "vfio.bind=00:04.0"
	put etc/modprobe.d/bl.conf "blacklist vfio-pci"
	n=$(modprobe_d_reads)
	[ "$n" -eq 2 ] || fail "modprobe.d read $n times with a blacklist, want 2"
	expect_log "/etc/modprobe.d/bl.conf:1: 'blacklist vfio_pci'"
}
