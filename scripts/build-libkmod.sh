#!/bin/sh
# Build a static libkmod for the musl build of vfio-bind.
#
#   scripts/build-libkmod.sh PREFIX        (the Makefile passes build/kmod)
#
# Debian's libkmod-dev ships no libkmod.a, so this fetches kmod's source with `apt-get source`
# (scripts/apt-source.sh: a private deb-src list, the host's apt configuration is left alone) and
# builds only the library with musl-gcc, with xz, zstd and zlib support (the decompressors built
# by scripts/build-decompressors.sh from Debian's sources, in the work directory next to PREFIX)
# and without crypto libraries. Result:
#   PREFIX/lib/libkmod.a        libkmod-internal.a + libshared.a + liblzma.a + libzstd.a + libz.a
#                               merged into one archive
#   PREFIX/include/libkmod.h, zlib.h, zconf.h
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
# what the library is configured and compiled with; a library built otherwise is rebuilt
# (-Oz: gcc 12 sizes more aggressively than -Os; -flto: LTO objects, which the binary's link
# optimises together with vfio-bind and the decompressors; -DNDEBUG: its six assert()s, whose
# messages and musl's abort path cost about 0.8 KiB, are compiled out, as the decompressors'
# release builds compile theirs; its checks that return an error stay)
copts="-Oz -flto -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables -DNDEBUG"
stamp="--prefix=/usr --sysconfdir=/etc --with-xz --with-zstd --with-zlib, $copts, no build paths"
here=$(cd "$(dirname "$0")" && pwd)
work=$(dirname "$prefix")/kmod-src
# The decompressors first (a no-op when they were built with their configuration): their stamp
# is part of libkmod's, so a change to it rebuilds libkmod.a too.
"$here/build-decompressors.sh" "$work" "$work/decomp" || die "building the decompressors failed"
decomp=$work/decomp
stamp="$stamp; $(cat "$decomp/lib/decompressors.stamp")"
if [ -f "$prefix/lib/libkmod.a" ] && [ -f "$prefix/include/libkmod.h" ] && [ -f "$prefix/include/zlib.h" ] &&
	[ "$(cat "$prefix/lib/libkmod.stamp" 2>/dev/null)" = "$stamp" ]; then
	exit 0
fi
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

for tool in apt-get dpkg-source musl-gcc make ar autoreconf libtoolize pkg-config; do
	command -v "$tool" >/dev/null 2>&1 ||
		die "'$tool' not found; install the packages in scripts/deps/build.list (scripts/install-deps.sh)"
done

# --- 1. the source --------------------------------------------------------------------------
src=$("$here/apt-source.sh" "$work" kmod 2>>"$log") ||
	{ tail -n 25 "$log" >&2; die "cannot fetch kmod's source (log: $log)"; }
say "building $(basename "$src") with musl-gcc (log: $log)"

# --- 2. configure and build only the library --------------------------------------------------
[ -f "$src/configure.ac" ] ||
	die "$src has no configure.ac (kmod >= 34 builds with meson; this script knows autotools only)"
build=$work/build
# reconfigure when the flags change (the stamp holds them)
cflags=$copts
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
	opts="$opts --with-xz --with-zstd --with-zlib"
	for o in --without-openssl \
		--disable-tools --disable-test-modules --disable-python --disable-gtk-doc; do
		name=${o#--without-}; name=${name#--disable-}
		printf '%s\n' "$help" | grep -q -- "-\(with\|without\|enable\|disable\)-$name\b" && opts="$opts $o"
	done
	say "configure $opts"
	# the decompressors are named directly (pkg-config's FOO_CFLAGS/FOO_LIBS override), so
	# the host's own liblzma/libzstd/zlib development files are never picked up
	# shellcheck disable=SC2086
	(cd "$build" && CC=musl-gcc CFLAGS="$cflags" \
		liblzma_CFLAGS="-I$decomp/include" liblzma_LIBS="$decomp/lib/liblzma.a" \
		libzstd_CFLAGS="-I$decomp/include" libzstd_LIBS="$decomp/lib/libzstd.a" \
		zlib_CFLAGS="-I$decomp/include" zlib_LIBS="$decomp/lib/libz.a" \
		"$src/configure" --prefix=/usr --sysconfdir=/etc $opts >>"$log" 2>&1) ||
		{ tail -n 25 "$log" >&2; die "configure failed (log: $log; config.log in $build)"; }
	grep -q 'compression:.*zstd=yes  xz=yes  zlib=yes' "$log" ||
		die "configure did not enable zstd, xz and zlib (log: $log)"
	echo "$cflags $stamp" > "$build/.configured"
fi
jobs=$(nproc 2>/dev/null || echo 2)
run "make (library only)" make -C "$build" -j"$jobs" shared/libshared.la libkmod/libkmod-internal.la

internal=$build/libkmod/.libs/libkmod-internal.a
shared=$build/shared/.libs/libshared.a
[ -f "$internal" ] || die "build produced no $internal"
[ -f "$shared" ] || die "build produced no $shared"

# --- 3. one archive (libkmod and the decompressors) + the header --------------------------
mkdir -p "$prefix/lib" "$prefix/include"
rm -f "$prefix/lib/libkmod.a.tmp"
# libtool may already have folded libshared into the convenience library (kmod 30 does):
# add it only when some of its members are missing, so no object is in the archive twice.
libs=$internal
for m in $(ar t "$shared"); do
	ar t "$internal" | grep -qx "$m" || { libs="$libs $shared"; break; }
done
libs="$libs $decomp/lib/liblzma.a $decomp/lib/libzstd.a $decomp/lib/libz.a"
{
	echo "create $prefix/lib/libkmod.a.tmp"
	for l in $libs; do echo "addlib $l"; done
	printf 'save\nend\n'
} | ar -M >>"$log" 2>&1 || die "ar -M failed to merge $libs"
ranlib "$prefix/lib/libkmod.a.tmp"
cp "$src/libkmod/libkmod.h" "$prefix/include/libkmod.h"
# zlib's headers too: vfio-bind inflates its gzip-compressed --help text with it (src/help.c)
cp "$decomp/include/zlib.h" "$decomp/include/zconf.h" "$prefix/include/"
mv "$prefix/lib/libkmod.a.tmp" "$prefix/lib/libkmod.a"
echo "$stamp" >"$prefix/lib/libkmod.stamp"
say "ok: $prefix/lib/libkmod.a ($(wc -c <"$prefix/lib/libkmod.a") bytes), $prefix/include/libkmod.h"
