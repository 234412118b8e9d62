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
#   sriov_drivers_autoprobe=1, sriov_numvfs=0); physfn=PFADDR makes a VF of that PF (its
#   physfn link, and the PF's virtfnN).
# What the running system stands on (in-use checks), as a real kernel shows it:
#   block NAME MAJ:MIN at=DIR [node=block|name|none] [busy=1] [dmname=N] [dmuuid=U]
#       [mdlevel=L] [partname=P]
#       a block device SYSFS/devices/DIR/NAME (at=@DISK: a partition in DISK's directory;
#       at=virtual: devices/virtual/block), its class/block link, uevent, dev, holders/ and
#       slaves/; its node ROOT/dev/block/MAJ:MIN (node=name: ROOT/dev/NAME, as devtmpfs
#       without udev; none: no node), a plain file; busy=1: the simulator's exclusive open of
#       it fails with EBUSY (NODE.sim_busy)
#   holder LOWER UPPER               UPPER holds LOWER: LOWER/holders/UPPER, UPPER/slaves/LOWER
#   link PATH TARGET                 a relative symlink SYSFS/PATH -> SYSFS/TARGET
#   net NAME at=ADDR|virtual [up=0] [addr=A/P]... [lower=NAME] [master=NAME]
#       an interface, up (flags 0x1003) unless up=0; each addr= (IPv4 or IPv6) with its
#       connected route (fib_trie LOCAL leaf or if_inet6 line); an up interface has an fe80::
#       address with its fe80::/64 and ff00::/8 routes; lower=: the interface is above NAME
#       (VLAN, macvlan), master=: it is a port of NAME (bridge, bond): upper_/lower_ links
#   route IFACE DEST/PLEN [GATEWAY]  a route in proc/net/route or ipv6_route (default: 0/0)
#   mount MAJ:MIN POINT FSTYPE SOURCE [SUPEROPTIONS]   a line of proc/self/mountinfo
#   swap DEVICE                      a line of proc/swaps
#   zpool NAME                       an imported pool: proc/spl/kstat/zfs/NAME/state
#   btrfs FSID MEMBER...             a mounted btrfs: SYSFS/fs/btrfs/FSID/devices/MEMBER
#   udev MAJ:MIN KEY=VALUE...        udev's database ROOT/run/udev/data/bMAJ:MIN (E: lines)
#   fbcon                            fbcon bound: a vtconsole "(M) frame buffer device"
#   graphics fbN at=DIR name=TEXT    a framebuffer device SYSFS/devices/DIR/graphics/fbN
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
	if [ -n "$physfn" ]; then
		ln -s "../$physfn" "$d/physfn"
		# the PF's virtfnN, in the order the VFs are given
		nvf=$(find "$sys/devices/pci0000:00/$physfn" -maxdepth 1 -name 'virtfn*' | wc -l)
		ln -s "../$addr" "$sys/devices/pci0000:00/$physfn/virtfn$nvf"
	fi
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

# a relative link $2 -> $1, both absolute paths in the tree, as sysfs makes them
rlink() {
	mkdir -p "$(dirname "$2")"
	ln -sfn "$(realpath -m --relative-to="$(dirname "$2")" "$1")" "$2"
}
# the directory a class link points to
realdir() { realpath -m "$sys/class/$1/$2"; }

# an IPv4 address as /proc/net/route prints it (the 32-bit value in memory, little-endian)
ip4hex() {
	echo "$1" | awk -F. '{ printf "%02X%02X%02X%02X", $4, $3, $2, $1 }'
}
# IPv4 A/P: the network address
ip4net() {
	echo "$1" | awk -F'[./]' '{
		m = $5
		for (i = 1; i <= 4; i++) {
			b = m >= 8 ? 255 : (m > 0 ? 256 - 2 ^ (8 - m) : 0)
			m = m >= 8 ? m - 8 : 0
			n = n (i > 1 ? "." : "") and_(($i) + 0, b)
		}
		print n
	}
	function and_(x, y,   r, p) {
		r = 0; p = 1
		while (x > 0 || y > 0) {
			if (x % 2 && y % 2) r += p
			x = int(x / 2); y = int(y / 2); p *= 2
		}
		return r
	}'
}
ip4mask() {
	awk -v m="$1" 'BEGIN {
		for (i = 1; i <= 4; i++) {
			b = m >= 8 ? 255 : (m > 0 ? 256 - 2 ^ (8 - m) : 0)
			m = m >= 8 ? m - 8 : 0
			v[i] = b
		}
		printf "%02X%02X%02X%02X", v[4], v[3], v[2], v[1]
	}'
}
# IPv6 as 32 hex digits; ip6net: the first PLEN/4 of them (PLEN a multiple of 4), zeros after
ip6hex() {
	awk -v a="$1" 'BEGIN {
		n = split(a, h, "::"); nl = 0; nr = 0
		if (h[1] != "") nl = split(h[1], L, ":")
		if (n > 1 && h[2] != "") nr = split(h[2], R, ":")
		out = ""
		for (i = 1; i <= nl; i++) out = out sprintf("%4s", L[i])
		for (i = 0; i < 8 - nl - nr; i++) out = out "0000"
		for (i = 1; i <= nr; i++) out = out sprintf("%4s", R[i])
		gsub(/ /, "0", out); print tolower(out)
	}'
}
ip6net() {
	h=$(ip6hex "$1")
	awk -v h="$h" -v p="$2" 'BEGIN { n = p / 4; s = substr(h, 1, n)
		while (length(s) < 32) s = s "0"; print s }'
}

