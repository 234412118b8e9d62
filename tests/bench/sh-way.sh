# The sh way (run by tests/bench/run.sh under busybox sh, with busybox's cat first in PATH as
# in an initramfs): what today's vfio-pci override scripts do at boot. Walk
# /sys/bus/pci/devices, read vendor and device of each function with $(cat ...), compare
# against the wanted IDs. Argument: the sysfs directory. Prints the matching functions.
ids="10de:1b06 1002:73bf"
for dev in "$1"/bus/pci/devices/*; do
	vendor=$(cat "$dev/vendor")
	device=$(cat "$dev/device")
	for id in $ids; do
		if [ "${vendor#0x}:${device#0x}" = "$id" ]; then
			echo "${dev##*/}"
		fi
	done
done
