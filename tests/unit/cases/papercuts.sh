# The operator's loop, tried as a new user would (issue 17 item 4): check's advice names the
# real values and never sends the user to a command that refuses; add and check --next-boot
# warn about IOMMU groups; config and claim say what is true.

conf() { put etc/vfio-bind.conf "$@"; }
CONF() { echo "$ROOT/etc/vfio-bind.conf"; }

# a token configured for the next boot, not yet booted: a reboot is missing, not a token
t_check_configured_token_before_reboot() {
	setup gtx-hba "root=/dev/x quiet"
	put etc/kernel/cmdline "root=/dev/x quiet vfio.bind=43:00.0"
	vb check
	expect_out "[WARN] no vfio.bind= on the running kernel command line, but the configured one ($ROOT/etc/kernel/cmdline) has it: it applies from the next boot"
	expect_out "fix: reboot"
	expect_no_out "[FAIL] no vfio.bind="
	expect_no_out "vfio-bind add ADDR"
}

# a refused device and a selector that matches nothing: the advice names them
t_check_advice_names_the_values() {
	setup gtx-hba "root=/dev/x vfio.bind=10de:aaaa@43:00.0"
	conf "vfio.bind=10de:bbbb"
	vb check
	expect_rc 1
	expect_out "fix: 'vfio-bind suggest 43:00.0' prints the selector for what is there now"
	expect_out "fix: 'vfio-bind list' shows the devices; 'vfio-bind remove 10de:bbbb' takes it out of $(CONF)"
	expect_no_out "suggest ADDR"
	expect_no_out "'vfio-bind suggest' writes it"
}

# a bad token in the file: remove refuses bad tokens, so check must not offer it
t_check_bad_token_in_file_no_remove() {
	setup gtx-hba "root=/dev/x"
	conf "vfio.bind=42:00.0,zz"
	vb check
	expect_out "bad selector 'zz' in vfio.bind= ($(CONF):1)"
	expect_out "fix: correct or delete those lines in $(CONF)"
	expect_no_out "'vfio-bind remove SEL'"
	vb remove zz
	expect_rc 2
}

# four functions in one group, one of them on a built-in host driver
t_add_warns_about_the_group() {
	setup turing "root=/dev/x"
	vb --no-rebuild add 01:00.0
	expect_rc 0
	expect_out "warning: IOMMU group 1 of 0000:01:00.0 is not viable for a VM: "
	expect_out "0000:01:00.1 10de:10f8 (no driver yet)"
	expect_out "0000:01:00.2 10de:1ad8 (xhci_hcd)"
	vb --no-rebuild add 01:00
	expect_no_out "not viable"
}

t_check_next_boot_warns_about_the_group() {
	setup turing "root=/dev/x"
	put etc/kernel/cmdline "root=/dev/x vfio.bind=01:00.0"
	vb check --next-boot
	expect_rc 1
	expect_out "warning: IOMMU group 1 of 0000:01:00.0 is not viable for a VM: "
	expect_out "0000:01:00.2 10de:1ad8 (xhci_hcd)"
	put etc/kernel/cmdline "root=/dev/x vfio.bind=01:00.*"
	vb check --next-boot
	expect_no_out "not viable"
}

# suggest: add first (the README's main path), a GRUB drop-in that works without grub.d, and
# no claim that the RPM's initramfs already holds vfio-bind
t_suggest_names_add_and_the_rebuild() {
	fixture two-amd
	vb suggest 0b:00.0
	expect_rc 0
	expect_out "  vfio-bind add 1002:73bf@0b:00.0 1002:ab28@0b:00.1"
	expect_out "    mkdir -p /etc/default/grub.d"
	expect_out "the RPM has no scriptlet, so after"
	expect_out "installing the RPM run 'dracut -f --regenerate-all' once"
	expect_out "now without a driver"
	expect_no_out "(the package's installation made"
	expect_no_out "now on no driver"
	expect_no_writes
}

# config names CONFIG.d by its path; claiming a claimed device says so
t_config_and_claim_say_what_is_true() {
	setup gtx-hba "root=/dev/x"
	conf "vfio.bind=42:00.0"
	put etc/vfio-bind.conf.d/gpu.conf "vfio.bind=43:00.0"
	vb config
	expect_out "persistent claims ($(CONF) and $(CONF).d/*.conf): 2 selector(s)"
	expect_no_out "CONFIG.d"
	vb claim 42:00.0
	expect_rc 0
	vb claim 42:00.0
	expect_rc 0
	expect_out "0000:42:00.0 10de:1b06 is on vfio-pci already"
	expect_no_out "(was vfio-pci)"
}

