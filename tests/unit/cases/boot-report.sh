# The boot's own report (issue 17 item 3): boot.json and boot.txt in ROOT/run/vfio-bind,
# written once by the boot pass; status reads them whatever happened to the kernel log since.

REC=run/vfio-bind
# py EXPR...: python3 asserts on $ROOT/out read as JSON (j)
py() {
	python3 - "$ROOT/out" "$@" <<-'PY' || fail "JSON: $*"
	import json, sys
	j = json.load(open(sys.argv[1]))
	for e in sys.argv[2:]:
	    assert eval(e), (e, j)
	PY
}
json_ok() { python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$ROOT/out" || fail "bad JSON: $(cat "$ROOT/out")"; }
record() { cp "$ROOT/$REC/boot.json" "$ROOT/out"; }
clear_log() { : > "$ROOT/dev/kmsg"; }

t_record_written_with_origins() {
	setup turing "vfio.bind=10de:1e87 vfio.bind=dead:beef"
	put etc/vfio-bind.conf "# GPU audio" "vfio.bind=10de:10f8"
	put etc/vfio-bind.conf.d/10-audio.conf "vfio.bind=!01:00.1"
	boot
	[ -f "$ROOT/$REC/boot.txt" ] || fail "no boot.txt"
	! ls "$ROOT/$REC" | grep -q tmp || fail "a temporary file is left: $(ls "$ROOT/$REC")"
	record
	py 'j["claimed"] == 1' 'j["unmatched"] == 1' 'j["bad_tokens"] == 0'
	py '[s["origin"] for s in j["selectors"]] == [
	    sys.argv[1].replace("/out", "/etc/vfio-bind.conf:2"),
	    sys.argv[1].replace("/out", "/etc/vfio-bind.conf.d/10-audio.conf:1"), None, None]'
	py 'j["selectors"][2]["devices"] == [{"address": "0000:01:00.0", "outcome": "claimed",
	    "was": None, "why": None}]'
	py 'j["selectors"][1]["kind"] == "exclude"'
	py '[(d["address"], d["outcome"]) for d in j["selectors"][1]["devices"]] == [
	    ("0000:01:00.1", "excluded")]'
	py 'j["log"][-1].startswith("vfio-bind: 1 claimed, 0 refused")'
	grep -qx "selector '10de:1e87' from the kernel command line: 0000:01:00.0 claimed" \
		"$ROOT/$REC/boot.txt" || fail "boot.txt: $(cat "$ROOT/$REC/boot.txt")"
	grep -qx "selector 'dead:beef' from the kernel command line: matched nothing" \
		"$ROOT/$REC/boot.txt" || fail "boot.txt: $(cat "$ROOT/$REC/boot.txt")"
	grep -q "^vfio-bind: warning: IOMMU group 1 of 0000:01:00.0 is not viable" \
		"$ROOT/$REC/boot.txt" || fail "boot.txt lacks the log"
}

# the ring buffer wrapped (dmesg -C): status still says what the boot did
t_status_reads_the_record() {
	setup turing "vfio.bind=01:00.0,10de:10f8@01:00.3"
	boot
	clear_log
	vb status
	expect_rc 1
	expect_out "At boot (/$REC/boot.txt):"
	expect_out "selector '01:00.0' from the kernel command line: 0000:01:00.0 claimed"
	expect_out "selector '10de:10f8@01:00.3' from the kernel command line: 0000:01:00.3 refused"
	expect_out "vfio-bind: 0000:01:00.3 10de:1ad9 refused: '10de:10f8@01:00.3' expects 10de:10f8"
	vb status --json
	json_ok
	py 'j["boot"]["claimed"] == 1' 'j["boot"]["refused"] == 1'
	py 'j["boot"]["selectors"][1]["devices"][0]["why"].startswith("\x2710de:10f8@01:00.3\x27 expects")'
	py 'j["groups"] == [{"group": 1, "viable": False, "blockers":
	    "0000:01:00.2 10de:1ad8 (xhci_hcd), 0000:01:00.1 10de:10f8 (no driver yet), 0000:01:00.3 10de:1ad9 (no driver yet)"}]'
	py 'j["selectors"][0]["origin"] is None' 'j["bad_selectors"] == []'
	# a record cut short or not vfio-bind's is left out, the output stays JSON
	printf '{"claimed":1,"selectors":[' > "$ROOT/$REC/boot.json"
	vb status --json
	json_ok
	py 'j["boot"] is None'
}

