#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Packaging tests: the .deb (dpkg-buildpackage, lintian, contents, trigger), the RPM (make dist,
# rpmbuild, rpm -qlp), the man pages (groff, man --warnings) and the drift between --help, the
# man pages and kernel-cmdline/README.md. Everything is built from the `make dist` tarball in
# build/pkg/, so the work tree stays clean.
#
# One "PASS name" / "FAIL name" / "SKIP name" line per check goes to build/results/packaging.txt;
# the last line printed is "N passed, N failed". Exit status 1 when a check failed.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
here=tests/packaging
out=$top/build/pkg
results=$top/build/results/packaging.txt
version=$(sed -n 's/^VERSION *:= *//p' Makefile)
name=vfio-bind-$version
tarball=build/$name.tar.gz

rm -rf "$out"
mkdir -p "$out" "$(dirname "$results")"
: >"$results"
pass=0 fail=0 skip=0

# result STATUS NAME [WHY]: record one check.
result()
{
	echo "$1 $2" >>"$results"
	case $1 in
	PASS) pass=$((pass + 1)) ;;
	FAIL) fail=$((fail + 1)) ;;
	SKIP) skip=$((skip + 1)) ;;
	esac
	echo "$1 $2${3:+: $3}"
}

# has TEXT REGEX: a line of TEXT matches the extended REGEX.
has()
{
	printf '%s\n' "$1" | grep -qE -- "$2"
}

# check NAME WHY COMMAND...: PASS when COMMAND succeeds, else FAIL with WHY.
check()
{
	c_name=$1 c_why=$2
	shift 2
	if "$@"; then
		result PASS "$c_name"
	else
		result FAIL "$c_name" "$c_why"
	fi
}

# The expected contents: every file the boot integration ships, wherever install.sh puts it.
initramfs_scripts=$(cd initramfs/initramfs-tools/init-top 2>/dev/null && ls)
deb_expected()
{
	echo /usr/sbin/vfio-bind
	echo /usr/share/initramfs-tools/hooks/vfio-bind
	for s in $initramfs_scripts; do
		echo "/usr/share/initramfs-tools/scripts/init-top/$s"
	done
	echo /usr/lib/dracut/modules.d/59vfio-bind/module-setup.sh
	echo /usr/lib/dracut/modules.d/59vfio-bind/vfio-bind.sh
	echo /usr/lib/udev/rules.d/70-vfio-bind.rules
	echo /usr/share/bash-completion/completions/vfio-bind
	echo /usr/share/man/man7/vfio-bind.7.gz
	echo /usr/share/man/man8/vfio-bind.8.gz
	echo /usr/share/doc/vfio-bind/copyright
	echo /usr/share/doc/vfio-bind/changelog.Debian.gz
	echo /usr/share/doc/vfio-bind/README.md.gz
	for e in kernel-cmdline/examples/*; do
		echo "/usr/share/doc/vfio-bind/examples/${e##*/}"
	done
}
# Executables among them (mode 755 in the package).
deb_executables="/usr/sbin/vfio-bind /usr/share/initramfs-tools/hooks/vfio-bind
$(for s in $initramfs_scripts; do echo "/usr/share/initramfs-tools/scripts/init-top/$s"; done)
/usr/lib/dracut/modules.d/59vfio-bind/module-setup.sh
/usr/lib/dracut/modules.d/59vfio-bind/vfio-bind.sh"

rpm_expected()
{
	echo /usr/sbin/vfio-bind
	echo /usr/lib/dracut/modules.d/59vfio-bind
	echo /usr/lib/dracut/modules.d/59vfio-bind/module-setup.sh
	echo /usr/lib/dracut/modules.d/59vfio-bind/vfio-bind.sh
	echo /usr/lib/udev/rules.d/70-vfio-bind.rules
	echo /usr/share/bash-completion/completions/vfio-bind
}
# Man pages: gzipped by Fedora's brp-compress, not by Debian's rpm.
rpm_man_pages="/usr/share/man/man7/vfio-bind.7 /usr/share/man/man8/vfio-bind.8"

