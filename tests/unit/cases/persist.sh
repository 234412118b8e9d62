# Persistent claims (issue 8): boot reads /etc/vfio-bind.conf and .conf.d/ with the kernel
# command line; the rescue switch; add, remove and config on fake roots (atomic replace, bad
# selectors change nothing, guarded addresses, whole slots); root-disk, swap and default-route
# safety for add and claim; check and check --next-boot.

conf() { put etc/vfio-bind.conf "$@"; }
CONF() { echo "$ROOT/etc/vfio-bind.conf"; }

t_boot_reads_file_without_token() {
	setup gtx-hba "root=/dev/nvme0n1p2 quiet"
	conf "# the GPU" "vfio.bind=10de:1b06@42:00.0,10de:10ef@42:00.1  # and its audio"
	boot
	expect_drivers 0000:42:00.0=vfio-pci 0000:42:00.1=vfio-pci 0000:43:00.0=none
	expect_log "2 claimed, 0 refused"
}

t_boot_file_and_cmdline_add_up() {
	setup gtx-hba "vfio.bind=43:00.0 vfio_bind.dry_run=0"
	conf "vfio.bind=10de:1b06@42:00.0" "vfio_bind.dry_run=1"
	mkdir -p "$ROOT/etc/vfio-bind.conf.d"
	echo "vfio.bind=10de:10ef@42:00.1" > "$ROOT/etc/vfio-bind.conf.d/audio.conf"
	echo "vfio.bind=05:00.0" > "$ROOT/etc/vfio-bind.conf.d/ignored.txt"
	boot
	# the kernel command line's setting wins (read last): no dry run
	expect_drivers 0000:42:00.0=vfio-pci 0000:42:00.1=vfio-pci 0000:43:00.0=vfio-pci \
		0000:05:00.0=mpt3sas
	expect_log "3 claimed, 0 refused"
}

t_boot_bad_lines_named_good_lines_claim() {
	setup gtx-hba "root=/dev/nvme0n1p2"
	conf "# comment" "vfio.bind=zz:zz" "vfio.bind=10de:1b06@42:00.0" "intel_iommu=on" \
		"vfio_bind.on_fail=maybe vfio_bind.ignore_config" "garbage"
	boot
	expect_driver 0000:42:00.0 vfio-pci
	expect_log "bad selector 'zz:zz' in vfio.bind= ($(CONF):2): not a PCI ID"
	expect_log "'intel_iommu' ($(CONF):4) is not a vfio-bind key"
	expect_log "bad value 'maybe' for vfio_bind.on_fail ($(CONF):5)"
	expect_log "'vfio_bind.ignore_config' ($(CONF):5) works only on the kernel command line"
	expect_log "'garbage' ($(CONF):6) is not a vfio-bind key"
	expect_log "1 claimed, 0 refused, 0 released to host, 0 kept without driver, 0 unmatched, 5 bad tokens"
}

t_boot_rescue_switch_ignores_file() {
	for sw in vfio_bind.ignore_config rd.vfio_bind.ignore_config=1 vfio-bind.ignore-config=yes; do
		setup gtx-hba "root=/dev/nvme0n1p2 $sw"
		conf "vfio.bind=10de:1b06@42:00.0"
		boot
		expect_no_writes
		expect_driver 0000:42:00.0 none
		expect_log_prio 5 "vfio_bind.ignore_config: $(CONF) and $(CONF).d/ not read"
		cleanup
	done
	# switched off again: the file counts
	setup gtx-hba "vfio_bind.ignore_config vfio_bind.ignore_config=0"
	conf "vfio.bind=10de:1b06@42:00.0"
	boot
	expect_driver 0000:42:00.0 vfio-pci
}

t_boot_empty_or_unreadable_file() {
	setup gtx-hba "vfio.bind=43:00.0"
	conf ""
	boot
	expect_driver 0000:43:00.0 vfio-pci
	expect_log "1 claimed, 0 refused, 0 released to host, 0 kept without driver, 0 unmatched, 0 bad tokens"
	cleanup
	setup gtx-hba "vfio.bind=43:00.0"
	mkdir -p "$ROOT/etc/vfio-bind.conf"
	boot
	expect_driver 0000:43:00.0 vfio-pci
	expect_log_prio 3 "cannot read $(CONF): Is a directory; its claims do not apply"
	cleanup
	# nothing anywhere: nothing is logged
	setup gtx-hba "quiet"
	conf "# nothing yet"
	boot
	[ ! -s "$ROOT/dev/kmsg" ] || fail "logged: $(cat "$ROOT/dev/kmsg")"
}

