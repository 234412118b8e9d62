#!/bin/sh
# Build a static libkmod for the musl build of vfio-bind.
#
#   scripts/build-libkmod.sh PREFIX        (the Makefile passes build/kmod)
#
# Debian's libkmod-dev ships no libkmod.a, so this fetches kmod's source with `apt-get source`
# and builds only the library with musl-gcc, without compression or crypto libraries. The host's
# apt configuration is left alone: a private sources list (a deb-src copy of the archive the
# host already uses, read from /etc/apt at run time), private lists and caches, all under the
# work directory next to PREFIX. Result:
#   PREFIX/lib/libkmod.a        libkmod-internal.a + libshared.a merged into one archive
#   PREFIX/include/libkmod.h
# The library reads the configuration the system's kmod reads (/etc/modprobe.d, /run/modprobe.d,
# /usr/local/lib/modprobe.d, /lib/modprobe.d: --prefix=/usr --sysconfdir=/etc, as Debian's rules
# configure it), and no path of this build ends up in the binary (-ffile-prefix-map).
# Idempotent: nothing is done when both exist and were built with this configuration (the stamp
# PREFIX/lib/libkmod.stamp); a downloaded source tree is reused.
set -eu

die() { echo "build-libkmod: error: $*" >&2; exit 1; }
say() { echo "build-libkmod: $*"; }

