#!/bin/bash
# make demo: boot a VM twice through an initramfs built by Debian's mkinitramfs with
# vfio-bind's hook, once without and once with vfio.bind= naming two of its devices, and show
# which driver each device ended up with.
set -u
. "$(dirname "$0")/lib.sh"

TOKEN=${DEMO_TOKEN:-vfio.bind=1234:1111,00:04.0}

say() { printf '%s\n' "$*"; }

say "vfio-bind demo: a QEMU VM with a VGA card, two identical e1000 NICs and a sound card."
say "Step 1/3: Debian's kernel package (downloaded once into ${CACHE})..."
prepare_kernel || { say "demo: cannot get the kernel"; exit 1; }
say "Step 2/3: make install into a staging root; mkinitramfs builds the initramfs ($KVER)..."
prepare_stage || exit 1
mkdir -p "$Q/demo"
img=$Q/demo/initramfs.img
if ! build_image initramfs-tools "$img"; then
	tail -n 20 "$img.log"
	exit 1
fi
probe_accel "$img" 2>/dev/null
if [ "$ACCEL_NAME" = kvm ]; then
	say "Step 3/3: booting twice, side by side (KVM)..."
else
	say "Step 3/3: booting twice, side by side (no KVM: emulated, about half a minute)..."
fi
vm "$Q/demo/before.log" seabios "$img" "intel_iommu=on" "${BASE_DEVICES[@]}" >/dev/null &
vm "$Q/demo/after.log" seabios "$img" "intel_iommu=on $TOKEN" "${BASE_DEVICES[@]}" >/dev/null &
wait
for l in before after; do
	if ! grep -q '^VFT-END' "$Q/demo/$l.log"; then
		say "demo: the '$l' boot did not complete; see $Q/demo/$l.log"
		exit 1
	fi
done

what() {
	case $1 in
	0x0300*) echo "VGA card" ;;
	0x0200*) echo "Ethernet NIC" ;;
	0x0403*) echo "audio (HDA)" ;;
	0x0600*) echo "host bridge" ;;
	0x0601*) echo "ISA bridge" ;;
	0x0106*) echo "SATA controller" ;;
	0x0c05*) echo "SMBus" ;;
	*) echo "class $1" ;;
	esac
}

say ""
say "Kernel command line of the second boot: ... $TOKEN"
say ""
fmt='%-13s %-10s %-16s %-22s %s\n'
# shellcheck disable=SC2059
printf "$fmt" DEVICE "VEN:DEV" WHAT "DRIVER without token" "DRIVER with token"
# shellcheck disable=SC2059
printf "$fmt" ------------ --------- --------------- --------------------- ---------------------
sed -n 's/^VFT dev \([^ ]*\) .*/\1/p' "$Q/demo/after.log" | while read -r a; do
	b=$(dev_field "$Q/demo/before.log" "$a" driver)
	n=$(dev_field "$Q/demo/after.log" "$a" driver)
	[ "$b" = - ] && b="(none)"
	[ "$n" = - ] && n="(none)"
	mark=
	[ "$b" != "$n" ] && mark="  <- changed"
	# shellcheck disable=SC2059
	printf "$fmt" "$a" "$(dev_field "$Q/demo/after.log" "$a" id)" \
		"$(what "$(dev_field "$Q/demo/after.log" "$a" class)")" "$b" "$n$mark"
done
say ""
say "What vfio-bind wrote to the kernel log (dmesg | grep vfio-bind) in the second boot:"
vfio_bind_lines "$Q/demo/after.log" | sed 's/^\[[^]]*\] /  /'
say ""
say "The identical NIC at 00:03.0 kept e1000: selectors pick devices, not drivers."
say "Serial logs: ${Q#"$top"/}/demo/before.log, after.log"
