# The persistent file's integrity (issue 15): --dry-run writes and runs nothing and shows the
# change as a diff; parallel adds lose nothing (the lock); remove rewrites through the boot's
# own parse (quotes), refuses a NUL byte, writes through a symlink keeping owner, group, mode
# and SELinux label; add refuses what the boot would not honour and finds conf.d; remove of
# the last selector for a held PF's VFs lifts the hold, and hotplug probes an unselected VF.

CONF() { echo "$ROOT/etc/vfio-bind.conf"; }
conf() { put etc/vfio-bind.conf "$@"; }

# stub generators first in PATH: calls land in $ROOT/calls
stub_generators() {
	mkdir -p "$ROOT/bin"
	for g in update-initramfs dracut; do
		printf '#!/bin/sh\necho "%s $*" >> "%s/calls"\n' "$g" "$ROOT" > "$ROOT/bin/$g"
		chmod +x "$ROOT/bin/$g"
	done
}
# vb_sys ARGS: the simulator on $ROOT's sysfs and proc, the root itself being / (the generator
# runs, from the stubs)
vb_sys() {
	set +e
	PATH=$ROOT/bin:$PATH "$SIM" --sysfs "$ROOT/sys" --proc "$ROOT/proc" \
		--config "$ROOT/etc/vfio-bind.conf" "$@" >"$ROOT/out" 2>"$ROOT/err"
	RC=$?
	set -e
}
# the selectors the boot reads from the file (vfio-bind config's lines)
boot_set() { vb config; grep '^  ' "$ROOT/out" | awk '{ print $1 }' | sort | tr '\n' ' '; }

t_dry_run_writes_and_runs_nothing() {
	fixture gtx-hba
	stub_generators
	conf "# mine" "vfio.bind=10de:1b06@42:00.0,43:00.0  # gpus" "vfio_bind.keep_fb=1"
	cp "$(CONF)" "$ROOT/before"
	vb_sys --dry-run add 05:00.0
	expect_rc 0
	cmp -s "$(CONF)" "$ROOT/before" || fail "dry-run add wrote: $(cat "$(CONF)")"
	[ ! -e "$ROOT/calls" ] || fail "dry-run add ran: $(cat "$ROOT/calls")"
	expect_out "+vfio.bind=1000:0072@05:00.0"
	expect_out "Would rebuild the initramfs of every installed kernel: update-initramfs -u -k all"
	# the diff is the change: patch makes the file the real run writes
	sed -n '/^--- /,/^(dry run/p' "$ROOT/out" | sed '$d' > "$ROOT/add.diff"
	cp "$(CONF)" "$ROOT/patched"
	patch -s "$ROOT/patched" < "$ROOT/add.diff" || fail "patch: $(cat "$ROOT/add.diff")"
	vb_sys --dry-run remove 43:00.0
	expect_rc 0
	cmp -s "$(CONF)" "$ROOT/before" || fail "dry-run remove wrote: $(cat "$(CONF)")"
	[ ! -e "$ROOT/calls" ] || fail "dry-run remove ran: $(cat "$ROOT/calls")"
	expect_out "-vfio.bind=10de:1b06@42:00.0,43:00.0  # gpus"
	expect_out "+vfio.bind=10de:1b06@42:00.0  # gpus"
	sed -n '/^--- /,/^(dry run/p' "$ROOT/out" | sed '$d' > "$ROOT/remove.diff"
	[ ! -e "$ROOT/etc/vfio-bind.conf.lock" ] || fail "dry run made the lock file"
	vb_sys add 05:00.0
	expect_rc 0
	cmp -s "$(CONF)" "$ROOT/patched" || fail "add wrote other than its diff: $(cat "$(CONF)")"
	cp "$ROOT/before" "$(CONF)"
	cp "$(CONF)" "$ROOT/patched"
	patch -s "$ROOT/patched" < "$ROOT/remove.diff" || fail "patch: $(cat "$ROOT/remove.diff")"
	vb_sys remove 43:00.0
	expect_rc 0
	cmp -s "$(CONF)" "$ROOT/patched" || fail "remove wrote other than its diff: $(cat "$(CONF)")"
	# a new file: the diff is against /dev/null
	rm "$(CONF)"
	vb --dry-run add 42:00.1
	expect_rc 0
	expect_out "--- /dev/null"
	[ ! -e "$(CONF)" ] || fail "dry-run add created the file"
}