procnet() {
	mkdir -p "$root/proc/net"
	[ -f "$root/proc/net/route" ] ||
		printf 'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n' \
			> "$root/proc/net/route"
	[ -f "$root/proc/net/ipv6_route" ] ||
		printf '%s 80 %s 00 %s 00000000 00000002 00000000 80200001       lo\n' \
			00000000000000000000000000000001 00000000000000000000000000000000 \
			00000000000000000000000000000000 > "$root/proc/net/ipv6_route"
	[ -f "$root/proc/net/if_inet6" ] ||
		printf '00000000000000000000000000000001 01 80 10 80       lo\n' > "$root/proc/net/if_inet6"
	[ -f "$root/proc/net/.fib_local" ] || echo 127.0.0.1 > "$root/proc/net/.fib_local"
}

# fib_trie from the local addresses: the Main and Local tables, as the kernel prints both
fib_trie() {
	[ -f "$root/proc/net/.fib_local" ] || return 0
	for t in Main Local; do
		echo "$t:"
		echo "  +-- 0.0.0.0/0 3 0 5"
		while read -r a; do
			echo "     +-- $a/32 2 0 2"
			echo "        |-- $a"
			echo "           /32 host LOCAL"
			echo "        |-- $(ip4net "$a/24")"
			echo "           /24 link UNICAST"
		done < "$root/proc/net/.fib_local"
	done > "$root/proc/net/fib_trie"
}

v4route() { # IFACE DEST/PLEN GATEWAY FLAGS
	printf '%s\t%s\t%s\t%s\t0\t0\t0\t%s\t0\t0\t0\n' "$1" "$(ip4hex "$(ip4net "$2")")" \
		"$(ip4hex "$3")" "$4" "$(ip4mask "${2#*/}")" >> "$root/proc/net/route"
}
v6route() { # IFACE DEST/PLEN NEXTHOP FLAGS
	printf '%s %02x %s 00 %s 00000100 00000001 00000000 %s %8s\n' \
		"$(ip6net "${2%/*}" "${2#*/}")" "${2#*/}" 00000000000000000000000000000000 \
		"$(ip6hex "$3")" "$4" "$1" >> "$root/proc/net/ipv6_route"
}

add_block() {
	name=$1 devno=$2
	shift 2
	at= node=block busy= dmname= dmuuid= mdlevel= partname=
	for kv in "$@"; do
		case $kv in
		at=*) at=${kv#at=} ;;
		node=*) node=${kv#node=} ;;
		busy=*) busy=1 ;;
		dmname=*) dmname=${kv#dmname=} ;;
		dmuuid=*) dmuuid=${kv#dmuuid=} ;;
		mdlevel=*) mdlevel=${kv#mdlevel=} ;;
		partname=*) partname=${kv#partname=} ;;
		*) echo "mkfixture: unknown block key $kv" >&2; exit 1 ;;
		esac
	done
	type=disk
	case $at in
	@*) d=$(realdir block "${at#@}")/$name type=partition ;;
	virtual) d=$sys/devices/virtual/block/$name ;;
	*) d=$sys/devices/$at/$name ;;
	esac
	mkdir -p "$d/holders" "$d/slaves" "$sys/class/block" "$root/dev/block"
	rlink "$d" "$sys/class/block/$name"
	echo "$devno" > "$d/dev"
	{
		echo "MAJOR=${devno%:*}"; echo "MINOR=${devno#*:}"
		echo "DEVNAME=$name"; echo "DEVTYPE=$type"
		[ -z "$partname" ] || echo "PARTNAME=$partname"
	} > "$d/uevent"
	[ "$type" = disk ] || echo "${name##*[!0-9]}" > "$d/partition"
	if [ -n "$dmname" ]; then
		mkdir -p "$d/dm"; echo "$dmname" > "$d/dm/name"; echo "$dmuuid" > "$d/dm/uuid"
	fi
	if [ -n "$mdlevel" ]; then mkdir -p "$d/md"; echo "$mdlevel" > "$d/md/level"; fi
	case $node in
	block) n=$root/dev/block/$devno ;;
	name) n=$root/dev/$name ;;
	*) n= ;;
	esac
	if [ -n "$n" ]; then
		: > "$n"
		[ -z "$busy" ] || : > "$n.sim_busy"
	fi
}