# --- add, remove, config -----------------------------------------------------------------

t_add_writes_guarded_whole_slot() {
	fixture gtx-hba
	vb add 42:00 --no-rebuild
	expect_rc 0
	expect_out "added vfio.bind=10de:1b06@42:00.0,10de:10ef@42:00.1"
	expect_out "The initramfs was not rebuilt"
	grep -qx 'vfio.bind=10de:1b06@42:00.0,10de:10ef@42:00.1' "$(CONF)" || fail "file: $(cat "$(CONF)")"
	grep -q '^# vfio-bind:' "$(CONF)" || fail "no header comment"
	expect_no_writes
	# a plain address: guarded with the ID found there; an ID and an exclusion as written
	vb add 05:00.0 10DE:1C03 '!43:00.1'
	expect_rc 0
	grep -qx 'vfio.bind=1000:0072@05:00.0,10de:1c03,!43:00.1' "$(CONF)" || fail "file: $(cat "$(CONF)")"
	# what is there already is not written twice
	cp "$(CONF)" "$ROOT/before"
	vb add 42:00.0 10de:1c03
	expect_rc 0
	expect_out "10de:1b06@42:00.0 is already in"
	cmp -s "$(CONF)" "$ROOT/before" || fail "file changed"
	# the boot reads what add wrote
	boot
	expect_drivers 0000:42:00.0=vfio-pci 0000:42:00.1=vfio-pci 0000:05:00.0=vfio-pci \
		0000:43:00.0=vfio-pci 0000:43:00.1=none
}

t_add_keeps_comments_and_other_lines() {
	fixture gtx-hba
	printf '# mine\nvfio_bind.keep_fb=1   # keep the console\n\nvfio.bind=43:00.0' > "$ROOT/etc/vfio-bind.conf"
	cp "$(CONF)" "$ROOT/before"
	vb add 42:00.1
	expect_rc 0
	printf '# mine\nvfio_bind.keep_fb=1   # keep the console\n\nvfio.bind=43:00.0\nvfio.bind=10de:10ef@42:00.1\n' |
		cmp -s - "$(CONF)" || fail "file: $(cat "$(CONF)")"
	[ "$(stat -c %a "$(CONF)")" = 644 ] || fail "mode $(stat -c %a "$(CONF)")"
}

t_add_bad_selector_changes_nothing() {
	fixture gtx-hba
	conf "# keep me" "vfio.bind=43:00.0"
	cp "$(CONF)" "$ROOT/before"
	for bad in zz:zz 42:00.8 '10de:1b06@42:00' '' '!' 'a b' '42:00.0,,43:00.1'; do
		vb add 42:00.0 "$bad"
		expect_rc 2
		expect_err "nothing changed"
		cmp -s "$(CONF)" "$ROOT/before" || fail "add '$bad' changed the file"
		vb remove 43:00.0 "$bad"
		expect_rc 2
		cmp -s "$(CONF)" "$ROOT/before" || fail "remove '$bad' changed the file"
	done
	vb add
	expect_rc 2
	# no device there, a guard that does not hold, a bridge: exit 1, no change
	vb add 09:00.0
	expect_rc 1
	expect_err "no PCI device at 09:00.0"
	vb add 10de:1c03@42:00.0
	expect_rc 1
	expect_err "0000:42:00.0 is 10de:1b06"
	cmp -s "$(CONF)" "$ROOT/before" || fail "file changed"
	[ "$(ls "$ROOT/etc" | grep -v '^vfio-bind.conf.lock$' | grep -c vfio-bind.conf)" -eq 1 ] ||
		fail "stray files: $(ls "$ROOT/etc")"
}

