# The boot loader's configured command line and the initramfs's copy of the persistent file,
# read as their owners read them (issue 16, items 2-4): GRUB's shell files without running
# them, BLS entries by the specification with grubenv, the image's cpio archives.

# grub FILE LINE...: a file of /etc/default (grub, grub.d/NAME.cfg) with those lines
grub() { f=$1; shift; put "etc/default/$f" "$@"; }

# Commands in /etc/default/grub are never run: not a command substitution, not a command with
# a redirection, not sleep. check names the line and says the result is uncertain.
t_grub_hostile_file_runs_nothing() {
	setup gtx-hba "root=/dev/x vfio.bind=43:00.0"
	grub grub "GRUB_CMDLINE_LINUX=\"\$(touch $ROOT/CANARY1) vfio.bind=43:00.0\"" \
		"GRUB_CMDLINE_LINUX_DEFAULT=\`touch $ROOT/CANARY2\`" \
		"id > $ROOT/PWNED" \
		"sleep 30"
	vb check
	[ ! -e "$ROOT/CANARY1" ] && [ ! -e "$ROOT/CANARY2" ] && [ ! -e "$ROOT/PWNED" ] ||
		fail "a command of /etc/default/grub ran: $(ls "$ROOT")"
	expect_out "[WARN] the configured command line ($ROOT/etc/default/grub (and grub.d/*.cfg)) is uncertain: $ROOT/etc/default/grub:3: 'id' is a command: not run"
	expect_no_out "selects what the running one does"
	# the value alone built from a command substitution: that is the line named
	grub grub "GRUB_CMDLINE_LINUX=\"\$(touch $ROOT/CANARY1) vfio.bind=43:00.0\""
	vb check
	[ ! -e "$ROOT/CANARY1" ] || fail "the command substitution ran"
	expect_out "is uncertain: $ROOT/etc/default/grub:1: command substitution \$(...) (not run)"
	# bash's += is not sh: grub-mkconfig (dash) stops at it
	grub grub 'GRUB_CMDLINE_LINUX="quiet"' 'GRUB_CMDLINE_LINUX+=" vfio.bind=43:00.0"'
	vb check
	expect_out "is uncertain: $ROOT/etc/default/grub:2: 'GRUB_CMDLINE_LINUX+=': not sh"
	# check --next-boot counts it as a problem and takes nothing from it
	vb check --next-boot
	expect_rc 1
	expect_out "kernel command line from $ROOT/etc/default/grub (and grub.d/*.cfg): uncertain ($ROOT/etc/default/grub:2: 'GRUB_CMDLINE_LINUX+=': not sh"
	expect_out "Nothing will be claimed"
	expect_no_writes
}

