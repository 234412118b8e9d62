#!/bin/bash
# Boot test of a built package (called by tests/packaging/run.sh):
#   tests/qemu-boot/boot-deb.sh PATH/TO/vfio-bind_*.deb
# Unpacks the .deb into a staging root (dpkg -x: nothing is installed on the host), builds an
# initramfs from it with Debian's mkinitramfs and boots it with vfio.bind= naming the VGA card
# and the HDA controller. Exit 0 when both ended on vfio-pci without their host drivers ever
# probing them, 1 when not, 77 when the test cannot run here (no kernel, no QEMU).
set -u
. "$(dirname "$0")/lib.sh"

deb=${1:?usage: boot-deb.sh DEB}
[ -f "$deb" ] || { log "boot-deb: no such file: $deb"; exit 1; }
command -v qemu-system-x86_64 >/dev/null || { log "boot-deb: no qemu-system-x86_64"; exit 77; }
prepare_kernel || { log "boot-deb: cannot get the kernel"; exit 77; }

D=$Q/deb
rm -rf "$D"
mkdir -p "$D"
dpkg -x "$deb" "$D/stage" || exit 1
# The test files live beside the main harness's; build them if that has not run.
[ -d "$Q/test/itools-conf" ] || prepare_test_files
build_image initramfs-tools "$D/initramfs.img" "$D/stage" || {
	tail -n 20 "$D/initramfs.img.log"
	exit 1
}
probe_accel "$D/initramfs.img" 2>/dev/null
LOGF=$D/claim-by-id.log
secs=$(vm "$LOGF" seabios "$D/initramfs.img" "intel_iommu=on vfio.bind=1234:1111,8086:2668" \
	"${BASE_DEVICES[@]}")
echo "boot-deb: boot took $secs s; serial log $LOGF"
vfio_bind_lines "$LOGF"
grep -q '^VFT-END' "$LOGF" || { echo "boot-deb: the boot did not complete"; exit 1; }
ok=0
for pair in 0000:00:02.0=bochs-drm 0000:00:05.0=snd_hda_intel; do
	a=${pair%%=*} host=${pair#*=}
	drv=$(dev_field "$LOGF" "$a" driver)
	if [ "$drv" != vfio-pci ]; then
		echo "boot-deb: $a is on '$drv', not vfio-pci"
		ok=1
	elif probed "$LOGF" "$host" "$a"; then
		echo "boot-deb: $host probed $a before vfio-bind claimed it"
		ok=1
	else
		echo "boot-deb: $a on vfio-pci, $host never probed it"
	fi
done
exit $ok