# A write that fails (the file-size limit makes write(2) fail with EFBIG) leaves the old file
# as it was and no temporary file behind.
t_add_failed_write_keeps_old_file() {
	fixture gtx-hba
	mkdir -p "$ROOT/etc"
	{ i=0; while [ $i -lt 40 ]; do echo "# a long comment line, number $i, that makes the file big"; i=$((i + 1)); done
	  echo "vfio.bind=43:00.0"; } > "$ROOT/etc/vfio-bind.conf"
	cp "$(CONF)" "$ROOT/before"
	(trap '' XFSZ; ulimit -f 2; vb add 42:00.0; echo "$RC" > "$ROOT/rc")
	RC=$(cat "$ROOT/rc")
	expect_rc 1
	expect_err "cannot write $(CONF): File too large; the file is unchanged"
	cmp -s "$(CONF)" "$ROOT/before" || fail "the old file was changed"
	[ "$(ls "$ROOT/etc" | grep -v '^vfio-bind.conf.lock$' | grep -c vfio-bind.conf)" -eq 1 ] ||
		fail "stray files: $(ls "$ROOT/etc")"
	# a directory that cannot hold the temporary file: the same
	rm -rf "$ROOT/etc2"; mkdir -p "$ROOT/etc2/vfio-bind.conf.d"
	set +e
	"$SIM" --root "$ROOT" --config "$ROOT/etc2/none/deeper/vfio-bind.conf" add 42:00.0 >"$ROOT/out" 2>"$ROOT/err"
	RC=$?
	set -e
	expect_rc 1
	expect_err "cannot write"
}

t_remove_keeps_the_rest() {
	fixture gtx-hba
	printf '%s\n' "# mine" "vfio.bind=10de:1b06@42:00.0,10de:10ef@42:00.1,43:00.0  # gpus" \
		"vfio_bind.keep_fb=1" "vfio.bind=1000:0072@05:00.0" > "$ROOT/etc/vfio-bind.conf"
	vb remove 42:00 1000:0072 --no-rebuild
	expect_rc 0
	expect_out "removed 3 selector(s)"
	printf '%s\n' "# mine" "vfio.bind=43:00.0  # gpus" "vfio_bind.keep_fb=1" | cmp -s - "$(CONF)" ||
		fail "file: $(cat "$(CONF)")"
	cp "$(CONF)" "$ROOT/before"
	vb remove 10de:1b06
	expect_rc 1
	expect_out "'10de:1b06' is not in"
	expect_err "nothing removed"
	cmp -s "$(CONF)" "$ROOT/before" || fail "file changed"
	vb remove 43:00.0
	expect_rc 0
	printf '%s\n' "# mine" "# gpus" "vfio_bind.keep_fb=1" | cmp -s - "$(CONF)" || fail "file: $(cat "$(CONF)")"
	rm -f "$(CONF)"
	vb remove 43:00.0
	expect_rc 1
	expect_err "does not exist"
}

t_config_shows_the_set() {
	fixture gtx-hba
	vb config
	expect_rc 0
	expect_out "no persistent claims"
	conf "vfio.bind=10de:1b06@42:00.0,10de:1c03@42:00.1,!43:00.0" "vfio.bind=zz"
	vb config
	expect_rc 1
	expect_out "bad selector 'zz' in vfio.bind= ($(CONF):2)"
	expect_out "3 selector(s), 1 bad token(s)"
	expect_out "  10de:1b06@42:00.0"
	expect_out " 0000:42:00.0 10de:1b06 (no driver)"
	expect_out "0000:42:00.1 is 10de:10ef: refused at boot"
	expect_out "never claimed"
}

