# Compressed modules on a kernel that cannot decompress them (issue 7, item 1): the product's own
# libkmod (build/kmod/lib/libkmod.a: musl, static, with liblzma, libzstd and zlib built from
# Debian's sources) decompresses them, and what reaches init_module(2) is the module's ELF image.
# build/test-modinsert intercepts init_module and finit_module at link time (nothing reaches the
# running kernel); the fixtures are a real module compressed here as the distributions do.

# modules NAME...: $MODS holds vfio-pci.ko of Debian's 6.1 (uncompressed) and, compressed from
# it, vfio-pci.ko.NAME for each NAME (the compressor's flags as kbuild or the distribution uses
# them); the 6.12 package's own vfio-pci.ko.xz as real612.ko.xz when that kernel is cached.
modules() {
	[ -x "$B/test-modinsert" ] || fail "no $B/test-modinsert (make $B/test-modinsert)"
	kdir=$("$TOP/tests/qemu-boot/get-kernel.sh" 2>/dev/null) || fail "no Debian 6.1 kernel (get-kernel.sh)"
	plain=$(find "$kdir/lib/modules" -name vfio-pci.ko | head -n 1)
	[ -n "$plain" ] || fail "no vfio-pci.ko under $kdir"
	MODS=$(mktemp -d "${TMPDIR:-/tmp}/vfio-bind-decompress.XXXXXX")
	ROOT=$MODS	# removed by lib.sh's cleanup
	cp "$plain" "$MODS/vfio-pci.ko"
	mkdir -p "$MODS/sys-none/module" "$MODS/sys-xz/module" "$MODS/sys-zstd/module"
	echo xz >"$MODS/sys-xz/module/compression"
	echo zstd >"$MODS/sys-zstd/module/compression"
	for c in "$@"; do
		case $c in
		# kbuild (scripts/Makefile.modinst): CONFIG_MODULE_COMPRESS_XZ, _ZSTD, _GZIP
		xz) xz --check=crc32 --lzma2=dict=1MiB -c "$MODS/vfio-pci.ko" ;;
		zst) zstd -q -T0 -c "$MODS/vfio-pci.ko" ;;
		gz) gzip -n -c "$MODS/vfio-pci.ko" ;;
		# xz's defaults (CRC64), as Fedora's and RHEL's kernel packages compress
		crc64.xz) xz -c "$MODS/vfio-pci.ko" ;;
		# an integrity check the decoder is built without: decoded, the check skipped
		sha256.xz) xz --check=sha256 -c "$MODS/vfio-pci.ko" ;;
		# the strongest levels distributions use (Arch: zstd --ultra -22 ... gzip -9)
		ultra.zst) zstd -q --ultra -22 -c "$MODS/vfio-pci.ko" ;;
		9.gz) gzip -n -9 -c "$MODS/vfio-pci.ko" ;;
		esac >"$MODS/vfio-pci.ko.$c" || fail "compressing vfio-pci.ko as .$c"
	done
	k2dir=$("$TOP/tests/qemu-boot/get-kernel.sh" --k2 2>/dev/null) || k2dir=
	real=$(find "${k2dir:-/nonexistent}/lib/modules" -name vfio-pci.ko.xz 2>/dev/null | head -n 1)
	[ -z "$real" ] || cp "$real" "$MODS/real612.ko.xz"
}

# insert SYSFS FILE: test-modinsert on it; the image is in $MODS/image, the line in $MODS/out
insert() {
	rm -f "$MODS/image"
	set +e
	"$B/test-modinsert" "$MODS/$1" "$MODS/$2" "$MODS/image" >"$MODS/out" 2>"$MODS/err"
	RC=$?
	set -e
}

# FILE went through user space: decompressed by libkmod, the image is the module, byte for byte
expect_image() {
	[ "$RC" -eq 0 ] || fail "$1: test-modinsert exited $RC: $(cat "$MODS/err")"
	size=$(wc -c <"$2")
	grep -qx "$MODS/$1 $3 user-space init_module $size" "$MODS/out" ||
		fail "$1: '$(cat "$MODS/out")', want $3 and $size bytes"
	cmp -s "$MODS/image" "$2" || fail "$1: the image that reached init_module is not $2"
}

t_userspace_xz_zst_gz_reach_init_module_as_elf() {
	modules xz zst gz crc64.xz ultra.zst 9.gz
	for c in xz:xz zst:zstd gz:gzip crc64.xz:xz ultra.zst:zstd 9.gz:gzip; do
		insert sys-none "vfio-pci.ko.${c%%:*}"
		expect_image "vfio-pci.ko.${c%%:*}" "$MODS/vfio-pci.ko" "${c#*:}"
	done
	# the 6.12 package's own module, as dracut copies it into the image
	if [ -f "$MODS/real612.ko.xz" ]; then
		xz -dc "$MODS/real612.ko.xz" >"$MODS/real612.ko"
		insert sys-none real612.ko.xz
		expect_image real612.ko.xz "$MODS/real612.ko" xz
	fi
}

t_userspace_for_the_formats_the_kernel_does_not_decompress() {
	# a kernel built for xz (Debian's 6.12) takes .ko.xz itself and cannot take .ko.zst or .ko.gz
	modules xz zst gz
	insert sys-xz vfio-pci.ko.xz
	[ "$RC" -eq 1 ] && grep -q "the kernel decompresses, not user space" "$MODS/err" ||
		fail "xz on an xz kernel: exit $RC, $(cat "$MODS/err")"
	[ ! -f "$MODS/image" ] || fail "xz on an xz kernel went through init_module"
	insert sys-xz vfio-pci.ko.zst
	expect_image vfio-pci.ko.zst "$MODS/vfio-pci.ko" zstd
	insert sys-xz vfio-pci.ko.gz
	expect_image vfio-pci.ko.gz "$MODS/vfio-pci.ko" gzip
	insert sys-zstd vfio-pci.ko.xz
	expect_image vfio-pci.ko.xz "$MODS/vfio-pci.ko" xz
	# an uncompressed module always goes to the kernel as it is
	insert sys-none vfio-pci.ko
	[ "$RC" -eq 1 ] && grep -q "the kernel takes it as it is" "$MODS/err" ||
		fail "plain module: exit $RC, $(cat "$MODS/err")"
}

t_userspace_skips_an_unbuilt_check_but_decodes() {
	# liblzma is built with CRC32 and CRC64 only: a SHA-256 stream still loads
	modules sha256.xz
	insert sys-none vfio-pci.ko.sha256.xz
	expect_image vfio-pci.ko.sha256.xz "$MODS/vfio-pci.ko" xz
}

t_userspace_corrupt_module_never_reaches_the_kernel() {
	# one byte changed in the compressed data: the decoder's integrity check refuses it
	modules xz zst gz
	for c in xz zst gz; do
		f=$MODS/vfio-pci.ko.$c
		size=$(wc -c <"$f")
		# the byte in the middle of the file, inverted
		off=$((size / 2))
		byte=$(od -An -tu1 -j "$off" -N 1 "$f" | tr -d ' ')
		printf '%b' "\\0$(printf '%03o' $((255 - byte)))" |
			dd of="$f" bs=1 seek="$off" conv=notrunc 2>/dev/null
		insert sys-none "vfio-pci.ko.$c"
		[ "$RC" -eq 1 ] || fail ".$c corrupted: exit $RC: $(cat "$MODS/out")"
		[ ! -f "$MODS/image" ] || fail ".$c corrupted: an image reached init_module"
	done
}