# Every way a shell file can run something or wait, in /etc/default/grub and grub.d/*.cfg:
# check runs none of them and is done at once (each one that ran would take 30 s or leave a
# file). The value GRUB_CMDLINE_LINUX keeps is said to be uncertain. Everything in the file
# ends by itself (nothing writes without end, nothing loops for ever), and a check that ran it
# is stopped after 20 s.
t_grub_hostile_file_finishes_at_once() {
	setup gtx-hba "root=/dev/x vfio.bind=43:00.0"
	put evil.sh "touch $ROOT/C-sourced" "sleep 30"
	grub grub "GRUB_CMDLINE_LINUX=\"vfio.bind=43:00.0 \$(sleep 30; touch $ROOT/C-subst)\"" \
		"GRUB_CMDLINE_LINUX_DEFAULT=\"\`sleep 30; touch $ROOT/C-backq\`\"" \
		"X=\${GRUB_X:=\$(sleep 30; touch $ROOT/C-default)}" \
		"sleep 30" "sleep 30 &" "eval 'sleep 30; touch $ROOT/C-eval'" \
		". $ROOT/evil.sh" "source $ROOT/evil.sh" "exec 3> $ROOT/C-exec" \
		": > $ROOT/C-redir" "cat < /dev/null > $ROOT/C-cat" "read -r line < $ROOT/evil.sh" \
		"trap 'touch $ROOT/C-trap' EXIT" "while ! sleep 30; do :; done" \
		"\$(sleep 30; touch $ROOT/C-cmd)" "{ sleep 30; } | touch $ROOT/C-pipe" \
		"(sleep 30; touch $ROOT/C-subshell)" "GRUB_CMDLINE_LINUX=x sleep 30"
	grub grub.d/50-evil.cfg "sleep 30; touch $ROOT/C-grub.d" \
		"GRUB_CMDLINE_LINUX=\"\$GRUB_CMDLINE_LINUX \$(touch $ROOT/C-grub.d-subst)\""
	t0=$(date +%s)
	set +e
	timeout 20 "$SIM" --root "$ROOT" --moddir "$ROOT/lib/modules/sim" check > "$ROOT/out" \
		2> "$ROOT/err"
	RC=$?
	set -e
	t1=$(date +%s)
	[ $((t1 - t0)) -lt 15 ] || fail "check took $((t1 - t0)) s (exit $RC)"
	ls "$ROOT" | grep -q '^C-' && fail "a command of /etc/default/grub ran: $(ls "$ROOT")"
	expect_out "[WARN] the configured command line ($ROOT/etc/default/grub (and grub.d/*.cfg)) is uncertain: $ROOT/etc/default/grub:"
	expect_no_out "selects what the running one does"
	expect_no_writes
}

# grub-mkconfig sources /etc/default/grub, then grub.d/*.cfg in C-locale order (upper case
# before lower case), no dot files, nothing but *.cfg; GRUB_CMDLINE_LINUX, a space,
# GRUB_CMDLINE_LINUX_DEFAULT. A command substitution in a variable the command line does not
# use (Debian's stock GRUB_DISTRIBUTOR=`lsb_release ...`) runs nothing and costs no certainty.
t_grub_d_override_order() {
	setup gtx-hba "root=/dev/x vfio.bind=43:00.0,05:00.0 quiet"
	grub grub "GRUB_DISTRIBUTOR=\`touch $ROOT/CANARY; lsb_release -i -s 2> /dev/null || echo Debian\`" \
		'GRUB_CMDLINE_LINUX_DEFAULT="quiet"' 'GRUB_CMDLINE_LINUX="vfio.bind=42:00.0"'
	grub grub.d/10-first.cfg 'GRUB_CMDLINE_LINUX=""'
	grub grub.d/Z.cfg 'GRUB_CMDLINE_LINUX="$GRUB_CMDLINE_LINUX vfio.bind=42:00.0"'
	grub grub.d/a.cfg "GRUB_CMDLINE_LINUX='vfio.bind=43:00.0'"
	grub grub.d/b.cfg 'export GRUB_CMDLINE_LINUX="${GRUB_CMDLINE_LINUX},05:00.0"'
	grub grub.d/.hidden.cfg 'GRUB_CMDLINE_LINUX=hidden'
	grub grub.d/c.cfg.bak 'GRUB_CMDLINE_LINUX=backup'
	vb check
	[ ! -e "$ROOT/CANARY" ] || fail "GRUB_DISTRIBUTOR's command substitution ran"
	expect_out "[ OK ] the configured command line ($ROOT/etc/default/grub (and grub.d/*.cfg)) selects what the running one does: addr 0000:43:00.0, addr 0000:05:00.0"
	# the other way round: z.cfg after a.cfg adds 42:00.0
	mv "$ROOT/etc/default/grub.d/Z.cfg" "$ROOT/etc/default/grub.d/z.cfg"
	vb check
	expect_out "[WARN] the next boot differs from this one: its command line ($ROOT/etc/default/grub (and grub.d/*.cfg)) selects addr 0000:43:00.0, addr 0000:05:00.0, addr 0000:42:00.0"
	expect_no_writes
}