# boot never fails, not even on an unknown option (man 8: always exits 0); other commands do
t_boot_unknown_option_exits_0() {
	setup gtx-hba "root=/dev/x vfio.bind=42:00.0"
	vb --bogus boot
	expect_rc 0
	expect_log "boot takes no such option ('--bogus'); ignored"
	expect_driver 0000:42:00.0 vfio-pci
	vb --bogus list
	expect_rc 2
}

# man 8's example of another command line previews what a boot with it would claim
t_man_cmdline_example_previews() {
	setup gtx-hba "root=/dev/x"
	echo "root=/dev/x vfio.bind=42:00.0" > "$ROOT/new-cmdline"
	ex=$(sed -n '/^\.SH EXAMPLES/,/^\.EE/p' "$TOP/man/vfio-bind.8" | sed 's/\\-/-/g' |
		grep -e '^vfio-bind.*--cmdline /tmp/new-cmdline' |
		sed 's|/tmp/new-cmdline|'"$ROOT"'/new-cmdline|; s/^vfio-bind //')
	[ -n "$ex" ] || fail "no --cmdline example in man 8"
	# shellcheck disable=SC2086
	vb $ex
	expect_rc 0
	expect_out "0000:42:00.0   10de:1b06 0300   -                claim    42:00.0"
	expect_no_writes
}

# complete WORDS...: what the bash completion offers for the last word, one a line, with the
# simulator standing in for vfio-bind on PATH
complete_words() {
	mkdir -p "$ROOT/bin"
	printf '#!/bin/sh\nexec "%s" --moddir "%s" "$@"\n' "$SIM" "$ROOT/lib/modules/sim" > "$ROOT/bin/vfio-bind"
	chmod +x "$ROOT/bin/vfio-bind"
	PATH=$ROOT/bin:$PATH bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_vfio_bind; printf "%s\n" "${COMPREPLY[@]}"' sh "$TOP/completion/vfio-bind.bash" "$@" |
		sort > "$ROOT/out"
}

t_bash_completion() {
	command -v bash >/dev/null || fail "no bash"
	setup gtx-hba "root=/dev/x"
	conf "vfio.bind=42:00.0,!43:00.1"
	complete_words vfio-bind c
	[ "$(tr '\n' ' ' < "$ROOT/out")" = "check claim config " ] || fail "commands: $(cat "$ROOT/out")"
	complete_words vfio-bind --root "$ROOT" claim 42
	[ "$(tr '\n' ' ' < "$ROOT/out")" = "42:00.0 42:00.1 " ] || fail "claim: $(cat "$ROOT/out")"
	complete_words vfio-bind --root "$ROOT" add 10de:1
	expect_out "10de:1b06"
	expect_out "10de:1c03"
	complete_words vfio-bind --root "$ROOT" add 43
	expect_out "43:00"
	complete_words vfio-bind --root "$ROOT" remove ""
	[ "$(tr '\n' ' ' < "$ROOT/out")" = "!43:00.1 42:00.0 " ] || fail "remove: $(cat "$ROOT/out")"
	complete_words vfio-bind check --n
	[ "$(cat "$ROOT/out")" = "--next-boot" ] || fail "check --n: $(cat "$ROOT/out")"
}

# COMMAND --help: that command's part of the help, from the man page like --help
t_command_help() {
	fixture gtx-hba
	vb --help
	full=$(cat "$ROOT/out")
	vb claim --help
	expect_rc 0
	expect_out "Usage: vfio-bind [OPTIONS] claim [--force] ADDR"
	expect_out "  Bind the device at ADDR to vfio-pci now"
	expect_no_out "release"
	expect_no_out "Options:"
	[ "$(wc -l < "$ROOT/out")" -lt 10 ] || fail "claim --help: $(cat "$ROOT/out")"
	vb --help add
	expect_out "Usage: vfio-bind [OPTIONS] add [--force] [--dry-run] [--no-rebuild] [--now] SEL..."
	expect_out "  Add selectors to the persistent file"
	expect_no_out "  remove"
	# every command of the full help has its part
	for c in $(printf '%s\n' "$full" | sed -n '/^Commands:/,/^$/s/^  \([a-z]*\).*/\1/p'); do
		vb "$c" --help
		expect_rc 0
		expect_out "Usage: vfio-bind [OPTIONS] $c"
	done
	vb nosuch --help
	expect_rc 2
}

