# Compressed modules the kernel cannot decompress (issue 7, item 1), booted. Debian's 6.12 (K2)
# decompresses xz only (/sys/module/compression says xz). In this dracut image the vfio modules
# are zstd-compressed instead (.ko.zst, as Ubuntu and Arch ship them): the kernel cannot take
# them, so vfio-bind's static libkmod must decompress them in user space and hand the kernel
# the image (init_module). A binary without the decompressors logs "loading vfio-pci failed:
# Exec format error" and hands every device back.

# variant_zstmods DIR: the staging root with the test's dracut module (95vfiotest) taking one
# more step after the vfio-bind module installed the vfio modules: each vfio module and
# irqbypass recompressed from .ko.xz to .ko.zst (dracut's depmod then names the .ko.zst files).
variant_zstmods() {
	local m=$1/stage/usr/lib/dracut/modules.d/95vfiotest
	command -v zstd >/dev/null && command -v xz >/dev/null || { echo "no zstd or xz"; return 1; }
	cp -a "$Q/stage" "$1/stage"
	mkdir -p "$m"
	cp -a "$Q/test/usr/lib/dracut/modules.d/95vfiotest/." "$m/"
	cat >>"$m/module-setup.sh" <<-'EOF'

	# added by scenarios.d/45-userspace-decompress.sh (variant zstmods)
	eval "vfiotest_$(declare -f install)"
	install() {
	    local f
	    vfiotest_install
	    for f in $(find "$initdir/lib/modules" -name '*.ko.xz' \
	        \( -path '*/drivers/vfio/*' -o -name 'irqbypass.ko.xz' \)); do
	        xz -dc "$f" | zstd -q -o "${f%.xz}.zst" && rm -f "$f"
	    done
	}
	EOF
}

# the image holds the vfio modules as .ko.zst only
zst_image() {
	local list
	list=$(image_lists dracut "$(kernel_image k2 dracut+zstmods)")
	echo "$list" | grep -q '/vfio-pci\.ko\.zst\( \|$\)' &&
		! echo "$list" | grep -Eq '/(vfio[a-z_-]*|irqbypass)\.ko\.xz( |$)'
}

judge_userspace_zstd() {
	expect "the image's vfio modules are .ko.zst (none left .ko.xz)" zst_image
	judge_claim_by_id
	expect "vfio-pci is a loaded module" module_loaded vfio_pci
	expect_not "no 'Exec format error' (libkmod decompressed the .ko.zst)" \
		has_klog 'vfio-bind: .*Exec format error'
	expect_not "vfio-bind reports no failure to load vfio-pci" has_klog 'vfio-bind: loading .*failed'
}

kscenario k2 dracut+zstmods userspace-zstd-claim-by-id seabios \
	"$IOMMU vfio.bind=1234:1111,8086:2668" base judge_userspace_zstd