# grubenv NAME=VALUE...: /boot/grub2/grubenv as grub2-editenv writes it (header, lines, '#'
# padding to 1024 bytes)
grubenv() {
	mkdir -p "$ROOT/boot/grub2"
	{ echo '# GRUB Environment Block'; for kv in "$@"; do printf '%s\n' "$kv"; done; } > "$ROOT/ge"
	{ cat "$ROOT/ge"; head -c $((1024 - $(wc -c < "$ROOT/ge"))) /dev/zero | tr '\0' '#'; } > "$ROOT/boot/grub2/grubenv"
	rm -f "$ROOT/ge"
}

# The specification: every options line counts, in order, joined by a space.
t_bls_every_options_line() {
	setup gtx-hba "root=/dev/x ro vfio.bind=43:00.0 quiet"
	put "boot/loader/entries/abc-$(uname -r).conf" "title Linux $(uname -r)" "version $(uname -r)" \
		"linux /vmlinuz-$(uname -r)" "options root=/dev/x ro" "# options vfio.bind=05:00.0" \
		"	options	  vfio.bind=43:00.0  " "options quiet"
	vb check
	expect_out "[ OK ] the configured command line ($ROOT/boot/loader/entries/abc-$(uname -r).conf) selects what the running one does: addr 0000:43:00.0"
	expect_no_writes
}

# RHEL 8: "options $kernelopts" from grubenv; the entry grubenv's saved_entry names is the one
# GRUB boots next. A variable grubenv lacks leaves the line uncertain.
t_bls_rhel8_kernelopts_from_grubenv() {
	setup gtx-hba "root=/dev/x ro vfio.bind=43:00.0"
	put "boot/loader/entries/abc-$(uname -r).conf" "title Linux $(uname -r)" \
		"linux /vmlinuz-$(uname -r)" 'options $kernelopts $tuned_params' 'grub_users $grub_users'
	grubenv saved_entry=abc-0.0.1 'kernelopts=root=/dev/x ro vfio.bind=43:00.0 ' 'tuned_params='
	vb check
	expect_out "[ OK ] the configured command line ($ROOT/boot/loader/entries/abc-$(uname -r).conf) selects what the running one does: addr 0000:43:00.0"
	# saved_entry names another entry: that one boots next
	put boot/loader/entries/abc-0.0.1.conf "title Linux 0.0.1" "linux /vmlinuz-0.0.1" \
		'options ${kernelopts} vfio.bind=42:00.0'
	vb check
	expect_out "[WARN] the next boot differs from this one: its command line ($ROOT/boot/loader/entries/abc-0.0.1.conf) selects addr 0000:43:00.0, addr 0000:42:00.0"
	vb check --next-boot
	expect_out "kernel command line from $ROOT/boot/loader/entries/abc-0.0.1.conf"
	expect_out "2 device(s) would be claimed"
	# no kernelopts in grubenv (grub.cfg may set one): uncertain, not "claims nothing"
	grubenv saved_entry=abc-0.0.1 'tuned_params='
	vb check
	expect_out "[WARN] the configured command line ($ROOT/boot/loader/entries/abc-0.0.1.conf) is uncertain: its options name \$kernelopts, which $ROOT/boot/grub2/grubenv does not set"
	expect_no_writes
}

CONF() { echo "$ROOT/etc/vfio-bind.conf"; }

# mkimage DIR COMPRESSOR: the running kernel's initrd.img as mkinitramfs lays it out: an
# uncompressed early archive (microcode) followed by DIR's archive compressed (gzip, zstd ...)
mkimage() {
	mkdir -p "$ROOT/early/kernel/x86/microcode" "$ROOT/boot"
	printf 'microcode' > "$ROOT/early/kernel/x86/microcode/GenuineIntel.bin"
	img=$ROOT/boot/initrd.img-$(uname -r)
	(cd "$ROOT/early" && find . | LC_ALL=C sort | cpio --quiet -R 0:0 -o -H newc) > "$img"
	(cd "$1" && find . | LC_ALL=C sort | cpio --quiet -R 0:0 -o -H newc) | $2 -c >> "$img"
}

