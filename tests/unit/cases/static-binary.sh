# The product binary itself: static, small, and the same program (real kernel ops, so only
# dry runs and read-only commands here).

t_static_and_small() {
	bin=$B/vfio-bind
	file "$bin" | grep -q "statically linked" || fail "not static: $(file "$bin")"
	size=$(stat -c %s "$bin")
	echo "    size: $size bytes" >&2
	# The budget: 256 KiB with user-space decompression (the static libkmod carries
	# liblzma, libzstd and zlib, about 50 KiB, so that .ko.xz, .ko.zst and .ko.gz load on
	# kernels that cannot decompress modules themselves). The file grows in whole pages
	# (HACKING.md, "Size", lists what keeps it small: LTO, src/static/ in place of musl's larger
	# functions, --help compressed). Issue 18 asks for 224 KiB (229,376) once issue 17 is in;
	# with it the file is 255,768 bytes: the 224 KiB target is open, not met (HACKING.md).
	[ "$size" -le 262144 ] || fail "binary is $size bytes, over 256 KiB (262,144)"
	"$bin" --version | grep -q '^vfio-bind ' || fail "--version"
}

t_static_help_is_the_man_pages() {
	# the static binary carries --help gzip-compressed and inflates it (src/help.c)
	want=${TMPDIR:-/tmp}/vfio-bind-help.$$
	awk -v mode=text -f "$TOP/man/gen-help.awk" "$TOP/man/vfio-bind.8" > "$want"
	if ! "$B/vfio-bind" --help | cmp -s - "$want"; then
		got=$("$B/vfio-bind" --help 2>&1 | head -n 3); rm -f "$want"
		fail "--help is not the man page's text: $got"
	fi
	rm -f "$want"
}

t_static_dry_run_on_fixture() {
	fixture two-amd
	cmdline "vfio.bind=1002:73bf,1002:ab28,!03:00.*"
	"$B/vfio-bind" --root "$ROOT" --dry-run boot > "$ROOT/out"
	grep -q "0000:0b:00.0 .*claim" "$ROOT/out" || fail "plan: $(cat "$ROOT/out")"
	grep -q "0000:0b:00.1 .*claim" "$ROOT/out" || fail "plan: $(cat "$ROOT/out")"
	! grep -q "0000:03:00" "$ROOT/out" || fail "plan names 03:00"
	[ "$(cat "$ROOT/sys/devices/pci0000:00/0000:0b:00.0/driver_override")" = "(null)" ] || fail "wrote"
	"$B/vfio-bind" --root "$ROOT" list | grep -q "0000:0b:00.0" || fail "list"
}

t_static_never_loads_modules_for_a_test_tree() {
	# the real kernel ops on a fake root: plain file writes, and no module reaches the kernel
	fixture pve-rtx
	cmdline "vfio.bind=01:00.0"
	mkdir -p "$ROOT/lib/modules/$(uname -r)"
	"$B/vfio-bind" --root "$ROOT" boot
	grep -q "vfio-pci not loaded: sysfs is a test tree" "$ROOT/dev/kmsg" || fail "$(cat "$ROOT/dev/kmsg")"
	grep -q "released to host" "$ROOT/dev/kmsg" || fail "$(cat "$ROOT/dev/kmsg")"
}

t_static_reads_the_systems_modprobe_d() {
	# the static libkmod reads what the system's kmod reads, and carries no build path
	bin=$B/vfio-bind
	strings "$bin" > "${TMPDIR:-/tmp}/vfio-bind-strings.$$"
	s=${TMPDIR:-/tmp}/vfio-bind-strings.$$
	for d in /etc/modprobe.d /run/modprobe.d /usr/local/lib/modprobe.d /usr/lib/modprobe.d; do
		grep -qx -- "$d" "$s" || { rm -f "$s"; fail "no '$d' in the binary"; }
	done
	# /lib/modprobe.d is the tail of /usr/lib/modprobe.d (the linker shares it)
	if grep -F -e "$TOP" -e "$B" -e "kmod-src" -e "/build/" "$s" > "$s.bad"; then
		bad=$(head -n 3 "$s.bad"); rm -f "$s" "$s.bad"
		fail "build paths in the binary: $bad"
	fi
	rm -f "$s" "$s.bad"
}