# ---------------------------------------------------------------------------------------------
# Versions: one VERSION in the Makefile, the same everywhere else.
version_drift()
{
	deb=$(dpkg-parsechangelog -l debian/changelog -S Version)
	spec=$(sed -n 's/^Version: *//p' rpm/vfio-bind.spec)
	[ "${deb%-*}" = "$version" ] || echo "debian/changelog has $deb"
	[ "$spec" = "$version" ] || echo "rpm/vfio-bind.spec has $spec"
	for p in man/vfio-bind.8 man/vfio-bind.7; do
		grep -q "^\.TH .* \"vfio\\\\-bind $version\"" "$p" || echo "$p: .TH is not $version"
	done
}
d=$(version_drift 2>&1)
check versions "not VERSION $version: $d" test -z "$d"

# ---------------------------------------------------------------------------------------------
# Man pages: clean for groff and man.
for page in man/vfio-bind.8 man/vfio-bind.7; do
	p=${page##*/}
	w=$(groff -man -ww -z "$page" 2>&1)
	check "groff-ww:$p" "$w" test -z "$w"
	w=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$page" 2>&1 >/dev/null)
	check "man-warnings:$p" "$w" test -z "$w"
done

# ---------------------------------------------------------------------------------------------
# Drift: --help, vfio-bind.8, vfio-bind.7 and kernel-cmdline/README.md say the same thing.
. "$top/$here/drift.sh"

help_text=$out/help.txt
if awk -v mode=text -f man/gen-help.awk man/vfio-bind.8 >"$help_text"; then
	result PASS help-generates
else
	result FAIL help-generates "man/gen-help.awk rejects man/vfio-bind.8"
fi

# help_check NAME BINARY: BINARY --help is the generated text, listing every command and option.
help_check()
{
	h_out=$out/help-$1.out
	if ! "$2" --help >"$h_out" 2>&1; then
		result FAIL "help-runs:$1" "$2 --help failed"
		return
	fi
	result PASS "help-runs:$1"
	missing=$(man_commands_options | while read -r w; do
		grep -qwF -- "$w" "$h_out" || printf '%s ' "$w"
	done)
	check "help-lists-man:$1" "--help lacks: $missing" test -z "$missing"
	check "help-is-man:$1" "--help is not the text generated from vfio-bind.8" \
		cmp -s "$h_out" "$help_text"
	v=$("$2" --version 2>&1)
	check "version:$1" "--version says '$v'" test "$v" = "vfio-bind $version"
}

if [ -f kernel-cmdline/README.md ]; then
	d=$(cmdline_drift kernel-cmdline/README.md man/vfio-bind.7)
	check cmdline-readme-vs-man7 "$d" test -z "$d"
else
	result SKIP cmdline-readme-vs-man7 "no kernel-cmdline/README.md yet"
fi
d=$(cmdline_drift_man8 man/vfio-bind.7 man/vfio-bind.8)
check cmdline-man7-vs-man8 "$d" test -z "$d"

# ---------------------------------------------------------------------------------------------
# The boot-loader drop-ins do what they say, with the tools stubbed and the files in build/pkg.
ex=$out/examples
mkdir -p "$ex/bin"
for tool in proxmox-boot-tool grubby dracut; do
	printf '#!/bin/sh\necho "%s $*" >>"%s/calls"\n' "$tool" "$ex" >"$ex/bin/$tool"
	chmod +x "$ex/bin/$tool"
done
want="quiet vfio.bind=10de:1c03,10de:10f1"
got=$(GRUB_CMDLINE_LINUX_DEFAULT=quiet sh -c '. "$1"; echo "$GRUB_CMDLINE_LINUX_DEFAULT"' sh \
	kernel-cmdline/examples/grub.cfg 2>&1)
check example-grub "gives '$got'" test "$got" = "$want"

echo "root=ZFS=rpool/ROOT/pve-1 boot=zfs quiet" >"$ex/cmdline"
sed "s|/etc/kernel/cmdline|$ex/cmdline|g" kernel-cmdline/examples/systemd-boot.sh >"$ex/sdboot.sh"
: >"$ex/calls"
PATH=$ex/bin:$PATH sh -e "$ex/sdboot.sh" && PATH=$ex/bin:$PATH sh -e "$ex/sdboot.sh"
got="$(cat "$ex/cmdline") / $(sort -u "$ex/calls")"
check example-systemd-boot "gives '$got'" test "$got" = \
	"root=ZFS=rpool/ROOT/pve-1 boot=zfs $want / proxmox-boot-tool refresh"

: >"$ex/calls"
PATH=$ex/bin:$PATH sh -e kernel-cmdline/examples/grubby.sh
got=$(cat "$ex/calls")
check example-grubby "runs '$got'" test "$got" = "$(printf '%s\n' \
	"grubby --update-kernel=ALL --args=vfio.bind=10de:1c03,10de:10f1" \
	"dracut -f --regenerate-all")"

# ---------------------------------------------------------------------------------------------
# The source tarball (make dist) everything else is built from.
if make -s dist >"$out/dist.log" 2>&1 && [ -f "$tarball" ]; then
	result PASS dist
else
	result FAIL dist "make dist failed (build/pkg/dist.log)"
fi
dist_problems()
{
	listing=$(tar tzf "$tarball") || { echo "cannot list $tarball"; return; }
	for f in Makefile debian/control debian/rules rpm/vfio-bind.spec man/vfio-bind.8 \
		man/vfio-bind.7 man/gen-help.awk scripts/install.sh src/main.c; do
		has "$listing" "^$name/$f\$" || echo "missing $f"
	done
	echo "$listing" | grep -v "^$name/" | sed 's/^/outside the prefix: /'
	echo "$listing" | grep "^$name/build/" | sed 's/^/build output: /'
}
if [ -f "$tarball" ]; then
	d=$(dist_problems)
	check dist-contents "$d" test -z "$d"
fi

# ---------------------------------------------------------------------------------------------
# The Debian package: dpkg-buildpackage -b in an unpacked copy of the tarball.
deb=
if [ -f "$tarball" ]; then
	mkdir -p "$out/deb"
	tar xzf "$tarball" -C "$out/deb"
	if (cd "$out/deb/$name" && dpkg-buildpackage -b -us -uc) >"$out/deb-build.log" 2>&1; then
		deb=$(ls "$out"/deb/vfio-bind_*.deb 2>/dev/null | head -n 1)
	fi
	cp "$out"/deb/*.deb "$out"/deb/*.changes "$out"/deb/*.buildinfo "$out" 2>/dev/null
fi
if [ -n "$deb" ]; then
	result PASS deb-build
else
	result FAIL deb-build "dpkg-buildpackage failed (build/pkg/deb-build.log)"
fi

if [ -n "$deb" ]; then
	changes=$(ls "$out"/deb/vfio-bind_*.changes | head -n 1)
	lintian --fail-on error --display-info "$changes" >"$out/lintian.txt" 2>&1
	st=$?
	check lintian "errors in build/pkg/lintian.txt" test $st -eq 0
	sed 's/^/    lintian: /' "$out/lintian.txt"

	dpkg-deb -c "$deb" >"$out/deb-contents.txt"
	# "-rwxr-xr-x root/root 1234 2026-01-01 00:00 ./usr/sbin/vfio-bind" -> mode and path
	awk '{ p = $6; sub(/^\./, "", p); print $1, p }' "$out/deb-contents.txt" >"$out/deb-files.txt"
	for f in $(deb_expected); do
		check "deb-file:$f" "not in the package" grep -q " $f\$" "$out/deb-files.txt"
	done
	for f in $deb_executables; do
		check "deb-exec:$f" "not mode 755" grep -q "^-rwxr-xr-x $f\$" "$out/deb-files.txt"
	done
	stray=$(awk '$1 !~ /^d/ { print $2 }' "$out/deb-files.txt" | grep -vxF "$(deb_expected)")
	check deb-no-stray-files "unexpected: $stray" test -z "$stray"
	# The FILES of vfio-bind(8) that the package installs are where the page says. A pattern
	# (modprobe.d/*.conf) names configuration vfio-bind reads, which no package ships.
	missing=$(man_dump man/vfio-bind.8 | awk -F '\t' '$1 == "FILES" && $2 == "tag" { print $3 }' |
		grep '^/usr/' | grep -v '[*]' | while read -r f; do
			grep -q " ${f%/}\(/\|\$\)" "$out/deb-files.txt" || printf '%s ' "$f"
		done)
	check deb-man-files "vfio-bind(8) FILES not in the package: $missing" test -z "$missing"

	mkdir -p "$out/deb-control"
	dpkg-deb -e "$deb" "$out/deb-control"
	trig=$(cat "$out/deb-control/triggers" 2>/dev/null)
	check deb-trigger "DEBIAN/triggers is '$trig'" \
		test "$trig" = "activate-noawait update-initramfs"
	calls=$(grep -l 'update-initramfs' "$out"/deb-control/p* 2>/dev/null)
	check deb-no-update-initramfs-call "maintainer scripts call it: $calls" test -z "$calls"

	depends=$(dpkg-deb -f "$deb" Depends)
	check deb-depends-initramfs "Depends: $depends" has "$depends" 'initramfs-tools \| dracut'
	check deb-depends-libkmod "Depends: $depends" has "$depends" 'libkmod2'
	dv=$(dpkg-deb -f "$deb" Version)
	check deb-version "Version: $dv" test "${dv%-*}" = "$version"

	mkdir -p "$out/deb-root"
	dpkg-deb -x "$deb" "$out/deb-root"
	help_check deb "$out/deb-root/usr/sbin/vfio-bind"
	d=$(examples_parse "$out/deb-root/usr/sbin/vfio-bind")
	check examples-parse "$d" test -z "$d"
fi

# --help of the tree's own build, when there is one (make check builds it first).
if [ -x build/vfio-bind ]; then
	help_check build build/vfio-bind
else
	result SKIP help-runs:build "build/vfio-bind not built"
fi

# ---------------------------------------------------------------------------------------------
# The RPM: rpmbuild -tb on the tarball. Debian's rpm has none of Fedora's build dependencies
# (--nodeps) nor its debuginfo tools.
rpm=
if [ -f "$tarball" ]; then
	if rpmbuild -tb --nodeps --define "_topdir $out/rpmbuild" \
		--define 'debug_package %{nil}' "$tarball" >"$out/rpm-build.log" 2>&1; then
		rpm=$(ls "$out"/rpmbuild/RPMS/*/vfio-bind-"$version"-*.rpm 2>/dev/null | head -n 1)
	fi
