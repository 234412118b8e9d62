#!/bin/sh
# Build the decompressors the static libkmod links, so that vfio-bind loads .ko.xz, .ko.zst and
# .ko.gz modules on kernels that cannot decompress them (before 5.17, CONFIG_MODULE_DECOMPRESS=n,
# or a format other than the one the kernel was built for).
#
#   scripts/build-decompressors.sh WORK PREFIX     (build-libkmod.sh passes its work directory)
#
# Each library comes from Debian's own source package (scripts/apt-source.sh: apt-get source
# through a private deb-src list), is built static with musl-gcc and cut down to what libkmod's
# decompression calls need:
#   liblzma  (xz-utils)  decoders only: LZMA1/LZMA2, no BCJ or delta filters, CRC32 and CRC64
#                        checks (kbuild writes --check=crc32 --lzma2=dict=1MiB, xz's default is
#                        CRC64; a stream with an unbuilt check such as SHA-256 still decodes, its
#                        check is skipped), no threads, --enable-small
#   libzstd  (libzstd)   decompression only, the library's own minified build (ZSTD_LIB_MINIFY:
#                        HUF X1 only, short sequences only, no inlining, no error strings), no
#                        legacy formats, no assembly
#   zlib     (zlib)      inflate and the gz* reading functions: NO_GZCOMPRESS keeps deflate out
#                        (libkmod's gzclose() would otherwise pull in gzwrite and deflate);
#                        CRC-32 a byte at a time from one table (Z_TESTW empty: no "braided"
#                        word-at-a-time tables and code, about 1 KiB; a module is checked once)
# Result: PREFIX/lib/{liblzma,libzstd,libz}.a, PREFIX/include/{lzma.h,lzma/,zstd.h,...,zlib.h,
# zconf.h}, PREFIX/lib/decompressors.versions (the source versions, one a line).
# Idempotent: nothing is done when the stamp PREFIX/lib/decompressors.stamp says the libraries
# were built with this configuration; downloaded source trees are reused.
set -eu

die() { echo "build-decompressors: error: $*" >&2; exit 1; }
say() { echo "build-decompressors: $*"; }