# check --json and config --json: JSON on stdout (they printed text), bad tokens on stderr
t_check_and_config_json() {
	setup gtx-hba "root=/dev/x vfio.bind=42:00.0,zz"
	conf "vfio.bind=!43:00.1,10de:aaaa@05:00.0"
	vb check --json
	expect_rc 1
	python3 - "$ROOT/out" <<'PY' || fail "check --json: $(cat "$ROOT/out")"
import json, sys
c = json.load(open(sys.argv[1]))
assert c["ok"] is False
levels = {x["what"]: x["level"] for x in c["checks"]}
assert levels["the running kernel command line has 1 bad token(s) (named above); the valid ones apply"] == "fail", levels
assert any(x["level"] == "fail" and x["what"].startswith("0000:42:00.0 10de:1b06") and "claim 42:00.0" in x["fix"] for x in c["checks"])
assert all(x["fix"] is None for x in c["checks"] if x["level"] == "ok")
PY
	expect_err "bad selector 'zz' in vfio.bind="
	vb check --next-boot --json
	expect_rc 2
	vb config --json
	expect_rc 0
	python3 - "$ROOT/out" "$(CONF)" <<'PY' || fail "config --json: $(cat "$ROOT/out")"
import json, sys
c = json.load(open(sys.argv[1]))
assert c["file"] == sys.argv[2] and c["exists"] and c["bad_tokens"] == 0, c
s = {x["selector"]: x for x in c["selectors"]}
assert s["!43:00.1"]["exclusion"] and s["!43:00.1"]["devices"][0]["address"] == "0000:43:00.1", s
g = s["10de:aaaa@05:00.0"]["devices"][0]
assert g["refused_at_boot"] and g["id"] == "1000:0072" and g["driver"] == "mpt3sas", g
PY
	rm "$(CONF)"
	vb config --json
	expect_out '"exists":false'
	expect_out '"selectors":[]'
}

# list names each device from pci.ids when it is installed (pciutils', or hwdata's on RHEL)
t_list_names_from_pci_ids() {
	fixture gtx-hba
	vb list
	expect_out "0000:42:00.0   0300  10de:1b06 10de:120f -                40    -    VGA controller"
	expect_no_out "GeForce"
	mkdir -p "$ROOT/usr/share/hwdata"
	cp "$FIXTURES/pci.ids" "$ROOT/usr/share/hwdata/pci.ids"
	vb list
	expect_out "0000:42:00.0   0300  10de:1b06 10de:120f -                40    -    VGA controller: NVIDIA Corporation GP102 [GeForce GTX 1080 Ti]"
	expect_out "0000:06:00.0   0200  10ec:8168 1458:e000 r8169            12    -    Ethernet controller: Realtek Semiconductor Co., Ltd. RTL8111/8168/8211/8411 PCI Express Gigabit Ethernet Controller"
	# a device the database does not have keeps its class alone
	grep -qx "0000:43:00.1   0403  10de:10f1 1458:3740 -                41    -    Audio device" "$ROOT/out" ||
		fail "43:00.1 named: $(grep 43:00.1 "$ROOT/out")"
	vb list --json
	python3 - "$ROOT/out" <<'PY' || fail "list --json: $(cat "$ROOT/out")"
import json, sys
d = {x["address"]: x for x in json.load(open(sys.argv[1]))}
assert d["0000:01:00.0"]["name"] == "Samsung Electronics Co Ltd NVMe SSD Controller SM981/PM981/PM983", d
assert d["0000:43:00.1"]["name"] is None
PY
	# redirected: $VFIO_BIND_PCI_IDS wins
	rm "$ROOT/usr/share/hwdata/pci.ids"
	printf '10de  Someone\n\t1b06  Something\n' > "$ROOT/other.ids"
	VFIO_BIND_PCI_IDS=$ROOT/other.ids vb list
	expect_out "VGA controller: Someone Something"
}