# only the decompressors on PATH: no lsinitramfs, no lsinitrd
decompressors_only() {
	mkdir -p "$ROOT/tools"
	for t in gzip zstd xz; do
		p=$(command -v $t) && ln -sf "$p" "$ROOT/tools/$t"
	done
}

# A Debian root: the image read from its archives (no lsinitramfs, no lsinitrd), the file and
# every conf.d file compared: current, stale, missing, left over.
t_debian_image_current_and_stale_confd() {
	command -v cpio >/dev/null && command -v gzip >/dev/null && command -v zstd >/dev/null ||
		fail "cpio, gzip and zstd are needed (scripts/deps/build.list)"
	setup gtx-hba "root=/dev/x"
	decompressors_only
	# whole slots: a group left half on the host is a problem of the next boot too
	vb --no-rebuild add 42:00
	put etc/vfio-bind.conf.d/20-more.conf "vfio.bind=43:00.0,43:00.1"
	mkdir -p "$ROOT/img/etc/vfio-bind.conf.d" "$ROOT/img/usr/sbin"
	: > "$ROOT/img/usr/sbin/vfio-bind"
	cp "$(CONF)" "$ROOT/img/etc/"
	cp "$ROOT/etc/vfio-bind.conf.d/20-more.conf" "$ROOT/img/etc/vfio-bind.conf.d/"
	for z in zstd gzip; do
		mkimage "$ROOT/img" $z
		PATH=$ROOT/tools vb check
		expect_out "[ OK ] the initramfs $img holds the current $(CONF)"
		expect_out "[ OK ] the initramfs $img holds the current $ROOT/etc/vfio-bind.conf.d/20-more.conf"
		expect_no_out "cannot read the initramfs"
		PATH=$ROOT/tools vb check --next-boot
		expect_rc 0
		expect_out "4 device(s) would be claimed; 0 problem(s) above."
	done
	# a stale conf.d file, one the system no longer has, one missing from the image
	echo "vfio.bind=05:00.0" > "$ROOT/img/etc/vfio-bind.conf.d/20-more.conf"
	echo "vfio.bind=05:00.0" > "$ROOT/img/etc/vfio-bind.conf.d/30-old.conf"
	put etc/vfio-bind.conf.d/40-new.conf "vfio.bind=43:00.1"
	mkimage "$ROOT/img" zstd
	PATH=$ROOT/tools vb check
	expect_out "[ OK ] the initramfs $img holds the current $(CONF)"
	expect_out "[WARN] the initramfs $img holds another version of $ROOT/etc/vfio-bind.conf.d/20-more.conf (stale): the next boot uses the old one"
	expect_out "[WARN] the initramfs $img still holds etc/vfio-bind.conf.d/30-old.conf, which $ROOT/etc/vfio-bind.conf.d/30-old.conf no longer is"
	expect_out "[WARN] the initramfs $img has no copy of $ROOT/etc/vfio-bind.conf.d/40-new.conf"
	expect_out "fix: update-initramfs -u"
	PATH=$ROOT/tools vb check --next-boot
	expect_rc 1
	# no decompressor: said, not guessed
	rm "$ROOT/tools/zstd"
	PATH=$ROOT/tools vb check
	expect_out "[SKIP] cannot read the initramfs $img: its main archive is zstd-compressed, and there is no zstd"
	expect_no_writes
}