[ $# -eq 1 ] || die "usage: $0 PREFIX"
mkdir -p "$1" || die "cannot create $1"
prefix=$(cd "$1" && pwd)
# what the library is configured with; a library built otherwise is rebuilt
stamp="--prefix=/usr --sysconfdir=/etc, no build paths"
if [ -f "$prefix/lib/libkmod.a" ] && [ -f "$prefix/include/libkmod.h" ] &&
	[ "$(cat "$prefix/lib/libkmod.stamp" 2>/dev/null)" = "$stamp" ]; then
	exit 0
fi
work=$(dirname "$prefix")/kmod-src
mkdir -p "$work"
log=$work/build.log
: >"$log"

# Run a step with its output in the log; show the log's tail if it fails.
run() {
	what=$1; shift
	if ! "$@" >>"$log" 2>&1; then
		echo "build-libkmod: error: $what failed: $*" >&2
		echo "----- last lines of $log -----" >&2
		tail -n 25 "$log" >&2
		exit 1
	fi
}

for tool in apt-get dpkg-source musl-gcc make ar autoreconf libtoolize; do
	command -v "$tool" >/dev/null 2>&1 ||
		die "'$tool' not found; install the packages in scripts/deps/build.list (scripts/install-deps.sh)"
done

# --- 1. the archive the host already uses, as a private deb-src list -------------------------
# deb822 (*.sources) first, then one-line lists; the first Debian stanza with a URI wins.
srclist=$work/apt/sources.list
mkdir -p "$work/apt/lists/partial" "$work/apt/cache/archives/partial" "$work/apt/parts"
entry=
for f in /etc/apt/sources.list.d/*.sources; do
	[ -f "$f" ] || continue
	entry=$(awk '
		function flush() {
			if (uri != "" && suites != "" && types ~ /(^| )deb( |$)/ && done == 0) {
				n = split(suites, s, " ")
				line = "deb-src"
				if (signed != "") line = line " [signed-by=" signed "]"
				print line " " uri " " s[1] " " comps
				done = 1
			}
			types = uri = suites = comps = signed = ""
		}
		/^[ \t]*#/ { next }
		/^[ \t]*$/ { flush(); next }
		{
			key = $1; sub(/:$/, "", key); $1 = ""; sub(/^ +/, "")
			if (key == "Types") types = $0
			else if (key == "URIs") { split($0, u, " "); uri = u[1] }
			else if (key == "Suites") suites = $0
			else if (key == "Components") comps = $0
			else if (key == "Signed-By") signed = $0
		}
		END { flush() }' "$f")
	[ -n "$entry" ] && break
done
if [ -z "$entry" ]; then
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		entry=$(awk '$1 == "deb" { $1 = "deb-src"; print; exit }' "$f")
		[ -n "$entry" ] && break
	done
fi
[ -n "$entry" ] || die "found no 'deb' entry in /etc/apt/sources.list{,.d/} to derive a deb-src entry from"
printf '%s\n' "$entry" >"$srclist"

# Everything apt writes goes under $work/apt; the host's status file is only read.
aptopts="-q -o Dir::Etc::SourceList=$srclist -o Dir::Etc::SourceParts=$work/apt/parts
	-o Dir::State::Lists=$work/apt/lists -o Dir::Cache=$work/apt/cache
	-o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=
	-o APT::Sandbox::User=root -o APT::Get::List-Cleanup=0"

# --- 2. the source --------------------------------------------------------------------------
src=$(find "$work" -maxdepth 1 -type d -name 'kmod-[0-9]*' | sort | tail -n 1)
if [ -z "$src" ]; then
	say "fetching kmod source (deb-src: $entry)"
	# shellcheck disable=SC2086
	run "apt-get update (private lists)" apt-get $aptopts update
	# shellcheck disable=SC2086
	(cd "$work" && apt-get $aptopts source kmod >>"$log" 2>&1) ||
		{ tail -n 25 "$log" >&2; die "apt-get source kmod failed (log: $log)"; }
	src=$(find "$work" -maxdepth 1 -type d -name 'kmod-[0-9]*' | sort | tail -n 1)
	[ -n "$src" ] || die "apt-get source kmod left no kmod-* directory in $work"
fi
say "building $(basename "$src") with musl-gcc (log: $log)"

# --- 3. configure and build only the library --------------------------------------------------
[ -f "$src/configure.ac" ] ||
	die "$src has no configure.ac (kmod >= 34 builds with meson; this script knows autotools only)"
build=$work/build
# reconfigure when the flags change (the stamp holds them)
cflags="-Os -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables"
# __FILE__ in libkmod's log calls would carry this machine's source and build paths
cflags="$cflags -ffile-prefix-map=$src=kmod -ffile-prefix-map=$build=kmod"
if [ "$(cat "$build/.configured" 2>/dev/null)" != "$cflags $stamp" ]; then
	if [ ! -f "$src/.vfio-bind-autoreconf-done" ]; then
		# Debian's rules run gtkdocize first; docs are off here, but automake still wants
		# the file named by the (disabled) include in libkmod/docs/Makefile.am.
		gd=$src/libkmod/docs/gtk-doc.make
		if [ -f "$src/libkmod/docs/Makefile.am" ] && [ ! -e "$gd" ]; then
			echo '# stub written by vfio-bind scripts/build-libkmod.sh (gtk-doc disabled)' >"$gd"
		fi
		say "autoreconf"
		(cd "$src" && autoreconf -fi >>"$log" 2>&1) ||
			{ tail -n 25 "$log" >&2; die "autoreconf failed in $src"; }
		touch "$src/.vfio-bind-autoreconf-done"
	fi
	rm -rf "$build"; mkdir -p "$build"
	# Pass only the options this kmod version knows (--with-openssl exists from kmod 29 on).
	help=$("$src/configure" --help)
	opts="--disable-manpages"  # kmod rejects --enable-static; the convenience libraries are static anyway
	for o in --without-xz --without-zstd --without-zlib --without-openssl \
		--disable-tools --disable-test-modules --disable-python --disable-gtk-doc; do
		name=${o#--without-}; name=${name#--disable-}
		printf '%s\n' "$help" | grep -q -- "-\(with\|without\|enable\|disable\)-$name\b" && opts="$opts $o"
	done
	say "configure $opts"
	# shellcheck disable=SC2086
	(cd "$build" && CC=musl-gcc CFLAGS="$cflags" \
		"$src/configure" --prefix=/usr --sysconfdir=/etc $opts >>"$log" 2>&1) ||
		{ tail -n 25 "$log" >&2; die "configure failed (log: $log; config.log in $build)"; }
	echo "$cflags $stamp" > "$build/.configured"
fi
jobs=$(nproc 2>/dev/null || echo 2)
run "make (library only)" make -C "$build" -j"$jobs" shared/libshared.la libkmod/libkmod-internal.la

internal=$build/libkmod/.libs/libkmod-internal.a
shared=$build/shared/.libs/libshared.a
[ -f "$internal" ] || die "build produced no $internal"
[ -f "$shared" ] || die "build produced no $shared"

# --- 4. one archive + the header ------------------------------------------------------------
mkdir -p "$prefix/lib" "$prefix/include"
rm -f "$prefix/lib/libkmod.a.tmp"
# libtool may already have folded libshared into the convenience library (kmod 30 does):
# add it only when some of its members are missing, so no object is in the archive twice.
libs=$internal
for m in $(ar t "$shared"); do
	ar t "$internal" | grep -qx "$m" || { libs="$libs $shared"; break; }
done
{
	echo "create $prefix/lib/libkmod.a.tmp"
	for l in $libs; do echo "addlib $l"; done
	printf 'save\nend\n'
} | ar -M >>"$log" 2>&1 || die "ar -M failed to merge $libs"
ranlib "$prefix/lib/libkmod.a.tmp"
cp "$src/libkmod/libkmod.h" "$prefix/include/libkmod.h"
mv "$prefix/lib/libkmod.a.tmp" "$prefix/lib/libkmod.a"
echo "$stamp" >"$prefix/lib/libkmod.stamp"
say "ok: $prefix/lib/libkmod.a ($(wc -c <"$prefix/lib/libkmod.a") bytes), $prefix/include/libkmod.h"
