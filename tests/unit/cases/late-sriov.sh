# Devices that appear after the boot pass (issue 10): SR-IOV VFs held back at boot through
# their PF's sriov_drivers_autoprobe, and `vfio-bind hotplug` (the udev rule's command) for
# hot-plugged cards and new VFs.

autoprobe() { cat "$ROOT/sys/bus/pci/devices/$1/sriov_drivers_autoprobe"; }
expect_held() { [ "$(autoprobe "$1")" = 0 ] || fail "$1 not held (sriov_drivers_autoprobe=$(autoprobe "$1"))"; }
expect_not_held() {
	[ "$(autoprobe "$1")" = 1 ] || fail "$1 held (sriov_drivers_autoprobe=$(autoprobe "$1"))"
	expect_no_write_about "$1/sriov_drivers_autoprobe"
}
# late LINE...: devices that appear now (mkfixture.sh --add); VFs of a PF that is not held
# are bound by the kernel at once, as the driver core would (the line says driver=)
late() {
	printf '%s\n' "$@" > "$ROOT/late.topo"
	"$UNIT_DIR/mkfixture.sh" --add "$ROOT/late.topo" "$ROOT"
}
hotplug() {
	: > "$ROOT/dev/kmsg"
	vb hotplug "$1"
	[ "$RC" -eq 0 ] || fail "hotplug $1 exited $RC (it must exit 0)"
	[ ! -s "$ROOT/err" ] || fail "hotplug wrote to stderr: $(cat "$ROOT/err")"
}

# --- PF/VF address arithmetic, seen through what boot holds -------------------------------
t_vf_address_holds_pf() {
	fixture sriov
	cmdline "vfio.bind=3b:02.1"
	boot
	expect_held 0000:3b:00.0
	expect_write /sys/bus/pci/devices/0000:3b:00.0/sriov_drivers_autoprobe 0
	expect_log_prio 5 "0000:3b:00.0 8086:1572: sriov_drivers_autoprobe=0: '3b:02.1' may claim its VF 0000:3b:02.1 (8086:154c, 64 VFs possible)"
	expect_log "(vfio_bind.sriov=0 turns this off)"
	expect_not_held 0000:5e:00.0
	expect_not_held 0000:af:00.0
	# the PF itself keeps its driver: the selector names a VF, not the PF
	expect_driver 0000:3b:00.0 i40e
	expect_override 0000:3b:00.0 "(null)"
}

# Address selectors that all name existing functions cannot name a future VF: no walk at all
# (strace: the walk is one faccessat of sriov_totalvfs per function; under ASan the exit
# status of a traced run means nothing, the trace does).
t_no_walk_when_every_address_exists() {
	fixture sriov
	cmdline "vfio.bind=03:00.0"
	strace -f -e trace=faccessat,faccessat2 -o "$ROOT/strace" "$SIM" --root "$ROOT" \
		--moddir "$ROOT/lib/modules/sim" boot >/dev/null 2>&1 || true
	grep -q "+++ exited" "$ROOT/strace" || fail "strace saw nothing"
	! grep -q sriov_totalvfs "$ROOT/strace" || fail "walked the PFs: $(grep -c sriov "$ROOT/strace")"
	fixture sriov
	cmdline "vfio.bind=03:00.0,3b:02.0"
	strace -f -e trace=faccessat,faccessat2 -o "$ROOT/strace" "$SIM" --root "$ROOT" \
		--moddir "$ROOT/lib/modules/sim" boot >/dev/null 2>&1 || true
	grep -q sriov_totalvfs "$ROOT/strace" || fail "no walk for a selector naming no device"
	expect_held 0000:3b:00.0
}

t_vf_last_and_beyond() {
	fixture sriov
	cmdline "vfio.bind=3b:09.7"		# VF 63 = 0x3b00 + 16 + 63
	boot
	expect_held 0000:3b:00.0
	fixture sriov
	cmdline "vfio.bind=3b:0a.0"		# would be VF 64: the PF has 64
	boot
	expect_not_held 0000:3b:00.0
	expect_not_held 0000:af:00.0
}