# The rebuild runs the system's generator (stubs first in PATH: nothing real runs).
t_add_rebuilds_with_the_generator() {
	fixture gtx-hba
	mkdir -p "$ROOT/bin"
	printf '#!/bin/sh\necho "update-initramfs $*" >> "%s/calls"\n' "$ROOT" > "$ROOT/bin/update-initramfs"
	printf '#!/bin/sh\necho "dracut $*" >> "%s/calls"\nexit 3\n' "$ROOT" > "$ROOT/bin/dracut"
	chmod +x "$ROOT/bin/update-initramfs" "$ROOT/bin/dracut"
	run_here() {
		set +e
		PATH=$ROOT/bin:$PATH "$SIM" --sysfs "$ROOT/sys" --proc "$ROOT/proc" \
			--config "$ROOT/etc/vfio-bind.conf" "$@" >"$ROOT/out" 2>"$ROOT/err"
		RC=$?
		set -e
	}
	run_here add 42:00.0
	expect_rc 0
	expect_out "Rebuilding the initramfs of every installed kernel: update-initramfs -u -k all"
	[ "$(cat "$ROOT/calls")" = "update-initramfs -u -k all" ] || fail "calls: $(cat "$ROOT/calls")"
	run_here --no-rebuild add 42:00.1
	expect_rc 0
	expect_out "The next boot uses the file only after: update-initramfs -u -k all"
	[ "$(wc -l < "$ROOT/calls")" -eq 1 ] || fail "calls: $(cat "$ROOT/calls")"
	# dracut only, and it fails: the file is saved, the exit status says so
	rm "$ROOT/bin/update-initramfs"
	PATH_SAVE=$PATH
	PATH=$(printf '%s' "$PATH" | tr ':' '\n' | while read -r d; do [ -x "$d/update-initramfs" ] || printf '%s:' "$d"; done)
	run_here remove 42:00.1
	PATH=$PATH_SAVE
	[ "$(grep -c update-initramfs "$ROOT/calls")" -eq 1 ] || fail "calls: $(cat "$ROOT/calls")"
	expect_rc 1
	grep -qx 'dracut --regenerate-all -f' "$ROOT/calls" || fail "calls: $(cat "$ROOT/calls")"
	expect_err "'dracut --regenerate-all -f' failed"
	! grep -q '42:00.1' "$(CONF)" || fail "not saved: $(cat "$(CONF)")"
	# no generator at all (inside an initramfs, a container): --no-rebuild saves, exit 0
	rm "$ROOT/bin/dracut"
	PATH=$(printf '%s' "$PATH" | tr ':' '\n' | while read -r d; do
		[ -x "$d/update-initramfs" ] || [ -x "$d/dracut" ] || printf '%s:' "$d"; done)
	run_here --no-rebuild add 42:00.1
	PATH=$PATH_SAVE
	expect_rc 0
	expect_out "The initramfs was not rebuilt (--no-rebuild)"
	grep -q '42:00.1' "$(CONF)" || fail "not saved: $(cat "$(CONF)")"
}

# --- safety: the root disk, swap, the default route (tests/unit/cases/inuse.sh has the rest) ---

# blockdev PCI NAME MAJ:MIN [PARENT]: a disk or partition under a PCI function
blockdev() {
	d=$ROOT/sys/devices/pci0000:00/$1/nvme/nvme0/${4:+$4/}$2
	mkdir -p "$d" "$ROOT/sys/class/block"
	echo "$3" > "$d/dev"
	ln -sfn "../../devices/pci0000:00/$1/nvme/nvme0/${4:+$4/}$2" "$ROOT/sys/class/block/$2"
}
mountinfo() { mkdir -p "$ROOT/proc/self"; printf '%s\n' "$@" > "$ROOT/proc/self/mountinfo"; }

t_add_and_claim_refuse_the_root_disk() {
	fixture gtx-hba
	blockdev 0000:01:00.0 nvme0n1 259:0
	blockdev 0000:01:00.0 nvme0n1p2 259:2 nvme0n1
	mountinfo "1 0 0:21 / /proc rw - proc proc rw" \
		"22 1 259:2 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p2 rw"
	vb add 01:00.0
	expect_rc 1
	expect_err "0000:01:00.0 144d:a808 refused: in use: nvme0n1p2 mounted on / (ext4)"
	expect_err "--force"
	[ ! -e "$(CONF)" ] || fail "file written: $(cat "$(CONF)")"
	vb add 144d:a808
	expect_rc 1
	expect_err "refused: in use: nvme0n1p2 mounted on / (ext4)"
	vb claim 01:00.0
	expect_rc 1
	expect_err "0000:01:00.0 144d:a808 refused: in use: nvme0n1p2 mounted on / (ext4)"
	expect_no_writes
	expect_driver 0000:01:00.0 nvme
	# another device is fine
	vb add 42:00.0
	expect_rc 0
	# --force does it, and says so
	vb --force claim 01:00.0
	expect_rc 0
	expect_out "warning: 0000:01:00.0 144d:a808 is in use (nvme0n1p2 mounted on / (ext4)); claimed anyway (--force)"
	expect_driver 0000:01:00.0 vfio-pci
}

