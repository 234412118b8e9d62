# Hostile input (issue 9): sysfs files and command lines that are too long, cut, short or
# full of control bytes must never overrun a buffer, reach a path, or break the boot; the
# documented behaviour (debug, status, silence without the token) must be the real one.

# pad_file FILE SIZE HEAD TAIL: HEAD, then "PAD=xxx" lines, then TAIL (no newline after it),
# exactly SIZE bytes in all
pad_file() {
	f=$1 size=$2 head=$3 tail=$4
	n=$((size - ${#head} - ${#tail} - 5))
	{
		printf '%s' "$head"
		printf 'PAD='
		head -c "$n" /dev/zero | tr '\0' x
		printf '\n%s' "$tail"
	} > "$f"
	[ "$(wc -c < "$f")" -eq "$size" ] || fail "pad_file made $(wc -c < "$f") bytes"
}

# 1. a short PCI_ID= or PCI_SUBSYS_ID= value at the end of a full uevent buffer
t_uevent_short_ids() {
	fixture turing
	u=$ROOT/sys/bus/pci/devices/0000:01:00.3/uevent
	pad_file "$u" 511 "PCI_CLASS=C8000
" "PCI_ID=1"
	vb list
	[ "$RC" -eq 0 ] || fail "list exited $RC: $(cat "$ROOT/err")"
	! grep -q Sanitizer "$ROOT/err" || fail "sanitizer report: $(head -5 "$ROOT/err")"
	expect_no_out 0000:01:00.3
	pad_file "$u" 511 "PCI_CLASS=C8000
PCI_ID=10DE:1AD9
" "PCI_SUBSYS_ID=b"
	vb list
	[ "$RC" -eq 0 ] || fail "list exited $RC: $(cat "$ROOT/err")"
	! grep -q Sanitizer "$ROOT/err" || fail "sanitizer report: $(head -5 "$ROOT/err")"
	# a broken subsystem ID is no subsystem ID
	grep -q '^0000:01:00.3 .* 10de:1ad9 *- ' "$ROOT/out" || fail "01:00.3: $(grep 01:00.3 "$ROOT/out")"
	printf 'PCI_CLASS=30000\nPCI_ID=10DE:1E8\nPCI_SUBSYS_ID=1458:37A8\n' \
		> "$ROOT/sys/bus/pci/devices/0000:01:00.0/uevent"
	vb list
	expect_no_out 0000:01:00.0
}

# 2. the uevent's DRIVER= never becomes part of a path; the driver link's name is checked
t_driver_name_from_link_only() {
	fixture turing
	mkdir -p "$ROOT/escape"
	sed -i 's|^DRIVER=.*|DRIVER=../../../../escape|' "$ROOT/sys/bus/pci/devices/0000:01:00.2/uevent"
	cmdline "vfio.bind=01:00.2"
	boot
	expect_no_write_about escape
	[ ! -e "$ROOT/escape/unbind" ] || fail "wrote ROOT/escape/unbind"
	expect_driver 0000:01:00.2 vfio-pci
	expect_log "0000:01:00.2 10de:1ad8 claimed (was xhci_hcd)"
}

t_driver_name_with_control_bytes() {
	fixture turing
	esc=$(printf '\033')
	d=$ROOT/sys/bus/pci/devices/0000:01:00.2
	mv "$ROOT/sys/bus/pci/drivers/xhci_hcd" "$ROOT/sys/bus/pci/drivers/x${esc}[2J"
	ln -sfn "../../../bus/pci/drivers/x${esc}[2J" "$d/driver"
	sed -i "s|^DRIVER=.*|DRIVER=x${esc}[2J|" "$d/uevent"
	cmdline "vfio.bind=01:00.2"
	boot
	! grep -q "$esc" "$ROOT/dev/kmsg" || fail "a raw ESC reached the log"
	! writes | grep -q "$esc" || fail "a write names the driver: $(writes)"
	expect_log_prio 3 "0000:01:00.2 10de:1ad8 refused: its driver's name 'x\\x1b[2J' is not a safe name"
	expect_override 0000:01:00.2 "(null)"
	expect_no_writes
	# list and status escape it too
	vb list
	! grep -q "$esc" "$ROOT/out" || fail "list printed a raw ESC"
}

# 3. a command line longer than the buffer: the cut-off last token is dropped, not shortened
t_cut_cmdline_drops_last_token() {
	fixture turing
	# 65535 bytes are read; the cut falls after "vfio.bind=0000:01:00" ("....1" follows)
	pad=$((65535 - 20 - 3))
	{ printf 'a='; head -c "$pad" /dev/zero | tr '\0' a; printf ' vfio.bind=0000:01:00.1 quiet\n'; } \
		> "$ROOT/proc/cmdline"
	boot
	expect_no_writes
	expect_log_prio 3 "$ROOT/proc/cmdline is longer than 65535 bytes: its cut-off last token 'vfio.bind=0000:01:00' was dropped"
	expect_driver 0000:01:00.2 xhci_hcd
}

t_cut_cmdline_d_drops_last_token() {
	fixture turing
	mkdir -p "$ROOT/etc/cmdline.d"
	# "vfio.bind=10de:1e87" of "vfio.bind=10de:1e87:1458:0000" fits; the subsystem does not
	pad=$((65535 - 19 - 3))
	{ printf 'a='; head -c "$pad" /dev/zero | tr '\0' a; printf '\nvfio.bind=10de:1e87:1458:0000\n'; } \
		> "$ROOT/etc/cmdline.d/50-vfio.conf"
	boot
	expect_no_writes
	expect_log "cut-off last token 'vfio.bind=10de:1e87' was dropped"
	expect_driver 0000:01:00.0 none
}

# 4. more cmdline.d files than the cap: the first ones in name order count, whatever the
# directory order
t_cmdline_d_cap_after_sort() {
	fixture turing
	mkdir -p "$ROOT/etc/cmdline.d"
	# made first, first by name; then 399 more
	echo "vfio.bind=01:00.1" > "$ROOT/etc/cmdline.d/100-vfio.conf"
	i=101
	while [ $i -le 499 ]; do
		echo "# nothing $i" > "$ROOT/etc/cmdline.d/$i-x.conf"
		i=$((i + 1))
	done
	boot
	expect_driver 0000:01:00.1 vfio-pci
	expect_log_prio 4 "more than 64 files in $ROOT/etc/cmdline.d: '164-x.conf' and the 335 after it ignored"
}

# 5. modprobe.blacklist=: escaped in the log, and a long list is not cut silently
t_blacklist_escaped() {
	fixture turing
	# (a CR would end the token, as it does for the kernel)
	printf 'vfio.bind=01:00.1 modprobe.blacklist=nouveau\033[2J\001,nvidiafb\n' > "$ROOT/proc/cmdline"
	boot
	! grep -q "$(printf '\033')" "$ROOT/dev/kmsg" || fail "a raw ESC reached the log"
	! grep -q "$(printf '\001')" "$ROOT/dev/kmsg" || fail "a raw SOH reached the log"
	expect_log "modprobe.blacklist=nouveau\\x1b[2J\\x01,nvidiafb on the command line"
}

t_blacklist_long_list_ending_in_vfio() {
	fixture turing
	list=$(i=0; while [ $i -lt 40 ]; do printf 'module%02d,' $i; i=$((i + 1)); done)
	cmdline "vfio.bind=01:00.1 modprobe.blacklist=${list}vfio_pci"
	boot
	expect_log "blacklists vfio modules: devices cannot be claimed"
	grep -q '^<3>vfio-bind: modprobe.blacklist=module00,.*\.\.\. blacklists vfio' "$ROOT/dev/kmsg" ||
		fail "not an error line, or the cut list does not say it was cut"
	expect_no_log "needs no driver blacklist"
}

# 6. /proc/cmdline's trailing newline is not part of the kernel's command line
t_unclosed_quote_at_end() {
	fixture turing
	printf 'vfio.bind=01:00.1 vfio_bind.dry_run="1\n' > "$ROOT/proc/cmdline"
	boot
	expect_no_log "bad value"
	expect_no_writes
	expect_log "0000:01:00.1 10de:10f8 would be claimed"
}

# 7. the log has a cap per run, and says how much it held back
t_log_lines_capped() {
	fixture turing
	{ printf 'vfio.bind='; head -c 65000 /dev/zero | tr '\0' ,; printf ' vfio.bind=01:00.1\n'; } \
		> "$ROOT/proc/cmdline"
	boot
	n=$(wc -l < "$ROOT/dev/kmsg")
	[ "$n" -le 140 ] || fail "$n log lines"
	sup=$(klog | sed -n 's/^vfio-bind: \([0-9]*\) more log lines suppressed.*/\1/p')
	[ -n "$sup" ] || fail "no line says how many were suppressed"
	bad=$(klog | grep -c "bad selector '' in vfio.bind=: empty selector")
	[ $((sup + bad)) -eq 65001 ] || fail "$bad bad-selector lines + $sup suppressed != 65001"
	expect_log "0000:01:00.1 10de:10f8 claimed"
	expect_log "1 claimed, 0 refused, 0 released to host, 0 kept without driver, 0 unmatched, 65001 bad tokens"
}

# 9. vfio_bind.debug=1 logs every step, each sysfs write included
t_debug_logs_writes() {
	fixture turing
	cmdline "vfio.bind=01:00.2 vfio_bind.debug=1"
	boot
	expect_log_prio 7 "write 'vfio-pci' to $ROOT/sys/bus/pci/devices/0000:01:00.2/driver_override"
	expect_log_prio 7 "write '0000:01:00.2' to $ROOT/sys/bus/pci/drivers/xhci_hcd/unbind"
	expect_log_prio 7 "write '0000:01:00.2' to $ROOT/sys/bus/pci/drivers_probe"
	cleanup
	fixture turing
	cmdline "vfio.bind=01:00.2"
	boot
	! grep -q '^<7>' "$ROOT/dev/kmsg" || fail "debug lines without vfio_bind.debug"
}

# 10. JSON stays JSON whatever bytes sysfs holds
t_json_non_utf8() {
	fixture turing
	d=$ROOT/sys/bus/pci/devices/0000:01:00.2
	bad=$(printf 'xhci\377\300hcd')
	mv "$ROOT/sys/bus/pci/drivers/xhci_hcd" "$ROOT/sys/bus/pci/drivers/$bad"
	ln -sfn "../../../bus/pci/drivers/$bad" "$d/driver"
	sed -i "s|^DRIVER=.*|DRIVER=$bad|" "$d/uevent"
	vb list --json
	expect_rc 0
	python3 -c 'import json,sys; json.loads(sys.stdin.buffer.read().decode("utf-8"))' \
		< "$ROOT/out" || fail "list --json is not JSON: $(cat "$ROOT/out")"
	cmdline "vfio.bind=01:00.2,$(printf 'caf\303\251')"
	vb status --json
	python3 -c 'import json,sys; json.loads(sys.stdin.buffer.read().decode("utf-8"))' \
		< "$ROOT/out" || fail "status --json is not JSON: $(cat "$ROOT/out")"
}

# 11. status says why it failed, and a bad setting alone does not make the devices wrong
t_status_errors_explained() {
	fixture turing
	cmdline "vfio.bind=01:00.1"
	vb --sysfs "$ROOT/nonexistent" status
	expect_rc 1
	expect_err "$ROOT/nonexistent/bus/pci/devices"
	vb --cmdline "$ROOT/no-cmdline" status
	expect_rc 1
	expect_err "cannot read $ROOT/no-cmdline"
}

t_status_bad_setting_only() {
	fixture turing
	cmdline "vfio.bind=01:00.1"
	boot
	cmdline "vfio.bind=01:00.1 vfio_bind.no_such_setting=1"
	vb status
	expect_rc 0
	expect_out "everything asked for is on vfio-pci"
	expect_no_out "NOT everything"
	expect_out "1 bad setting(s) on the command line"
	vb status --json
	expect_rc 0
	expect_out '"ok":true'
	# a bad selector is something asked for that is not claimed
	cmdline "vfio.bind=01:00.1,zz:zz"
	vb status
	expect_rc 1
	expect_out "NOT everything asked for is on vfio-pci"
}

# 12. without vfio.bind= the boot logs nothing at all
t_silent_without_token() {
	fixture igpu-efifb
	cmdline "root=/dev/sda1 video=efifb:off nofb initcall_blacklist=sysfb_init modprobe.blacklist=nouveau,vfio_pci"
	boot
	[ ! -s "$ROOT/dev/kmsg" ] || fail "logged: $(cat "$ROOT/dev/kmsg")"
	expect_no_writes
}

# 15. boot always exits 0, even with a stray argument
t_boot_extra_args_exit_0() {
	fixture turing
	cmdline "vfio.bind=01:00.1"
	vb boot extra-args
	expect_rc 0
	expect_log "boot takes no argument ('extra-args'); ignored"
	expect_driver 0000:01:00.1 vfio-pci
}
