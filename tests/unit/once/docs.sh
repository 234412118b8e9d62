# Checks run once (not per simulator build): the docs, the install layout and the scripts say
# and do the same thing (issue 9, items 8, 13, 14, 16, 17). $TOP is the source tree.

# 8. with PREFIX=/usr/local the hooks take the binary from there and put it where the boot
# scripts run it (the booted proof: scenarios.d/90-hardening.sh, prefix-usr-local)
t_install_prefix_usr_local() {
	install_to /usr/local
	[ -x "$STAGE/usr/local/sbin/vfio-bind" ] || fail "no /usr/local/sbin/vfio-bind"
	hook=$STAGE/usr/share/initramfs-tools/hooks/vfio-bind
	grep -qx 'VFIO_BIND=/usr/local/sbin/vfio-bind' "$hook" || fail "the hook does not take /usr/local/sbin/vfio-bind"
	grep -q 'copy_exec "$VFIO_BIND" /usr/sbin/vfio-bind' "$hook" || fail "the hook does not copy it to /usr/sbin/vfio-bind"
	ms=$STAGE/usr/lib/dracut/modules.d/59vfio-bind/module-setup.sh
	grep -qx 'VFIO_BIND=/usr/local/sbin/vfio-bind' "$ms" || fail "the dracut module does not take /usr/local/sbin/vfio-bind"
	grep -q 'inst_binary "$VFIO_BIND" /usr/sbin/vfio-bind' "$ms" || fail "the dracut module does not put it at /usr/sbin/vfio-bind"
	for s in "$STAGE"/usr/share/initramfs-tools/scripts/init-top/00-vfio-bind \
		"$STAGE"/usr/lib/dracut/modules.d/59vfio-bind/vfio-bind.sh; do
		runs=$(grep -o '/[a-z/]*sbin/vfio-bind' "$s" | sort -u)
		[ "$runs" = /usr/sbin/vfio-bind ] || fail "${s##*/} runs '$runs', not the image's /usr/sbin/vfio-bind"
	done
}

# 14. the examples the README and vfio-bind(7) point to are installed
t_install_examples() {
	install_to /usr
	for f in "$TOP"/kernel-cmdline/examples/*; do
		[ -f "$STAGE/usr/share/doc/vfio-bind/examples/${f##*/}" ] ||
			fail "examples/${f##*/} not installed"
	done
	grep -q '/usr/share/doc/vfio-bind/examples/' "$TOP/README.md" || fail "README no longer names them"
}

# 13. one piece of advice on rebuilding the initramfs: never after a command-line change
t_rebuild_advice_one_truth() {
	fixture turing
	vb suggest 01:00.0
	expect_rc 0
	expect_out "no initramfs rebuild"
	# but once after installing the RPM, which has no scriptlet (issue 17)
	! grep 'update-initramfs\|dracut -f' "$ROOT/out" | grep -qv 'installing the RPM' ||
		fail "suggest says to rebuild: $(grep 'update-initramfs\|dracut -f' "$ROOT/out")"
	for doc in README.md man/vfio-bind.8 kernel-cmdline/README.md; do
		grep -q 'needs no initramfs rebuild' "$TOP/$doc" || fail "$doc does not say it"
	done
	# the persistent file lives in the image (issue 8): rebuilding is right for it, and only for it
	! grep -n 'rebuild the initramfs' "$TOP/README.md" | grep -v 'vfio-bind\.conf' ||
		fail "README: $(grep -n 'rebuild the initramfs' "$TOP/README.md" | grep -v 'vfio-bind\.conf')"
}

# 16. make bench's summary works with Debian's awk (mawk), and bench installs its dependencies
t_bench_summary_under_mawk() {
	command -v mawk > /dev/null || fail "mawk is not installed (Debian's default awk)"
	ROOT=$(mktemp -d)
	printf '64 0.3 60 0.4 300 0 150 0.2 0.3 200 280 90\n1024 2 60 2.5 310 0 800 1.8 2.2 3100 3180 90\n' > "$ROOT/results"
	prog=$TOP/tests/bench/summary.awk
	if [ ! -f "$prog" ]; then	# 0.1.0 had it inline in run.sh
		sed -n "/^awk '\$/,/^}' \"\\\$results\"/p" "$TOP/tests/bench/run.sh" |
			sed '1d; $s/.*/}/' > "$ROOT/prog.awk"
		prog=$ROOT/prog.awk
	fi
	mawk -f "$prog" "$ROOT/results" > "$ROOT/out" 2> "$ROOT/err" || fail "mawk: $(cat "$ROOT/err")"
	expect_out "sh/pass >= 300x          worst 320x   met"
	expect_out "pass/floor <= 1.6x below 1024 functions, <= 1.3x from 1024:  worst 1.25x at 1024   met"
	expect_out "peak RSS < 512 KiB       max 310 KiB   met"
	expect_out "hotplug, no selector wants it: the same syscalls at every size   90 to 90   met"
	expect_out "     1024           3180            3100         3.11          3.03        1.03                90"
	# a size over its target is named
	printf '64 0.3 60 0.5 300 0 150 0.2 0.3 200 280 90\n1024 2 60 2.5 310 0 800 1.8 2.2 3100 3180 91\n' > "$ROOT/results"
	mawk -f "$prog" "$ROOT/results" > "$ROOT/out" 2> "$ROOT/err" || fail "mawk: $(cat "$ROOT/err")"
	expect_out "worst 1.67x at 64   missed at 64 (1.67x > 1.6x)"
	expect_out "90 to 91   missed"
	grep -q '^bench: deps ' "$TOP/Makefile" || fail "make bench does not install its dependencies"
}

# 17. every *.md a source, test or fixture names is in this repository
t_no_references_to_missing_docs() {
	cd "$TOP"
	missing=$(git ls-files | grep -v '\.md$' | xargs grep -ho '[A-Za-z0-9_-]\+\.md\b' 2>/dev/null |
		sort -u | while read -r m; do
			git ls-files | grep -q "\(^\|/\)$m\$" || echo "$m"
		done)
	[ -z "$missing" ] || fail "named but not in the repository: $missing"
}
