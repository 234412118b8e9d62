# What a reader copies from the README and the man page works as shown (issue 17 item 4).

# every GRUB drop-in written to /etc/default/grub.d makes the directory first: it does not
# always exist (the README's blocks, the examples' comments)
t_grub_dropin_makes_its_directory() {
	for f in "$TOP/README.md" "$TOP"/kernel-cmdline/examples/*; do
		awk '/mkdir -p \/etc\/default\/grub.d/ { made = 1 }
		     /^```/ { made = 0 }
		     /> \/etc\/default\/grub.d\// && !made { print FILENAME ":" FNR ": " $0; bad = 1 }
		     END { exit bad }' "$f" || fail "a drop-in written without mkdir -p"
	done
}

# the RHEL build line installs what make dist and rpmbuild need: git, rpm-build and every
# BuildRequires of the spec
t_rhel_build_line_names_its_tools() {
	line=$(grep 'rpmbuild -tb' "$TOP/README.md" | grep 'dnf install') ||
		fail "no rpmbuild line with its dnf install in README.md"
	for p in git rpm-build $(sed -n 's/^BuildRequires:[ 	]*//p' "$TOP/rpm/vfio-bind.spec"); do
		printf '%s\n' "$line" | grep -qw -- "$p" || fail "the RHEL build line lacks $p: $line"
	done
}

# make demo and make check install QEMU and more: the reader is told where not to run them
t_demo_and_check_not_on_the_hypervisor() {
	awk '/^## Try it/ { on = 1; next } /^## / { on = 0 } on' "$TOP/README.md" |
		tr '\n' ' ' | grep -q 'not on the hypervisor' ||
		fail "README's 'Try it' does not say to keep make demo/check off the hypervisor"
}

# a text line that starts with an apostrophe after a font macro renders "vfio-pci 's"
t_man_no_space_before_apostrophe() {
	for m in "$TOP"/man/*.[78]; do
		! grep -n '^\\(aq' "$m" || fail "${m##*/}: a line starts with \\(aq (renders a space before it)"
	done
}
