#!/bin/sh
# Build a fake root (sysfs, procfs, /dev/kmsg, modules dir) from a topology file.
#   mkfixture.sh TOPO ROOT
# TOPO lines (# comments):
#   dev ADDR CLASS VVVV:DDDD SVVV:SDDD [driver=NAME] [host=NAME] [group=N] [boot_vga=1]
#       [bar0=START-END] [fb_holds=1] [probe_fail=1]
#       driver=  the driver bound now (it is loaded);  host= the driver that binds on reprobe
#       (defaults to driver=);  no group= means no IOMMU group
#   driver NAME                      a loaded PCI driver with nothing bound
#   fb KIND START-END [driver=DRV] [iomem=NAME] [parent=ADDR] [fbname=TEXT] [module=MOD]
#                                    firmware framebuffer KIND-framebuffer.0 (efi|vesa|simple)
#                                    bound to DRV (default KIND-framebuffer), its memory NAME in
#                                    /proc/iomem, under PCI device ADDR in sysfs (6.9+), "0 TEXT"
#                                    in /proc/fb, the driver's module link
#   iommu UNIT                       an IOMMU unit in /sys/class/iommu (dmar0, ivhd0)
#   modules NAME [DEP...]            NAME.ko in lib/modules/sim/modules.dep with its deps
#   interrupts TEXT                  a line for /proc/interrupts
#   alias PATTERN MODULE             a modules.alias line (lib/modules/sim/modules.alias)
# SR-IOV (dev keys): sriov=TOTAL:OFFSET:STRIDE:VFDEV makes a PF (sriov_* attributes,
#   sriov_drivers_autoprobe=1, sriov_numvfs=0); physfn=PFADDR makes a VF of that PF.
# mkfixture.sh --add TOPO ROOT adds the lines of TOPO to an existing root (a device that
# appears late: hot-plug, a new VF), leaving everything else as it is.
set -eu
add=
if [ "$1" = --add ]; then
	add=1
	shift
fi
topo=$1 root=$2
sys=$root/sys
[ -n "$add" ] || mkdir -p "$sys/bus/pci/devices" "$sys/bus/pci/drivers" "$sys/devices/pci0000:00" \
	"$sys/kernel/iommu_groups" "$sys/bus/platform/devices" "$sys/bus/platform/drivers" \
	"$sys/devices/platform" "$sys/class/vtconsole" "$sys/class/iommu" "$sys/module" \
	"$root/proc" "$root/dev" "$root/lib/modules/sim" "$root/etc"
if [ -z "$add" ]; then
: > "$sys/bus/pci/drivers_probe"
: > "$root/dev/kmsg"
: > "$root/proc/cmdline"
: > "$root/proc/fb"
: > "$root/proc/interrupts"
printf '00000000-00000fff : Reserved\n' > "$root/proc/iomem"
: > "$root/lib/modules/sim/modules.dep"
: > "$root/lib/modules/sim/modules.alias"
mkdir -p "$sys/class/vtconsole/vtcon0"
echo "(S) dummy device" > "$sys/class/vtconsole/vtcon0/name"
echo 1 > "$sys/class/vtconsole/vtcon0/bind"
fi

load_driver() {
	dd=$sys/bus/pci/drivers/$1
	[ -d "$dd" ] && return 0
	mkdir -p "$dd"
	: > "$dd/bind"; : > "$dd/unbind"; : > "$dd/new_id"; : > "$dd/remove_id"
	# the module that registered it (the fixture's module is named after its driver)
	m=$(echo "$1" | tr - _)
	mkdir -p "$sys/module/$m/drivers"
	ln -s "../../../bus/pci/drivers/$1" "$sys/module/$m/drivers/pci:$1"
}

hexup() { printf '%s' "$1" | tr 'a-f' 'A-F'; }