fi
if [ -n "$rpm" ]; then
	result PASS rpm-build
	cp "$rpm" "$out"
else
	result FAIL rpm-build "rpmbuild failed (build/pkg/rpm-build.log)"
fi

if [ -n "$rpm" ]; then
	rpm -qlp "$rpm" >"$out/rpm-files.txt" 2>/dev/null
	for f in $(rpm_expected); do
		check "rpm-file:$f" "not in the package" grep -qx "$f" "$out/rpm-files.txt"
	done
	for f in $rpm_man_pages; do
		check "rpm-file:$f" "not in the package" grep -qxE "$f(\.gz)?" "$out/rpm-files.txt"
	done
	for d in README.md $(cd kernel-cmdline && echo examples/*); do
		check "rpm-doc:$d" "not in the package" \
			grep -q "^/usr/share/doc/vfio-bind[^/]*/$d\$" "$out/rpm-files.txt"
	done
	check rpm-license "not in the package" \
		grep -q '^/usr/share/licenses/vfio-bind[^/]*/LICENSE$' "$out/rpm-files.txt"
	stray=$(grep -vE '^/usr/share/(doc|licenses)/vfio-bind|^/usr/lib/\.build-id(/|$)' "$out/rpm-files.txt" |
		sed 's/\.gz$//' | grep -vxF "$(rpm_expected)
$(echo $rpm_man_pages | tr ' ' '\n')")
	check rpm-no-stray-files "unexpected: $stray" test -z "$stray"
	req=$(rpm -qp --requires "$rpm" 2>/dev/null)
	check rpm-requires-dracut "Requires: $req" has "$req" '^dracut$'
	check rpm-requires-libkmod "Requires: $req" has "$req" '^libkmod\.so\.2'
	rv=$(rpm -qp --qf '%{VERSION}' "$rpm" 2>/dev/null)
	check rpm-version "Version: $rv" test "$rv" = "$version"
fi

# ---------------------------------------------------------------------------------------------
# HOOK POINT, booted test: install the .deb into a staging root and boot an initramfs built
# from it. The harness is the boot-integration engineer's: tests/qemu-boot/boot-deb.sh DEB,
# which exits 0 when the guest came up with the devices claimed, 77 to skip.
qemu_boot_deb()
{
	if [ -z "$deb" ]; then
		result SKIP qemu-boot-deb "no .deb built"
	elif [ ! -x tests/qemu-boot/boot-deb.sh ]; then
		result SKIP qemu-boot-deb "tests/qemu-boot/boot-deb.sh not there yet"
	else
		tests/qemu-boot/boot-deb.sh "$deb" >"$out/qemu-boot-deb.log" 2>&1
		case $? in
		0) result PASS qemu-boot-deb ;;
		77) result SKIP qemu-boot-deb "see build/pkg/qemu-boot-deb.log" ;;
		*) result FAIL qemu-boot-deb "see build/pkg/qemu-boot-deb.log" ;;
		esac
	fi
}
qemu_boot_deb

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