# before: "no vfio.bind= selectors on the kernel command line", the bad ones not named
t_status_names_bad_tokens() {
	setup pve-rtx "vfio.bind=zz:zz,10de:1c03:1 vfio.bind"
	vb status
	expect_rc 1
	expect_no_out "no vfio.bind= selectors"
	expect_out "bad selector 'zz:zz' (kernel command line): not a PCI ID"
	expect_out "bad selector '10de:1c03:1' (kernel command line):"
	expect_out "bad selector 'vfio.bind' (kernel command line): needs a value"
	put etc/vfio-bind.conf "vfio.bind=qq"
	vb status --json
	json_ok
	py '[b["selector"] for b in j["bad_selectors"]] == ["qq", "zz:zz", "10de:1c03:1", "vfio.bind"]'
	py 'j["bad_selectors"][0]["origin"].endswith("/etc/vfio-bind.conf:1")'
	py 'j["ok"] is False'
}

# before: a boot with only bad tokens logged them and no summary line (and kept no record)
t_summary_with_only_bad_tokens() {
	setup pve-rtx "vfio.bind=zz:zz"
	boot
	expect_log_prio 5 "0 claimed, 0 refused, 0 released to host, 0 kept without driver, 0 unmatched, 1 bad tokens in"
	record
	py 'j["bad_selectors"] == [{"selector": "zz:zz", "origin": None, "why":
	    "not a PCI ID (VVVV:DDDD[:SVVV:SDDD]) or address ([DDDD:]BB:SS.F)"}]'
	clear_log
	vb status
	expect_out "vfio-bind: bad selector 'zz:zz' in vfio.bind=: not a PCI ID"
	# nothing to do with vfio.bind=: nothing logged, nothing kept
	setup pve-rtx "quiet"
	boot
	[ ! -s "$ROOT/dev/kmsg" ] || fail "logged: $(klog)"
	[ ! -e "$ROOT/$REC/boot.json" ] || fail "a record without vfio.bind="
}

# before: "<4>selector '3b:02.1' matched nothing: no device at 0000:3b:02.1", 1 unmatched
t_sriov_vf_expected_later() {
	setup sriov "vfio.bind=3b:02.1,15b3:1018,dead:beef"
	boot
	expect_log_prio 6 "selector '3b:02.1' matched nothing yet: it names a VF of 0000:3b:00.0, expected after its VFs are created"
	expect_log_prio 6 "selector '15b3:1018' matched nothing yet: it names a VF of 0000:5e:00.0"
	expect_no_log "selector '3b:02.1' matched nothing:"
	expect_log_prio 4 "selector 'dead:beef' matched nothing: no device dead:beef"
	expect_log "0 claimed, 0 refused, 0 released to host, 0 kept without driver, 1 unmatched"
	record
	py 'j["held_pfs"] == ["0000:3b:00.0", "0000:5e:00.0"]' 'j["unmatched"] == 1'
	py '[s["expected_vfs_of"] for s in j["selectors"]] == ["0000:3b:00.0", "0000:5e:00.0", None]'
	# the hold off: the udev rule still claims them, they are still expected
	setup sriov "vfio.bind=3b:02.1 vfio_bind.sriov=0"
	boot
	expect_log_prio 6 "selector '3b:02.1' matched nothing yet"
	expect_log "0 unmatched"
	expect_not_held_pf 0000:3b:00.0
	# an address no PF's VFs can take is unmatched
	setup sriov "vfio.bind=3b:00.3"
	boot
	expect_log_prio 4 "selector '3b:00.3' matched nothing: no device at 0000:3b:00.3"
	expect_log "1 unmatched"
}
expect_not_held_pf() {
	[ "$(cat "$ROOT/sys/bus/pci/devices/$1/sriov_drivers_autoprobe")" = 1 ] || fail "$1 held"
}

t_status_json_held_pfs() {
	setup sriov "vfio.bind=3b:02.1"
	boot
	vb status --json
	json_ok
	py 'j["held_pfs"] == ["0000:3b:00.0"]' 'j["boot"]["held_pfs"] == ["0000:3b:00.0"]'
}

# a dry run keeps no record (it would hide the real boot's); hotplug keeps its own per device
t_dry_run_and_hotplug_leave_it() {
	setup two-nic "vfio.bind=00:04.0"
	vb --dry-run boot
	[ ! -e "$ROOT/$REC/boot.json" ] || fail "a dry run wrote the record"
	boot
	cp "$ROOT/$REC/boot.json" "$ROOT/before"
	put late.topo "dev 0000:07:00.0 020000 8086:10d3 8086:0000 driver=e1000e group=7"
	"$UNIT_DIR/mkfixture.sh" --add "$ROOT/late.topo" "$ROOT"
	cmdline "vfio.bind=00:04.0,07:00.0"
	vb hotplug 0000:07:00.0
	expect_driver 0000:07:00.0 vfio-pci
	cmp -s "$ROOT/before" "$ROOT/$REC/boot.json" || fail "hotplug changed the boot's record"
	[ -f "$ROOT/$REC/late/0000:07:00.0" ] || fail "no late record"
}