t_vf_offset_below_slot() {
	fixture sriov
	cmdline "vfio.bind=5e:01.1"		# 0x5e00 + 2 + 7: the last of 8
	boot
	expect_held 0000:5e:00.0
	expect_log "'5e:01.1' may claim its VF 0000:5e:01.1 (15b3:1018, 8 VFs possible)"
	fixture sriov
	cmdline "vfio.bind=5e:00.1,5e:01.2"	# below the first and past the last VF
	boot
	expect_not_held 0000:5e:00.0
}

t_vf_stride_crosses_bus() {
	fixture sriov
	cmdline "vfio.bind=b0:00.0"		# 0xaf00 + 128 + 2 * 64 = 0xb000
	boot
	expect_held 0000:af:00.0
	expect_log "'b0:00.0' may claim its VF 0000:b0:00.0"
	fixture sriov
	cmdline "vfio.bind=b0:00.1,af:80.0"	# stride 2 skips odd routing IDs; af:80 is no slot
	boot
	expect_not_held 0000:af:00.0
}

t_vf_by_id_and_exclusions() {
	fixture sriov
	cmdline "vfio.bind=15b3:1018"
	boot
	expect_held 0000:5e:00.0
	expect_not_held 0000:3b:00.0
	# every VF of the PF excluded: nothing to hold back
	fixture sriov
	cmdline "vfio.bind=15b3:1018,!5e:00.*,!5e:01.*"
	boot
	expect_not_held 0000:5e:00.0
	# a guard expecting another ID at a VF's address would refuse it
	fixture sriov
	cmdline "vfio.bind=10de:1b06@3b:02.0"
	boot
	expect_not_held 0000:3b:00.0
	fixture sriov
	cmdline "vfio.bind=8086:154c@3b:02.0"
	boot
	expect_held 0000:3b:00.0
	expect_not_held 0000:af:00.0
}

# kernels before 4.20 show no sriov_offset: the VFs' addresses are unknown, nothing is held
t_pf_without_offset() {
	fixture sriov
	rm "$ROOT/sys/devices/pci0000:00/0000:3b:00.0/sriov_offset"
	cmdline "vfio.bind=3b:02.0"
	boot
	expect_not_held 0000:3b:00.0
	expect_no_log "sriov"
}

# values the kernel's sriov_init() refuses, or that are no numbers: no VF can appear, nothing
# is held (the old reading held the X710 for a stride of 0: every "VF" at 3b:02.0)
t_pf_values_the_kernel_refuses() {
	pfdir=sys/devices/pci0000:00/0000:3b:00.0
	fixture sriov
	tpl=$ROOT
	for bad in "sriov_stride 0" "sriov_offset 0" "sriov_totalvfs 70000" "sriov_totalvfs -1" \
		"sriov_offset +16" "sriov_offset  16" "sriov_vf_device -154c" "sriov_stride 1x"; do
		ROOT=$(mktemp -d "${TMPDIR:-/tmp}/vfio-bind-unit.XXXXXX")
		cp -a "$tpl/." "$ROOT/"
		echo "${bad#* }" > "$ROOT/$pfdir/${bad%% *}"
		cmdline "vfio.bind=3b:02.0 vfio_bind.debug=1"
		boot
		expect_not_held 0000:3b:00.0
		expect_no_log "'3b:02.0' may claim"
		rm -rf "$ROOT"
	done
	# one VF needs no stride
	ROOT=$tpl
	echo 1 > "$ROOT/$pfdir/sriov_totalvfs"
	echo 0 > "$ROOT/$pfdir/sriov_stride"
	cmdline "vfio.bind=3b:02.0"
	boot
	expect_held 0000:3b:00.0
	expect_log "'3b:02.0' may claim its VF 0000:3b:02.0 (8086:154c, 1 VFs possible)"
}

# trace_boot: a dry-run boot under strace (file syscalls) into $ROOT/strace; under ASan the
# exit status of a traced run means nothing, the trace does
trace_boot() {
	strace -f -e trace=%file -o "$ROOT/strace" "$SIM" --root "$ROOT" \
		--moddir "$ROOT/lib/modules/sim" --dry-run boot >/dev/null 2>&1 || true
	grep -q "+++ exited" "$ROOT/strace" || fail "strace saw nothing"
}
# uevents_read_twice: the functions whose uevent the traced run opened more than once
uevents_read_twice() {
	grep -o '[0-9a-f]\{4\}:[0-9a-f]\{2\}:[0-9a-f]\{2\}\.[0-7]/uevent"' "$ROOT/strace" |
		sort | uniq -d | tr '\n' ' '
}