[ $# -eq 2 ] || die "usage: $0 WORK PREFIX"
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$1" "$2" || die "cannot create $1 or $2"
work=$(cd "$1" && pwd)
prefix=$(cd "$2" && pwd)

# -flto: the binary's link optimises them together with libkmod and vfio-bind (Makefile)
cflags="-Oz -flto -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables"
xz_opts="--disable-shared --enable-static --disable-encoders --enable-decoders=lzma1,lzma2
	--enable-checks=crc32,crc64 --disable-microlzma --disable-lzip-decoder --enable-small
	--disable-threads --disable-assembler --disable-clmul-crc --disable-symbol-versions
	--disable-xz --disable-xzdec --disable-lzmadec --disable-lzmainfo --disable-lzma-links
	--disable-scripts --disable-doc --disable-nls"
zstd_opts="ZSTD_LIB_MINIFY=1 ZSTD_LIB_COMPRESSION=0 ZSTD_LIB_DICTBUILDER=0 ZSTD_LIB_DEPRECATED=0
	ZSTD_LEGACY_SUPPORT=0 ZSTD_NO_ASM=1"
zlib_defs="-DNO_GZCOMPRESS -DDYNAMIC_CRC_TABLE -DBUILDFIXED -DZ_TESTW="
stamp=$(printf '%s\n' "$cflags" "$xz_opts" "$zstd_opts" "$zlib_defs" | tr -s ' \t\n' ' ')
lib=$prefix/lib inc=$prefix/include
if [ -f "$lib/liblzma.a" ] && [ -f "$lib/libzstd.a" ] && [ -f "$lib/libz.a" ] &&
	[ "$(cat "$lib/decompressors.stamp" 2>/dev/null)" = "$stamp" ]; then
	exit 0
fi

command -v musl-gcc >/dev/null 2>&1 ||
	die "'musl-gcc' not found; install the packages in scripts/deps/build.list (scripts/install-deps.sh)"
log=$work/decompressors.log
: >"$log"
mkdir -p "$lib" "$inc"
rm -f "$lib/decompressors.stamp" "$lib/decompressors.versions"

# Run a step with its output in the log; show the log's tail if it fails.
run() {
	what=$1; shift
	if ! "$@" >>"$log" 2>&1; then
		echo "build-decompressors: error: $what failed: $*" >&2
		echo "----- last lines of $log -----" >&2
		tail -n 25 "$log" >&2
		exit 1
	fi
}
jobs=$(nproc 2>/dev/null || echo 2)
# no path of this machine ends up in the binary
nopath() { echo "-ffile-prefix-map=$1=$(basename "$1")"; }

# --- liblzma -------------------------------------------------------------------------------------
src=$("$here/apt-source.sh" "$work" xz-utils)
say "building liblzma from $(basename "$src") (log: $log)"
build=$work/build-xz
rm -rf "$build"; mkdir -p "$build"
# shellcheck disable=SC2086
(cd "$build" && run "configure xz-utils" env CC=musl-gcc CFLAGS="$cflags $(nopath "$src")" \
	"$src/configure" $xz_opts)
run "make liblzma" make -C "$build/src/liblzma" -j"$jobs" liblzma.la
cp "$build/src/liblzma/.libs/liblzma.a" "$lib/liblzma.a.tmp"
rm -rf "$inc/lzma"
cp -R "$src/src/liblzma/api/lzma.h" "$src/src/liblzma/api/lzma" "$inc/"
mv "$lib/liblzma.a.tmp" "$lib/liblzma.a"
echo "xz-utils $(basename "$src" | sed 's/^xz-utils-//')" >>"$lib/decompressors.versions"

# --- libzstd -------------------------------------------------------------------------------------
src=$("$here/apt-source.sh" "$work" libzstd)
say "building libzstd from $(basename "$src")"
run "make clean libzstd" make -C "$src/lib" clean
# CFLAGS from the environment: the library's Makefile appends its own (-Oz, -DNDEBUG, ...)
# shellcheck disable=SC2086
run "make libzstd.a" env CC=musl-gcc CFLAGS="$cflags $(nopath "$src")" \
	make -C "$src/lib" -j"$jobs" $zstd_opts libzstd.a
cp "$src/lib/libzstd.a" "$lib/libzstd.a.tmp"
cp "$src/lib/zstd.h" "$src/lib/zstd_errors.h" "$inc/"
mv "$lib/libzstd.a.tmp" "$lib/libzstd.a"
echo "libzstd $(basename "$src" | sed 's/^libzstd-//')" >>"$lib/decompressors.versions"

# --- zlib ----------------------------------------------------------------------------------------
src=$("$here/apt-source.sh" "$work" zlib)
say "building zlib from $(basename "$src")"
build=$work/build-zlib
rm -rf "$build"; mkdir -p "$build"
# zlib's configure builds in the directory it is run from when given a separate one
(cd "$build" && run "configure zlib" env CC=musl-gcc \
	CFLAGS="$cflags $zlib_defs $(nopath "$src")" "$src/configure" --static)
run "make libz.a" make -C "$build" -j"$jobs" libz.a
cp "$build/libz.a" "$lib/libz.a.tmp"
cp "$build/zconf.h" "$src/zlib.h" "$inc/"
mv "$lib/libz.a.tmp" "$lib/libz.a"
echo "zlib $(basename "$src" | sed 's/^zlib-//')" >>"$lib/decompressors.versions"

echo "$stamp" >"$lib/decompressors.stamp"
for a in liblzma libzstd libz; do
	say "ok: $lib/$a.a ($(wc -c <"$lib/$a.a") bytes)"
done
