# make install and make uninstall (issue 17 item 4): what the image gets with another PREFIX,
# the bash completion, and an uninstall that removes exactly what install put.

# with PREFIX=/usr/local the image's udev rule runs the image's /usr/sbin/vfio-bind: the
# initramfs-tools hook run on the staged files, hook-functions stubbed
t_image_rule_runs_the_image_binary() {
	install_to /usr/local
	grep -q 'RUN+="/usr/local/sbin/vfio-bind hotplug' "$STAGE/usr/lib/udev/rules.d/70-vfio-bind.rules" ||
		fail "the system's rule does not run /usr/local/sbin/vfio-bind"
	printf '%s\n' 'copy_exec() { :; }' 'manual_add_modules() { :; }' 'copy_file() { :; }' > "$STAGE/hook-functions"
	sed -e "s|^\. /usr/share/initramfs-tools/hook-functions|. $STAGE/hook-functions|" \
	    -e "s|\[ ! -x \"\$VFIO_BIND\" \]|[ ! -x \"$STAGE\$VFIO_BIND\" ]|" \
	    -e "s|for rules in /etc/udev|for rules in $STAGE/etc/udev|" \
	    -e "s| /usr/lib/udev/rules.d/70| $STAGE/usr/lib/udev/rules.d/70|" \
	    "$STAGE/usr/share/initramfs-tools/hooks/vfio-bind" > "$STAGE/hook"
	mkdir -p "$STAGE/image"
	DESTDIR=$STAGE/image sh "$STAGE/hook" > "$STAGE/hook.out" 2>&1 ||
		fail "the hook failed: $(cat "$STAGE/hook.out")"
	rule=$STAGE/image/lib/udev/rules.d/70-vfio-bind.rules
	[ -f "$rule" ] || fail "no rule in the image: $(cat "$STAGE/hook.out")"
	grep -q 'RUN+="/usr/sbin/vfio-bind hotplug $kernel"' "$rule" ||
		fail "the image's rule: $(grep RUN "$rule")"
}

# install puts the bash completion where bash-completion looks under PREFIX; uninstall removes
# exactly what install put, whatever DESTDIR and PREFIX, and leaves other files alone
t_uninstall_removes_what_install_put() {
	for prefix in /usr /usr/local; do
		install_to $prefix
		[ -f "$STAGE$prefix/share/bash-completion/completions/vfio-bind" ] ||
			fail "no bash completion under $prefix"
		mkdir -p "$STAGE/usr/lib/udev/rules.d" "$STAGE$prefix/sbin"
		: > "$STAGE/usr/lib/udev/rules.d/60-other.rules"
		: > "$STAGE$prefix/sbin/other"
		(cd "$STAGE" && find . ! -type d | sort) > "$STAGE.installed"
		make -s -C "$TOP" uninstall DESTDIR="$STAGE" PREFIX=$prefix > "$STAGE.log" 2>&1 ||
			fail "make uninstall PREFIX=$prefix failed: $(cat "$STAGE.log")"
		left=$(cd "$STAGE" && find . ! -type d | sort)
		[ "$left" = "$(printf './usr/lib/udev/rules.d/60-other.rules\n.%s/sbin/other' "$prefix")" ] ||
			fail "after uninstall (PREFIX=$prefix): $left"
		! [ -d "$STAGE/usr/lib/dracut/modules.d/59vfio-bind" ] || fail "59vfio-bind/ left"
		! [ -d "$STAGE$prefix/share/doc/vfio-bind" ] || fail "share/doc/vfio-bind/ left"
		rm -rf "$STAGE" "$STAGE.installed" "$STAGE.log"
	done
}