t_refuse_root_on_dm_and_swap() {
	fixture gtx-hba
	blockdev 0000:05:00.0 sda3 8:3
	blockdev 0000:05:00.0 sda2 8:2
	mkdir -p "$ROOT/sys/devices/virtual/block/dm-0/slaves" "$ROOT/sys/devices/virtual/block/dm-0/dm"
	echo 253:0 > "$ROOT/sys/devices/virtual/block/dm-0/dev"
	echo pve-root > "$ROOT/sys/devices/virtual/block/dm-0/dm/name"
	ln -s ../../../../pci0000:00/0000:05:00.0/nvme/nvme0/sda3 "$ROOT/sys/devices/virtual/block/dm-0/slaves/sda3"
	mkdir -p "$ROOT/sys/devices/pci0000:00/0000:05:00.0/nvme/nvme0/sda3/holders"
	ln -s ../../../../../../virtual/block/dm-0 "$ROOT/sys/devices/pci0000:00/0000:05:00.0/nvme/nvme0/sda3/holders/dm-0"
	ln -s ../../devices/virtual/block/dm-0 "$ROOT/sys/class/block/dm-0"
	mountinfo "25 1 0:30 / / rw - ext4 /dev/mapper/pve-root rw"
	printf 'Filename\tType\tSize\tUsed\tPriority\n/dev/sda2\tpartition\t1000\t0\t-2\n' > "$ROOT/proc/swaps"
	vb add 05:00.0
	expect_rc 1
	expect_err "refused: in use: sda3 held by dm-0 (pve-root, device-mapper, mounted on /); sda2 swap"
	# unmounted, swap off: the active volume still holds its disk
	mountinfo "1 0 0:21 / /proc rw - proc proc rw"
	: > "$ROOT/proc/swaps"
	vb add 05:00.0
	expect_rc 1
	expect_err "refused: in use: sda3 held by dm-0 (pve-root, device-mapper). Claiming"
	# the volume deactivated too: the device is free
	rm "$ROOT/sys/devices/pci0000:00/0000:05:00.0/nvme/nvme0/sda3/holders/dm-0"
	vb add 05:00.0
	expect_rc 0
}

t_claim_refuses_default_route_nic() {
	fixture gtx-hba
	mkdir -p "$ROOT/sys/devices/pci0000:00/0000:06:00.0/net/enp6s0" \
		"$ROOT/sys/devices/virtual/net/vmbr0" "$ROOT/sys/class/net" "$ROOT/proc/net"
	ln -s ../../devices/pci0000:00/0000:06:00.0/net/enp6s0 "$ROOT/sys/class/net/enp6s0"
	ln -s ../../devices/virtual/net/vmbr0 "$ROOT/sys/class/net/vmbr0"
	ln -s ../../../pci0000:00/0000:06:00.0/net/enp6s0 "$ROOT/sys/devices/virtual/net/vmbr0/lower_enp6s0"
	ln -s ../../../../virtual/net/vmbr0 "$ROOT/sys/devices/pci0000:00/0000:06:00.0/net/enp6s0/upper_vmbr0"
	printf 'Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\tMTU\tWindow\tIRTT\n' > "$ROOT/proc/net/route"
	vb claim 06:00.0
	expect_rc 0
	vb release 06:00.0
	printf 'vmbr0\t00000000\t0101A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n' >> "$ROOT/proc/net/route"
	vb claim 06:00.0
	expect_rc 1
	expect_err "0000:06:00.0 10ec:8168 refused: in use: enp6s0 carries the default route (vmbr0)"
	vb add 06:00
	expect_rc 1
	expect_err "enp6s0 carries the default route (vmbr0)"
	# an interface name from /proc is never a path
	printf 'Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\n..\t00000000\t0\t3\t0\t0\t0\t00000000\n' > "$ROOT/proc/net/route"
	vb add 06:00.0 --no-rebuild
	expect_rc 0
}

# --- check -----------------------------------------------------------------------------------

# image DIR: an uncompressed cpio image of DIR as the running kernel's initramfs
image() {
	mkdir -p "$ROOT/boot"
	(cd "$1" && find . | cpio -o -H newc 2>/dev/null) > "$ROOT/boot/initrd.img-$(uname -r)"
}