add_net() {
	name=$1
	shift
	at= up=1 lower= master=
	addrs=
	for kv in "$@"; do
		case $kv in
		at=*) at=${kv#at=} ;;
		up=*) up=${kv#up=} ;;
		addr=*) addrs="$addrs ${kv#addr=}" ;;
		lower=*) lower=${kv#lower=} ;;
		master=*) master=${kv#master=} ;;
		*) echo "mkfixture: unknown net key $kv" >&2; exit 1 ;;
		esac
	done
	case $at in
	virtual) d=$sys/devices/virtual/net/$name ;;
	*) d=$sys/devices/pci0000:00/$at/net/$name ;;
	esac
	mkdir -p "$d" "$sys/class/net"
	rlink "$d" "$sys/class/net/$name"
	procnet
	if [ "$up" = 1 ]; then
		echo 0x1003 > "$d/flags"; echo up > "$d/operstate"
		ll=fe80::$(printf '%s' "$name" | cksum | awk '{ printf "%x", $1 % 65536 }'):ff:fe00:1
		printf '%s 02 40 20 80 %8s\n' "$(ip6hex "$ll")" "$name" >> "$root/proc/net/if_inet6"
		v6route "$name" fe80::/64 :: 00000001
		v6route "$name" ff00::/8 :: 00000001
	else
		echo 0x1002 > "$d/flags"; echo down > "$d/operstate"
	fi
	for a in $addrs; do
		case $a in
		*:*) printf '%s 02 %02x 00 80 %8s\n' "$(ip6hex "${a%/*}")" "${a#*/}" "$name" \
				>> "$root/proc/net/if_inet6"
			v6route "$name" "$a" :: 00000001
			v6route "$name" "${a%/*}/128" :: 80200001 ;;
		*) echo "${a%/*}" >> "$root/proc/net/.fib_local"
			v4route "$name" "$a" 0.0.0.0 0001 ;;
		esac
	done
	if [ -n "$lower" ]; then
		rlink "$(realdir net "$lower")" "$d/lower_$lower"
		rlink "$d" "$(realdir net "$lower")/upper_$name"
	fi
	if [ -n "$master" ]; then
		m=$(realdir net "$master")
		rlink "$m" "$d/master"
		rlink "$m" "$d/upper_$master"
		rlink "$d" "$m/lower_$name"
		case $master in br*|vmbr*) rlink "$d/brport" "$m/brif/$name" ;; esac
	fi
}

add_route() {
	procnet
	case $2 in
	*:*) v6route "$1" "$2" "${3:-::}" "$([ -n "${3:-}" ] && echo 00000003 || echo 00000001)" ;;
	*) v4route "$1" "$2" "${3:-0.0.0.0}" "$([ -n "${3:-}" ] && echo 0003 || echo 0001)" ;;
	esac
}

mount_id=20
add_mount() {
	mkdir -p "$root/proc/self"
	mount_id=$((mount_id + 1))
	echo "$mount_id 1 $1 / $2 rw,relatime shared:$mount_id - $3 $4 ${5:-rw}" \
		>> "$root/proc/self/mountinfo"
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
	block) # shellcheck disable=SC2086
		add_block $rest ;;
	holder) # shellcheck disable=SC2086
		set -- $rest
		rlink "$(realdir block "$2")" "$(realdir block "$1")/holders/$2"
		rlink "$(realdir block "$1")" "$(realdir block "$2")/slaves/$1" ;;
	link) # shellcheck disable=SC2086
		set -- $rest
		rlink "$sys/$2" "$sys/$1" ;;
	net) # shellcheck disable=SC2086
		add_net $rest ;;
	route) # shellcheck disable=SC2086
		add_route $rest ;;
	mount) # shellcheck disable=SC2086
		add_mount $rest ;;
	swap) [ -f "$root/proc/swaps" ] ||
			printf 'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n' > "$root/proc/swaps"
		printf '%s\tpartition\t8388604\t\t0\t\t-2\n' "$rest" >> "$root/proc/swaps" ;;
	zpool) mkdir -p "$root/proc/spl/kstat/zfs/$rest"
		: > "$root/proc/spl/kstat/zfs/arcstats"
		echo ONLINE > "$root/proc/spl/kstat/zfs/$rest/state" ;;
	btrfs) # shellcheck disable=SC2086
		set -- $rest
		fsid=$1; shift
		mkdir -p "$sys/fs/btrfs/$fsid/devices" "$sys/fs/btrfs/features"
		for m in "$@"; do rlink "$(realdir block "$m")" "$sys/fs/btrfs/$fsid/devices/$m"; done ;;
	udev) # shellcheck disable=SC2086
		set -- $rest
		f=$root/run/udev/data/b$1; shift
		mkdir -p "$root/run/udev/data"
		for kv in "$@"; do echo "E:$kv" >> "$f"; done ;;
	fbcon) mkdir -p "$sys/class/vtconsole/vtcon1"
		echo "(M) frame buffer device" > "$sys/class/vtconsole/vtcon1/name"
		echo 1 > "$sys/class/vtconsole/vtcon1/bind" ;;
	graphics) # shellcheck disable=SC2086
		set -- $rest
		g=$sys/devices/${2#at=}/graphics/$1
		mkdir -p "$g" "$sys/class/graphics"
		echo "${3#name=}" > "$g/name"
		rlink "$g" "$sys/class/graphics/$1" ;;
	*) echo "mkfixture: unknown line '$kind'" >&2; exit 1 ;;
	esac
done < "$topo"
fib_trie