# The boot pass reads each function's uevent once (the hold and the IOMMU group check take
# what the scan read) and a function's SR-IOV attributes only when a selector could name one
# of its VFs: an ID of a vendor no PF has, or an address where a function that is no VF sits
# now, names none (issue 19: the pass walked every function's sriov_totalvfs and read the
# PFs' uevents and SR-IOV values again).
t_boot_reads_each_uevent_once() {
	fixture sriov
	cmdline "vfio.bind=10de:1c03,03:00.0"
	trace_boot
	[ -z "$(uevents_read_twice)" ] || fail "uevents read twice: $(uevents_read_twice)"
	! grep -q sriov_ "$ROOT/strace" ||
		fail "SR-IOV attributes read: $(grep sriov_ "$ROOT/strace" | head -n 3)"
	[ "$(grep -c '/uevent"' "$ROOT/strace")" -eq 5 ] || fail "not 5 uevents read"
	# a group's members: only their driver links
	fixture turing
	cmdline "vfio.bind=10de:1e87"
	trace_boot
	grep -q '01:00.2/driver"' "$ROOT/strace" || fail "the group was not read"
	[ -z "$(uevents_read_twice)" ] || fail "uevents read twice: $(uevents_read_twice)"
	# a PF the ID could name a VF of: its values read, its uevent not again
	fixture sriov
	cmdline "vfio.bind=15b3:1018,03:00.0"
	trace_boot
	[ -z "$(uevents_read_twice)" ] || fail "uevents read twice: $(uevents_read_twice)"
	grep -q '5e:00.0/sriov_vf_device"' "$ROOT/strace" || fail "the ConnectX-5 PF not read"
	! grep -q '3b:00.0/sriov\|af:00.0/sriov' "$ROOT/strace" ||
		fail "Intel PFs looked at for a Mellanox ID: $(grep sriov_ "$ROOT/strace" | head -n 3)"
	grep -q "0000:5e:00.0 15b3:1017: dry run: would set sriov_drivers_autoprobe=0" \
		"$ROOT/dev/kmsg" || fail "5e:00.0 not held"
}

# A selector naming a VF that exists at boot still holds its PF: the PF may remove the VF
# and create it again (only a VF's address can be taken by a new VF).
t_existing_vf_by_address_holds_pf() {
	fixture sriov
	late "dev 0000:3b:02.0 020000 8086:154c 8086:0000 driver=iavf group=21 physfn=0000:3b:00.0"
	cmdline "vfio.bind=3b:02.0,10de:1c03"
	boot
	expect_held 0000:3b:00.0
	expect_log "'3b:02.0' may claim its VF 0000:3b:02.0"
	expect_not_held 0000:5e:00.0
}

# `hotplug` of a device no selector wants costs the same whatever the number of functions:
# no listing of the PCI devices, the same file syscalls on 5 functions and on 205
t_hotplug_not_wanted_is_o1() {
	for n in 0 200; do
		fixture sriov
		i=0
		while [ "$i" -lt "$n" ]; do
			printf 'dev 0000:%02x:%02x.0 020000 8086:10d3 8086:0000 driver=e1000e group=%d\n' \
				$((0x80 + i / 32)) $((i % 32)) $((100 + i))
			i=$((i + 1))
		done > "$ROOT/many.topo"
		[ "$n" -eq 0 ] || "$UNIT_DIR/mkfixture.sh" --add "$ROOT/many.topo" "$ROOT"
		cmdline "vfio.bind=10de:1c03,3b:02.0"
		strace -f -e trace=%file -o "$ROOT/strace" "$SIM" --root "$ROOT" \
			--moddir "$ROOT/lib/modules/sim" hotplug 0000:03:00.0 >/dev/null 2>&1 || true
		grep -q "+++ exited" "$ROOT/strace" || fail "strace saw nothing"
		! grep -q 'bus/pci/devices", O_RDONLY|O_.*DIRECTORY' "$ROOT/strace" ||
			fail "hotplug listed the PCI devices"
		calls=$(grep -vc '^[0-9]* *+++\|resumed>\|--- SIG' "$ROOT/strace" || true)
		[ "$(ls "$ROOT/sys/bus/pci/devices" | wc -l)" -eq $((n + 5)) ] || fail "not $((n + 5)) functions"
		eval "calls_$n=\$calls"
		rm -rf "$ROOT"
	done
	# shellcheck disable=SC2154
	[ "$calls_0" -eq "$calls_200" ] || fail "file syscalls: $calls_0 with 5 functions, $calls_200 with 205"
}

t_sriov_off_and_dry_run() {
	fixture sriov
	cmdline "vfio.bind=8086:154c vfio_bind.sriov=0"
	boot
	expect_not_held 0000:3b:00.0
	expect_no_log "sriov_drivers_autoprobe"
	fixture sriov
	cmdline "vfio.bind=8086:154c vfio_bind.dry_run=1"
	boot
	expect_no_writes
	expect_log "0000:3b:00.0 8086:1572: dry run: would set sriov_drivers_autoprobe=0"
}

# --- the late path ----------------------------------------------------------------------------
# Boot holds the X710's VFs back; two VFs appear (sriov_numvfs=2): the selected one goes to
# vfio-pci and iavf never probes it, the other reaches iavf (driver_override, since a held VF
# is refused a plain drivers_probe).
t_late_vfs() {
	fixture sriov
	cmdline "vfio.bind=3b:02.0"
	boot
	expect_held 0000:3b:00.0
	late "dev 0000:3b:02.0 020000 8086:154c 8086:0000 group=21 physfn=0000:3b:00.0 host=iavf" \
		"dev 0000:3b:02.1 020000 8086:154c 8086:0000 group=22 physfn=0000:3b:00.0 host=iavf"
	hotplug 0000:3b:02.0
	expect_driver 0000:3b:02.0 vfio-pci
	expect_override 0000:3b:02.0 vfio-pci
	expect_log_prio 5 "0000:3b:02.0 8086:154c arrived late (SR-IOV VF of 0000:3b:00.0)"
	expect_log_prio 5 "0000:3b:02.0 8086:154c claimed late"
	expect_not_probed iavf 0000:3b:02.0
	hotplug 0000:3b:02.1
	expect_driver 0000:3b:02.1 iavf
	expect_override 0000:3b:02.1 "(null)"
	expect_write /sys/bus/pci/devices/0000:3b:02.1/driver_override iavf
	expect_log "0000:3b:02.1 8086:154c: VF of 0000:3b:00.0 not selected; probed for its own driver iavf: now on iavf"
	expect_no_log "arrived late"
	# status and list: the VFs with their PF, the late claim, the held PF
	cmdline "vfio.bind=3b:02.0"
	vb status
	expect_rc 0
	expect_out "0000:3b:02.0 8086:154c vfio-pci"
	expect_out "(VF of 0000:3b:00.0) [claimed late]"
	expect_out "SR-IOV PF 0000:3b:00.0: new VFs wait for vfio-bind"
	vb list
	expect_out "(VF of 0000:3b:00.0) [claimed late]"
	grep "^0000:3b:02.1 " "$ROOT/out" | grep -q "(VF of 0000:3b:00.0)$" || fail "list: 3b:02.1"
	grep "^0000:3b:00.0 " "$ROOT/out" | grep -q "(SR-IOV PF, 0 VFs)$" || fail "list: 3b:00.0"
	vb --json list
	python3 -c '
import json, sys
d = {x["address"]: x for x in json.load(open(sys.argv[1]))}
assert d["0000:3b:02.0"]["physfn"] == "0000:3b:00.0", d["0000:3b:02.0"]
assert d["0000:3b:02.0"]["late"] == "claimed late", d["0000:3b:02.0"]
assert d["0000:3b:02.1"]["late"] is None and d["0000:01:00.0"]["physfn"] is None
assert d["0000:3b:00.0"]["sriov_numvfs"] == 0 and d["0000:01:00.0"]["sriov_numvfs"] is None
' "$ROOT/out" || fail "list --json"
}

# A VF of a PF that was not held: iavf bound it before udev ran; claimed anyway.
t_late_vf_bound_already() {
	fixture sriov
	cmdline "vfio.bind=3b:02.0 vfio_bind.sriov=0"
	boot
	expect_not_held 0000:3b:00.0
	late "dev 0000:3b:02.0 020000 8086:154c 8086:0000 driver=iavf group=21 physfn=0000:3b:00.0"
	hotplug 0000:3b:02.0
	expect_driver 0000:3b:02.0 vfio-pci
	expect_log "0000:3b:02.0 8086:154c arrived late (SR-IOV VF of 0000:3b:00.0; its driver is bound already)"
	expect_log "0000:3b:02.0 8086:154c claimed late (was iavf)"
}

# A hot-plugged NIC whose driver is loaded: e1000e had it before udev ran.
t_late_hotplug_bound() {
	fixture sriov
	cmdline "vfio.bind=8086:10d3@07:00.0,10de:1c03"
	boot
	late "dev 0000:07:00.0 020000 8086:10d3 8086:0000 driver=e1000e group=15"
	hotplug 0000:07:00.0
	expect_driver 0000:07:00.0 vfio-pci
	expect_override 0000:07:00.0 vfio-pci
	expect_log_prio 5 "0000:07:00.0 8086:10d3 arrived late (hot-plugged; its driver is bound already)"
	expect_log_prio 5 "0000:07:00.0 8086:10d3 claimed late (was e1000e)"
	# one device says nothing about the selectors it does not match
	expect_no_log "matched nothing"
	expect_log_count "vfio-bind:" 2
	[ "$(cat "$ROOT/run/vfio-bind/late/0000:07:00.0")" = "claimed late (was e1000e)" ] ||
		fail "no late record"
	# the host NIC with the same ID was never touched
	expect_no_write_about 0000:03:00.0
	vb status
	expect_out "[claimed late (was e1000e)]"
}

t_late_unmatched_is_silent() {
	fixture sriov
	cmdline "vfio.bind=10de:1c03 vfio.bind=zz:zz"
	boot
	late "dev 0000:07:00.0 020000 8086:10d3 8086:0000 driver=e1000e group=15"
	hotplug 0000:07:00.0
	expect_driver 0000:07:00.0 e1000e
	[ ! -s "$ROOT/dev/kmsg" ] || fail "logged: $(cat "$ROOT/dev/kmsg")"
	expect_no_write_about 0000:07:00.0
	# no selectors at all: nothing read, nothing said
	cmdline "quiet"
	hotplug 0000:07:00.0
	[ ! -s "$ROOT/dev/kmsg" ] || fail "logged: $(cat "$ROOT/dev/kmsg")"
}

# Fail-safe on a late device: no IOMMU group, back to its host driver.
t_late_no_iommu_released() {
	fixture sriov
	cmdline "vfio.bind=07:00.0"
	boot
	late "dev 0000:07:00.0 020000 8086:10d3 8086:0000 driver=e1000e"
	hotplug 0000:07:00.0
	expect_driver 0000:07:00.0 e1000e
	expect_override 0000:07:00.0 "(null)"
	expect_log "0000:07:00.0 8086:10d3 released to host: IOMMU is off"
	[ ! -e "$ROOT/run/vfio-bind/late/0000:07:00.0" ] || fail "a late record for a release"
}

t_late_guard_refused() {
	fixture sriov
	cmdline "vfio.bind=10de:1b06@07:00.0"
	boot
	late "dev 0000:07:00.0 020000 8086:10d3 8086:0000 driver=e1000e group=15"
	hotplug 0000:07:00.0
	expect_driver 0000:07:00.0 e1000e
	expect_log "0000:07:00.0 8086:10d3 arrived late (hot-plugged"
	expect_log_prio 3 "0000:07:00.0 8086:10d3 refused: '10de:1b06@07:00.0' expects 10de:1b06, found 8086:10d3"
	expect_no_write_about 0000:07:00.0
}

# An excluded VF of a held PF still reaches its own driver.
t_late_vf_excluded_gets_driver() {
	fixture sriov
	cmdline "vfio.bind=8086:154c,!3b:02.1"
	boot
	expect_held 0000:3b:00.0
	late "dev 0000:3b:02.1 020000 8086:154c 8086:0000 group=22 physfn=0000:3b:00.0 host=iavf"
	hotplug 0000:3b:02.1
	expect_driver 0000:3b:02.1 iavf
	expect_log "excluded by '!3b:02.1'"
}

t_hotplug_usage() {
	fixture sriov
	cmdline "vfio.bind=07:00.0"
	vb hotplug
	expect_rc 2
	vb hotplug zz:zz.z
	expect_rc 2
	expect_err "hotplug takes one PCI function address"
	vb hotplug 0000:07:00.0		# gone before udev ran: nothing to do
	expect_rc 0
	expect_no_writes
}