# 100 pairs of adds at once: each pair races for the file; every selector arrives.
t_parallel_adds_lose_nothing() {
	fixture gtx-hba
	conf "# parallel"
	i=1
	while [ $i -le 100 ]; do
		a=$(printf '8086:a%03x' $i) b=$(printf '8086:b%03x' $i)
		"$SIM" --root "$ROOT" add "$a" > "$ROOT/out.a" 2>&1 &
		"$SIM" --root "$ROOT" add "$b" > "$ROOT/out.b" 2>&1 &
		wait
		i=$((i + 1))
	done
	vb config
	expect_out "200 selector(s), 0 bad token(s)"
	n=$(grep -o '8086:[ab][0-9a-f]*' "$(CONF)" | sort -u | wc -l)
	[ "$n" -eq 200 ] || fail "$n of 200 selectors in the file"
}

# remove through the boot's parse: what is left reads as it did, less what was removed
t_remove_keeps_what_quotes_mean() {
	fixture gtx-hba
	# a bad quoted selector stays a bad one: 43:00.0 is not claimed afterwards
	conf 'vfio.bind=42:00.0,"43:00.0"'
	vb remove 42:00.0
	expect_rc 0
	[ "$(boot_set)" = "" ] || fail "after remove: '$(boot_set)' from $(cat "$(CONF)")"
	vb config
	expect_out "0 selector(s), 1 bad token(s)"
	# the token after an odd quote keeps its meaning: 05:00.0 stays
	conf 'vfio.bind="42:00.0,43:00.0"x vfio.bind=05:00.0'
	vb remove 42:00.0
	expect_rc 0
	[ "$(boot_set)" = "05:00.0 " ] || fail "after remove: '$(boot_set)' from $(cat "$(CONF)")"
	# a whole-quoted token: one selector out, then the other, then the token is gone
	conf '# q' 'vfio.bind="42:00.0,43:00.0"  # both' '"vfio.bind=05:00.0,42:00.1"'
	vb remove 42:00.0
	expect_rc 0
	[ "$(boot_set)" = "05:00.0 42:00.1 43:00.0 " ] || fail "after remove: '$(boot_set)'"
	vb remove 43:00.0 42:00.1
	expect_rc 0
	expect_out "removed 2 selector(s)"
	printf '%s\n' '# q' '# both' '"vfio.bind=05:00.0"' | cmp -s - "$(CONF)" || fail "file: $(cat "$(CONF)")"
	# settings and bad tokens on the line stay as they were
	conf 'vfio_bind.keep_fb=1 vfio.bind=42:00.0,zz vfio_bind.on_fail=keep'
	vb remove 42:00.0
	expect_rc 0
	printf '%s\n' 'vfio_bind.keep_fb=1 vfio.bind=zz vfio_bind.on_fail=keep' | cmp -s - "$(CONF)" ||
		fail "file: $(cat "$(CONF)")"
}

# a NUL byte: the boot reads nothing after it; add and remove refuse, naming the line
t_nul_byte_refused() {
	fixture gtx-hba
	mkdir -p "$ROOT/etc"
	printf '# first\nvfio.bind=42:00.0\nvfio.bind=43:00.0\0 hidden\nvfio.bind=05:00.0\n' > "$(CONF)"
	cp "$(CONF)" "$ROOT/before"
	vb add 42:00.1
	expect_rc 1
	expect_err "$(CONF):3: a NUL byte"
	cmp -s "$(CONF)" "$ROOT/before" || fail "add changed the file"
	vb remove 42:00.0
	expect_rc 1
	expect_err "$(CONF):3: a NUL byte"
	cmp -s "$(CONF)" "$ROOT/before" || fail "remove changed the file"
}