t_check_file_image_and_boot_loader() {
	command -v cpio >/dev/null ||
		fail "no cpio (scripts/deps/build.list)"
	setup gtx-hba "root=/dev/x vfio.bind=43:00.0"
	mkdir -p "$ROOT/etc/default/grub.d" "$ROOT/img/etc" "$ROOT/img/usr/sbin"
	echo 'GRUB_CMDLINE_LINUX_DEFAULT="quiet"' > "$ROOT/etc/default/grub"
	echo 'GRUB_CMDLINE_LINUX_DEFAULT="$GRUB_CMDLINE_LINUX_DEFAULT vfio.bind=43:00.0"' > "$ROOT/etc/default/grub.d/vfio-bind.cfg"
	: > "$ROOT/img/usr/sbin/vfio-bind"
	image "$ROOT/img"
	vb check
	expect_no_out "persistent file"
	expect_out "the configured command line ($ROOT/etc/default/grub (and grub.d/*.cfg)) selects what the running one does: addr 0000:43:00.0"
	vb --no-rebuild add 42:00.0
	vb check
	expect_rc 1
	expect_out "[ OK ] persistent file $(CONF): 1 selector(s)"
	expect_out "[WARN] the initramfs $ROOT/boot/initrd.img-$(uname -r) has no copy of $(CONF)"
	cp "$(CONF)" "$ROOT/img/etc/"
	echo "vfio.bind=05:00.0" >> "$ROOT/img/etc/vfio-bind.conf"
	image "$ROOT/img"
	vb check
	expect_out "holds another version of $(CONF) (stale)"
	cp "$(CONF)" "$ROOT/img/etc/"
	image "$ROOT/img"
	vb check
	expect_out "[ OK ] the initramfs $ROOT/boot/initrd.img-$(uname -r) holds the current $(CONF)"
	# the boot loader's next command line differs from the running one
	echo "root=/dev/x vfio.bind=43:00.1 vfio_bind.ignore_config" > "$ROOT/etc/kernel/cmdline" 2>/dev/null ||
		{ mkdir -p "$ROOT/etc/kernel"; echo "root=/dev/x vfio.bind=43:00.1 vfio_bind.ignore_config" > "$ROOT/etc/kernel/cmdline"; }
	vb check
	expect_out "[WARN] the next boot differs from this one: its command line ($ROOT/etc/kernel/cmdline) selects addr 0000:43:00.1 and ignores the persistent file; the running one selects addr 0000:43:00.0"
	expect_no_writes
}

t_check_next_boot_plan() {
	setup gtx-hba "root=/dev/x"
	mkdir -p "$ROOT/etc/kernel"
	echo "root=/dev/x vfio.bind=43:00.0,qq:qq" > "$ROOT/etc/kernel/cmdline"
	conf "vfio.bind=10de:1b06@42:00.0,10de:aaaa@05:00.0" "vfio.bind=zz"
	vb check --next-boot
	expect_rc 1
	expect_out "kernel command line from $ROOT/etc/kernel/cmdline"
	expect_out "bad selector 'qq:qq' in vfio.bind= ($ROOT/etc/kernel/cmdline)"
	expect_out "bad selector 'zz' in vfio.bind= ($(CONF):2)"
	expect_out "0000:43:00.0   10de:1c03 0300   -                claim    43:00.0"
	expect_out "0000:42:00.0   10de:1b06 0300   -                claim    10de:1b06@42:00.0"
	expect_out "0000:05:00.0   1000:0072 0107   mpt3sas          refuse   '10de:aaaa@05:00.0' expects 10de:aaaa, found 1000:0072"
	expect_out "2 device(s) would be claimed"
	expect_no_out "dmesg"
	expect_no_writes
	# the rescue switch in the configured line: the file does not count
	echo "root=/dev/x vfio.bind=43:00.0 vfio_bind.ignore_config" > "$ROOT/etc/kernel/cmdline"
	vb check --next-boot
	expect_out "vfio_bind.ignore_config is on it: $(CONF) is not read"
	expect_no_out "42:00.0"
	expect_out "1 device(s) would be claimed"
	# a planned device the running system stands on
	blockdev 0000:43:00.0 nvme0n1 259:0
	mountinfo "22 1 259:0 / / rw - ext4 /dev/nvme0n1 rw"
	vb check --next-boot
	expect_rc 1
	expect_out "warning: 0000:43:00.0 is in use now (nvme0n1 mounted on / (ext4)): the next boot takes it from the host"
	expect_no_out "dmesg"
}

# A staging root (a .deb unpacked, no sysfs): IDs, guards and exclusions are written; a plain
# address, which needs the ID found there, is refused and nothing is written.
t_add_in_staging_root_without_sysfs() {
	ROOT=$(mktemp -d "${TMPDIR:-/tmp}/vfio-bind-unit.XXXXXX")
	vb add 8086:100e@00:04.0 00:05.0
	expect_rc 1
	expect_err "no PCI device at 00:05.0"
	[ ! -e "$(CONF)" ] || fail "file written"
	vb add 8086:100e@00:04.0 '!00:03'
	expect_rc 0
	expect_out "note: cannot read the PCI devices"
	grep -qx 'vfio.bind=8086:100e@00:04.0,!00:03' "$(CONF)" || fail "file: $(cat "$(CONF)")"
}