add_dev() {
	addr=$1 class=$2 id=$3 sub=$4
	shift 4
	driver= host= group= boot_vga= bar0= fb_holds= probe_fail= sriov= physfn=
	for kv in "$@"; do
		case $kv in
		sriov=*) sriov=${kv#sriov=} ;;
		physfn=*) physfn=${kv#physfn=} ;;
		driver=*) driver=${kv#driver=} ;;
		host=*) host=${kv#host=} ;;
		group=*) group=${kv#group=} ;;
		boot_vga=*) boot_vga=${kv#boot_vga=} ;;
		bar0=*) bar0=${kv#bar0=} ;;
		fb_holds=*) fb_holds=1 ;;
		probe_fail=*) probe_fail=1 ;;
		*) echo "mkfixture: unknown key $kv" >&2; exit 1 ;;
		esac
	done
	[ -n "$host" ] || host=$driver
	d=$sys/devices/pci0000:00/$addr
	mkdir -p "$d"
	ln -s "../../../devices/pci0000:00/$addr" "$sys/bus/pci/devices/$addr"
	v=${id%:*} dv=${id#*:} sv=${sub%:*} sd=${sub#*:}
	{
		[ -n "$driver" ] && echo "DRIVER=$driver"
		echo "PCI_CLASS=$(printf '%X' "0x$class")"
		echo "PCI_ID=$(hexup "$v"):$(hexup "$dv")"
		echo "PCI_SUBSYS_ID=$(hexup "$sv"):$(hexup "$sd")"
		echo "PCI_SLOT_NAME=$addr"
		echo "MODALIAS=pci:v0000$(hexup "$v")d0000$(hexup "$dv")sv0000$(hexup "$sv")sd0000$(hexup "$sd")bc$(echo "$class" | cut -c1-2)sc$(echo "$class" | cut -c3-4)i$(echo "$class" | cut -c5-6)"
	} > "$d/uevent"
	echo "0x$v" > "$d/vendor"; echo "0x$dv" > "$d/device"
	echo "0x$sv" > "$d/subsystem_vendor"; echo "0x$sd" > "$d/subsystem_device"
	echo "0x$class" > "$d/class"
	echo "(null)" > "$d/driver_override"
	echo "pci:v0000$(hexup "$v")d0000$(hexup "$dv")sv0000$(hexup "$sv")sd0000$(hexup "$sd")bc$(echo "$class" | cut -c1-2)sc$(echo "$class" | cut -c3-4)i$(echo "$class" | cut -c5-6)" > "$d/modalias"
	if [ -n "$sriov" ]; then
		IFS=: read -r t o st vd <<-EOF
		$sriov
		EOF
		echo "$t" > "$d/sriov_totalvfs"; echo "$o" > "$d/sriov_offset"
		echo "$st" > "$d/sriov_stride"; echo "$vd" > "$d/sriov_vf_device"
		echo 1 > "$d/sriov_drivers_autoprobe"; echo 0 > "$d/sriov_numvfs"
	fi
	[ -n "$physfn" ] && ln -s "../$physfn" "$d/physfn"
	[ -n "$boot_vga" ] && echo "$boot_vga" > "$d/boot_vga"
	case $class in 03*) [ -n "$boot_vga" ] || echo 0 > "$d/boot_vga" ;; esac
	if [ -n "$bar0" ]; then
		printf '0x%016x 0x%016x 0x%016x\n' "${bar0%-*}" "${bar0#*-}" 0x40200 > "$d/resource"
	else
		printf '0x%016x 0x%016x 0x%016x\n' 0 0 0 > "$d/resource"
	fi
	[ -n "$host" ] && echo "$host" > "$d/.sim_host"
	[ -n "$fb_holds" ] && : > "$d/.sim_fb_holds"
	[ -n "$probe_fail" ] && : > "$d/.sim_probe_fail"
	if [ -n "$group" ]; then
		mkdir -p "$sys/kernel/iommu_groups/$group/devices"
		ln -s "../../../kernel/iommu_groups/$group" "$d/iommu_group"
		ln -s "../../../../devices/pci0000:00/$addr" \
			"$sys/kernel/iommu_groups/$group/devices/$addr"
	fi
	if [ -n "$driver" ]; then
		load_driver "$driver"
		ln -s "../../../bus/pci/drivers/$driver" "$d/driver"
		ln -s "../../../../devices/pci0000:00/$addr" "$sys/bus/pci/drivers/$driver/$addr"
	fi
}

add_fb() {
	kind=$1 range=$2
	shift 2
	name=$kind-framebuffer.0 drv=$kind-framebuffer parent= module=
	case $kind in
	efi) iomem=efifb fb="EFI VGA" ;;
	vesa) iomem=vesafb fb="VESA VGA" ;;
	*) iomem=simplefb fb="simple" ;;
	esac
	for kv in "$@"; do
		case $kv in
		driver=*) drv=${kv#driver=} ;;
		iomem=*) iomem=${kv#iomem=} ;;
		parent=*) parent=${kv#parent=} ;;
		fbname=*) fb=${kv#fbname=} ;;
		module=*) module=${kv#module=} ;;
		*) echo "mkfixture: unknown fb key $kv" >&2; exit 1 ;;
		esac
	done
	# sysfb on 6.9+ puts the device under its PCI parent; before, under /devices/platform
	if [ -n "$parent" ]; then
		pdir=devices/pci0000:00/$parent/$name
	else
		pdir=devices/platform/$name
	fi
	mkdir -p "$sys/$pdir" "$sys/bus/platform/drivers/$drv"
	: > "$sys/bus/platform/drivers/$drv/unbind"
	ln -s "../../../$pdir" "$sys/bus/platform/devices/$name"
	ln -s "$(echo "$pdir" | sed 's|[^/]*|..|g')/bus/platform/drivers/$drv" "$sys/$pdir/driver"
	if [ -n "$module" ]; then
		mkdir -p "$sys/module/$module"
		ln -s "../../../module/$module" "$sys/bus/platform/drivers/$drv/module"
	fi
	# what the simulated unbind drops again
	echo "$iomem" > "$sys/$pdir/.sim_iomem"
	echo "$fb" > "$sys/$pdir/.sim_fbname"
	printf '%x-%x : %s\n' "${range%-*}" "${range#*-}" "$iomem" >> "$root/proc/iomem"
	echo "0 $fb" >> "$root/proc/fb"
	mkdir -p "$sys/class/vtconsole/vtcon1"
	echo "(M) frame buffer device" > "$sys/class/vtconsole/vtcon1/name"
	echo 1 > "$sys/class/vtconsole/vtcon1/bind"
}

add_modules() {
	name=$1; shift
	line="kernel/drivers/vfio/$name.ko:"
	for dep in "$@"; do line="$line kernel/drivers/vfio/$dep.ko"; done
	echo "$line" >> "$root/lib/modules/sim/modules.dep"
}

while read -r kind rest; do
	case $kind in
	''|'#'*) continue ;;
	dev) # shellcheck disable=SC2086
		add_dev $rest ;;
	driver) load_driver "$rest" ;;
	fb) # shellcheck disable=SC2086
		add_fb $rest ;;
	iommu) mkdir -p "$sys/class/iommu/$rest" ;;
	modules) # shellcheck disable=SC2086
		add_modules $rest ;;
	interrupts) echo "$rest" >> "$root/proc/interrupts" ;;
	alias) echo "alias $rest" >> "$root/lib/modules/sim/modules.alias" ;;
	*) echo "mkfixture: unknown line '$kind'" >&2; exit 1 ;;
	esac
done < "$topo"