# configuration management keeps the file elsewhere: the link stays, its target is written,
# with its owner, group, mode and SELinux label
t_symlink_written_through() {
	fixture gtx-hba
	mkdir -p "$ROOT/srv/cm" "$ROOT/etc"
	printf '# managed\nvfio.bind=43:00.0\n' > "$ROOT/srv/cm/vfio-bind.conf"
	chown 1234:5678 "$ROOT/srv/cm/vfio-bind.conf"
	chmod 640 "$ROOT/srv/cm/vfio-bind.conf"
	python3 -c 'import os, sys; os.setxattr(sys.argv[1], "security.selinux", b"system_u:object_r:etc_t:s0\0")' \
		"$ROOT/srv/cm/vfio-bind.conf"
	ln -s /srv/cm/vfio-bind.conf "$(CONF)"
	vb add 42:00.0
	expect_rc 0
	[ -L "$(CONF)" ] || fail "the link was replaced by a file"
	grep -qx 'vfio.bind=10de:1b06@42:00.0' "$ROOT/srv/cm/vfio-bind.conf" ||
		fail "target: $(cat "$ROOT/srv/cm/vfio-bind.conf")"
	[ "$(stat -c '%u:%g %a' "$ROOT/srv/cm/vfio-bind.conf")" = "1234:5678 640" ] ||
		fail "owner, group, mode: $(stat -c '%u:%g %a' "$ROOT/srv/cm/vfio-bind.conf")"
	label=$(python3 -c 'import os, sys; print(os.getxattr(sys.argv[1], "security.selinux"))' \
		"$ROOT/srv/cm/vfio-bind.conf")
	[ "$label" = "b'system_u:object_r:etc_t:s0\\x00'" ] || fail "label: $label"
	# a relative link, and remove
	rm "$(CONF)"
	ln -s ../srv/cm/vfio-bind.conf "$(CONF)"
	vb remove 43:00.0
	expect_rc 0
	[ -L "$(CONF)" ] || fail "the link was replaced by a file"
	! grep -q 43:00.0 "$ROOT/srv/cm/vfio-bind.conf" || fail "target: $(cat "$ROOT/srv/cm/vfio-bind.conf")"
	[ "$(stat -c '%u:%g %a' "$ROOT/srv/cm/vfio-bind.conf")" = "1234:5678 640" ] ||
		fail "owner, group, mode after remove"
	[ "$(ls "$ROOT/srv/cm")" = vfio-bind.conf ] || fail "stray files: $(ls "$ROOT/srv/cm")"
}

# add refuses what the boot would not honour, saying why
t_add_refuses_what_boot_ignores() {
	fixture gtx-hba
	conf "vfio.bind=43:00.0" "vfio.bind=!42:00.0"
	cp "$(CONF)" "$ROOT/before"
	vb add 42:00.0
	expect_rc 1
	expect_err "'10de:1b06@42:00.0' would not be claimed at boot: '!42:00.0' ($(CONF):2) excludes it"
	vb add 10de:1b06
	expect_rc 1
	expect_err "'10de:1b06' would claim nothing at boot"
	cmp -s "$(CONF)" "$ROOT/before" || fail "file changed"
	# an exclusion in conf.d and on the kernel command line
	conf "vfio.bind=43:00.0"
	put etc/vfio-bind.conf.d/keep.conf "# keep the HBA" "vfio.bind=!05:00"
	vb add 05:00.0
	expect_rc 1
	expect_err "'!05:00' ($ROOT/etc/vfio-bind.conf.d/keep.conf:2) excludes it"
	cmdline "root=/dev/x vfio.bind=!42:00.1"
	vb add 42:00.1
	expect_rc 1
	expect_err "'!42:00.1' (the kernel command line ($ROOT/proc/cmdline)) excludes it"
	# past the size the boot reads
	{ printf '#%065500d\n' 0; echo "vfio.bind=43:00.0"; } > "$(CONF)"
	cp "$(CONF)" "$ROOT/before"
	vb add 42:00.0
	expect_rc 1
	expect_err "would be larger than the 65535 bytes the boot reads"
	cmp -s "$(CONF)" "$ROOT/before" || fail "file changed"
	printf '#%070000d\nvfio.bind=42:00.1\n' 0 > "$(CONF)"
	cp "$(CONF)" "$ROOT/before"
	vb add 42:00.0
	expect_rc 1
	expect_err "is larger than the 65535 bytes the boot reads (it stops in line 1)"
	vb remove 42:00.1
	expect_rc 1
	expect_err "is larger than the 65535 bytes the boot reads (it stops in line 1)"
	cmp -s "$(CONF)" "$ROOT/before" || fail "file changed"
	# past the selector limit
	{ i=0; while [ $i -lt 256 ]; do printf 'vfio.bind=8086:%04x\n' $i; i=$((i + 1)); done; } > "$(CONF)"
	cp "$(CONF)" "$ROOT/before"
	vb add 42:00.0
	expect_rc 1
	expect_err "the boot takes at most 256 selectors"
	cmp -s "$(CONF)" "$ROOT/before" || fail "file changed"
}

