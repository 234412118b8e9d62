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