# A real Debian image: Debian's own mkinitramfs builds it (in a private mount namespace: a tmpfs
# /boot with a kernel config, no modules), a hook copying the fake root's file and conf.d into
# it and prepending an early archive as the microcode hooks do. lsinitramfs lists both archives;
# unmkinitramfs's copies are what check compares: current, and after the system's conf.d file
# changes, stale.
t_debian_mkinitramfs_image_current_and_stale() {
	for t in mkinitramfs lsinitramfs unmkinitramfs unshare cpio zstd; do
		command -v $t >/dev/null || fail "$t is needed (scripts/deps/qemu.list)"
	done
	setup gtx-hba "root=/dev/x"
	# whole slots: a group left half on the host is a problem of the next boot too
	vb --no-rebuild add 42:00
	put etc/vfio-bind.conf.d/20-more.conf "vfio.bind=43:00.0,43:00.1"
	c=$ROOT/itools
	mkdir -p "$c/hooks" "$c/scripts" "$ROOT/boot"
	printf '%s\n' MODULES=list BUSYBOX=n KEYMAP=n COMPRESS=zstd > "$c/initramfs.conf"
	: > "$c/modules"
	cat > "$c/hooks/vfiotest" <<-EOF
	#!/bin/sh
	[ "\$1" = prereqs ] && exit 0
	. /usr/share/initramfs-tools/hook-functions
	mkdir -p "\$DESTDIR/etc/vfio-bind.conf.d" "$ROOT/early/kernel/x86/microcode"
	cp "$(CONF)" "\$DESTDIR/etc/"
	cp "$ROOT/etc/vfio-bind.conf.d/20-more.conf" "\$DESTDIR/etc/vfio-bind.conf.d/"
	printf microcode > "$ROOT/early/kernel/x86/microcode/GenuineIntel.bin"
	(cd "$ROOT/early" && find . | LC_ALL=C sort | cpio --quiet -R 0:0 -o -H newc) > "$ROOT/early.cpio"
	prepend_earlyinitramfs "$ROOT/early.cpio"
	EOF
	chmod +x "$c/hooks/vfiotest"
	img=$ROOT/boot/initrd.img-$(uname -r)
	unshare -m --propagation private sh -c 'mount -t tmpfs none /boot &&
		printf "CONFIG_BLK_DEV_INITRD=y\nCONFIG_RD_ZSTD=y\n" > /boot/config-0.0.0-vfiotest &&
		mkinitramfs -d "$1" -o "$2" 0.0.0-vfiotest' sh "$c" "$img" > "$ROOT/mki.log" 2>&1 ||
		fail "mkinitramfs: $(tail -n 5 "$ROOT/mki.log")"
	lsinitramfs "$img" > "$ROOT/ls"
	for f in kernel/x86/microcode/GenuineIntel.bin etc/vfio-bind.conf \
		etc/vfio-bind.conf.d/20-more.conf init; do
		grep -qx "$f" "$ROOT/ls" || fail "lsinitramfs does not list $f in $img"
	done
	unmkinitramfs "$img" "$ROOT/un"
	[ -d "$ROOT/un/early" ] || fail "no early archive in $img: $(ls "$ROOT/un")"
	cmp -s "$ROOT/un/main/etc/vfio-bind.conf" "$(CONF)" &&
		cmp -s "$ROOT/un/main/etc/vfio-bind.conf.d/20-more.conf" \
		"$ROOT/etc/vfio-bind.conf.d/20-more.conf" || fail "unmkinitramfs: other copies"
	vb check
	expect_out "[ OK ] the initramfs $img holds the current $(CONF)"
	expect_out "[ OK ] the initramfs $img holds the current $ROOT/etc/vfio-bind.conf.d/20-more.conf"
	vb check --next-boot
	expect_rc 0
	expect_out "4 device(s) would be claimed; 0 problem(s) above."
	# the system's conf.d file changes after the image was built: the image's copy is stale
	put etc/vfio-bind.conf.d/20-more.conf "vfio.bind=05:00.0"
	! cmp -s "$ROOT/un/main/etc/vfio-bind.conf.d/20-more.conf" \
		"$ROOT/etc/vfio-bind.conf.d/20-more.conf" || fail "the copies still agree"
	vb check
	expect_out "[ OK ] the initramfs $img holds the current $(CONF)"
	expect_out "[WARN] the initramfs $img holds another version of $ROOT/etc/vfio-bind.conf.d/20-more.conf (stale): the next boot uses the old one"
	expect_out "fix: update-initramfs -u"
	vb check --next-boot
	expect_rc 1
	expect_no_writes
}