# conf.d counts: add says where a selector is, remove edits it there
t_add_remove_see_conf_d() {
	fixture gtx-hba
	conf "vfio.bind=43:00.0"
	put etc/vfio-bind.conf.d/gpu.conf "# the GPU" "vfio.bind=10de:1b06@42:00.0,10de:10ef@42:00.1"
	vb add 42:00.0
	expect_rc 0
	expect_out "10de:1b06@42:00.0 is already in $ROOT/etc/vfio-bind.conf.d/gpu.conf:2"
	expect_out "nothing to add"
	vb remove 42:00
	expect_rc 0
	expect_out "$ROOT/etc/vfio-bind.conf.d/gpu.conf: removed 2 selector(s)"
	printf '%s\n' "# the GPU" | cmp -s - "$ROOT/etc/vfio-bind.conf.d/gpu.conf" ||
		fail "gpu.conf: $(cat "$ROOT/etc/vfio-bind.conf.d/gpu.conf")"
	[ "$(boot_set)" = "43:00.0 " ] || fail "after remove: '$(boot_set)'"
	# what still claims the device is named
	conf "vfio.bind=43:00.0" "vfio.bind=10de:1c03"
	cmdline "root=/dev/x vfio.bind=43:00.0"
	vb remove 43:00.0
	expect_rc 0
	expect_out "note: '43:00.0' is also on the kernel command line ($ROOT/proc/cmdline): the boot still takes it"
	expect_out "note: 0000:43:00.0 is still claimed at boot: '10de:1c03' ($(CONF):2) selects it"
}

# the last selector for a held PF's VFs: remove lifts the hold; a VF that arrives then gets
# its own driver
t_remove_lifts_sriov_hold() {
	fixture sriov
	cmdline "root=/dev/x"
	conf "vfio.bind=3b:02.0,03:00.0"
	boot
	[ "$(cat "$ROOT/sys/bus/pci/devices/0000:3b:00.0/sriov_drivers_autoprobe")" = 0 ] ||
		fail "PF not held at boot"
	vb --dry-run remove 3b:02.0
	expect_rc 0
	expect_out "Would set sriov_drivers_autoprobe back to 1 on 0000:3b:00.0"
	[ "$(cat "$ROOT/sys/bus/pci/devices/0000:3b:00.0/sriov_drivers_autoprobe")" = 0 ] ||
		fail "dry run lifted the hold"
	vb remove 3b:02.0
	expect_rc 0
	expect_out "0000:3b:00.0: sriov_drivers_autoprobe set back to 1"
	expect_write /sys/bus/pci/devices/0000:3b:00.0/sriov_drivers_autoprobe 1
	[ "$(cat "$ROOT/sys/bus/pci/devices/0000:3b:00.0/sriov_drivers_autoprobe")" = 1 ] ||
		fail "PF still held"
	# a selector another way still wants the VFs: the hold stays
	fixture sriov
	cmdline "root=/dev/x vfio.bind=8086:154c"
	conf "vfio.bind=3b:02.0"
	boot
	vb remove 3b:02.0
	expect_rc 0
	expect_no_out "sriov_drivers_autoprobe"
	[ "$(cat "$ROOT/sys/bus/pci/devices/0000:3b:00.0/sriov_drivers_autoprobe")" = 0 ] ||
		fail "hold lifted while 8086:154c wants the VFs"
}

# the file edited by hand after the boot: the PF is still held, no selector is left; a new
# VF is probed for its own driver all the same
t_hotplug_probes_vf_of_stale_hold() {
	fixture sriov
	cmdline "root=/dev/x"
	conf "vfio.bind=3b:02.0"
	boot
	conf "# nothing any more"
	printf 'dev 0000:3b:02.1 020000 8086:154c 8086:0000 group=22 physfn=0000:3b:00.0 host=iavf\n' > "$ROOT/late.topo"
	"$UNIT_DIR/mkfixture.sh" --add "$ROOT/late.topo" "$ROOT"
	: > "$ROOT/dev/kmsg"
	vb hotplug 0000:3b:02.1
	expect_rc 0
	expect_driver 0000:3b:02.1 iavf
	expect_log "0000:3b:02.1 8086:154c: VF of 0000:3b:00.0 not selected; probed for its own driver iavf: now on iavf"
}

# one token with more pieces than the boot takes selectors (duplicates and bad ones count as
# pieces, not as selectors): a removal from it still goes through the boot's parse
t_remove_from_a_token_of_many_pieces() {
	fixture gtx-hba
	many=$(awk 'BEGIN { for (i = 0; i < 300; i++) printf ",43:00.0"; }')
	conf "vfio.bind=42:00.0${many},zz:zz"
	vb --no-rebuild remove 42:00.0
	expect_rc 0
	[ "$(boot_set)" = "43:00.0 " ] || fail "the boot now reads: $(boot_set)"
	grep -q '42:00.0' "$(CONF)" && fail "42:00.0 is still in: $(head -c 80 "$(CONF)")"
	true
}
