# Devices the running system stands on (issue 15), asked of the guest's real kernel: md RAID1
# over two NVMe controllers, an LVM-thin pool with an active thin volume that is not mounted,
# btrfs RAID1 over two more (mounted), a swap, a NIC with an address and no default route.
# `vfio-bind add`, `claim --dry-run` and `check --next-boot` must refuse each, naming what holds
# it (md0, the pool's device-mapper devices or its volume group, btrfs, swap, the interface and
# its address); a free NVMe controller is accepted by all three.
#
# The storage is built in the guest by Debian's own mdadm, lvm2 and btrfs-progs
# (get-storage-tools.sh: apt-get download and dpkg -x into the cache, never installed on the
# host), carried only by the images of the "inuse" variants; payload/vfiotest-inuse sets it up
# and asks vfio-bind (as the user would, in the initramfs, with a writable /etc).
#
# Cells: K1 (Debian's 6.1) under initramfs-tools. What the verdict asks the kernel (an
# exclusive open failing with EBUSY, holders/, mountinfo, /proc/swaps, interfaces, addresses
# and routes) reads the same on 6.1 and 6.12, so K2 and K3 would only repeat it, at the cost of
# two more images with btrfs, md and device-mapper in them. The generator only carries the
# tools that set the storage up: its dracut cell (variant inuse_d, kept below) gave the same
# verdicts (README) in 183-450 s of boot, the suite's longest, and is left out.

# variant_inuse DIR: the staged files plus Debian's storage tools (and the libraries this
# machine lacks), the storage and NVMe modules and the in-use step, for both generators.
variant_inuse() {
	local st=$1/stage tools b f lib rel libdirs
	tools=$("$here/get-storage-tools.sh" "$CACHE") || return 1
	cp -a "$Q/stage" "$st"
	mkdir -p "$st/usr/sbin" "$st/usr/share/vfiotest-inuse" "$st/usr/share/initramfs-tools/hooks"
	libdirs=$(find "$tools" -name 'lib*.so*' -printf '%h\n' | sort -u | tr '\n' ':')
	for b in mdadm lvm mkfs.btrfs btrfs; do
		f=
		for d in sbin bin usr/sbin usr/bin; do
			[ -x "$tools/$d/$b" ] && f=$tools/$d/$b && break
		done
		[ -n "$f" ] || { echo "no $b in $tools"; return 1; }
		cp "$f" "$st/usr/sbin/$b"
		# the libraries from the unpacked packages go where the generators' ldd finds them
		# (the staging root lies over /usr while the image is built)
		if LD_LIBRARY_PATH=$libdirs ldd "$f" | grep 'not found'; then
			echo "$b: a library is missing here and in $tools"
			return 1
		fi
		for lib in $(LD_LIBRARY_PATH=$libdirs ldd "$f" | sed -n "s|.* => \\($tools/[^ ]*\\) .*|\\1|p"); do
			rel=${lib#"$tools"/}
			rel=${rel#usr/}
			mkdir -p "$st/usr/$(dirname "$rel")"
			cp -L "$lib" "$st/usr/$rel"
			echo "$b: $lib"
		done
	done
	cp "$here/payload/vfiotest-inuse" "$st/usr/share/vfiotest-inuse/"
	cat >"$st/usr/share/initramfs-tools/hooks/vfiotest-inuse" <<-'HOOK'
	#!/bin/sh
	# Test-only: the storage tools, their modules and the in-use step.
	PREREQ=""
	prereqs() { echo "$PREREQ"; }
	case $1 in prereqs) prereqs; exit 0 ;; esac
	. /usr/share/initramfs-tools/hook-functions
	manual_add_modules nvme raid1 dm-thin-pool btrfs
	for b in mdadm lvm mkfs.btrfs btrfs mkswap swapon ip; do
		copy_exec "$(command -v "$b")"
	done
	copy_file script /usr/share/vfiotest-inuse/vfiotest-inuse /usr/bin/vfiotest-inuse
	exit 0
	HOOK
	chmod 755 "$st/usr/share/initramfs-tools/hooks/vfiotest-inuse"
	local dm=$st/usr/lib/dracut/modules.d/95vfiotest
	mkdir -p "$dm"
	cp -a "$Q/test/usr/lib/dracut/modules.d/95vfiotest/." "$dm/"
	cp "$here/payload/vfiotest-inuse" "$dm/"
	cat >>"$dm/module-setup.sh" <<-'DRACUT'

	# scenarios.d/50-inuse.sh: the storage tools, their modules and the in-use step
	eval "vfiotest_$(declare -f installkernel)"
	eval "vfiotest_$(declare -f install)"
	installkernel() {
	    vfiotest_installkernel
	    hostonly='' instmods nvme raid1 dm-thin-pool btrfs
	}
	install() {
	    vfiotest_install
	    inst_multiple mdadm lvm mkfs.btrfs btrfs mkswap swapon ip udevadm ls mkdir rm
	    inst_script "$moddir/vfiotest-inuse" /usr/bin/vfiotest-inuse
	}
	DRACUT
}
# The same files for the dracut image (a variant directory is per name, not per generator).
variant_inuse_d() { variant_inuse "$@"; }

# The NVMe controllers, by role (PCI addresses on the root bus), and the NIC given an address.
A_MD1=0000:00:10.0 A_MD2=0000:00:11.0 A_PV=0000:00:12.0 A_BT1=0000:00:13.0 A_BT2=0000:00:14.0
A_SWAP=0000:00:15.0 A_FREE=0000:00:16.0
INUSE_ARGS="vfiotest.raid=$A_MD1,$A_MD2 vfiotest.lvm=$A_PV vfiotest.btrfs=$A_BT1,$A_BT2"
INUSE_ARGS="$INUSE_ARGS vfiotest.swap=$A_SWAP vfiotest.free=$A_FREE vfiotest.net=$A_NIC1"

# devset_inuse: the base devices and seven NVMe controllers, each with its own sparse raw disk
# (new for every boot, beside the serial log; btrfs RAID1 wants about 128 MiB a member).
devset_inuse() {
	local d=${LOG%.log}.disks n=0 role size
	rm -rf "$d"
	mkdir -p "$d"
	DEV=("${BASE_DEVICES[@]}")
	for role in md1:64M md2:64M pv:96M bt1:160M bt2:160M swap:32M free:32M; do
		size=${role#*:} role=${role%:*}
		truncate -s "$size" "$d/$role.raw"
		DEV+=(-drive "file=$d/$role.raw,if=none,id=nv$n,format=raw"
			-device "nvme,addr=$(printf %x $((n + 16))).0,serial=vft-$role,drive=nv$n")
		n=$((n + 1))
	done
	# Building md, LVM-thin and btrfs under TCG and asking vfio-bind 21 times takes about a
	# minute on top of the boot under TCG, five on a loaded machine (run_scenario runs in its
	# own subshell: this boot only).
	VM_TIMEOUT=$((VM_TIMEOUT * 4))
}

# --- what the guest said (payload/vfiotest-inuse) ---
inuse_facts() { sed -n "s/^VFT inuse-fact //p" "$LOG"; }
inuse_rc() { sed -n "s/^VFT inuse-cmd $1 $2 $3 rc=//p" "$LOG"; }
inuse_out() { sed -n "s/^VFT inuse-out $1 $2 $3 //p" "$LOG"; }
inuse_blk() { inuse_facts | sed -n "s/^blk $1 $2 //p"; }

# refused_with ROLE ADDR CMD HOLDER: the command failed, said so, and named HOLDER (an ERE).
# For check --next-boot: the plan's warning that ADDR is in use names HOLDER.
refused_with() {
	local role=$1 a=$2 cmd=$3 holder=$4 out rc
	out=$(inuse_out "$role" "$a" "$cmd")
	rc=$(inuse_rc "$role" "$a" "$cmd")
	case $cmd in
	next)
		echo "$out" | grep -F "$a is in use" | grep -Eq -- "$holder"
		;;
	add)
		# refused, naming the holder, and the file does not name the device
		[ -n "$rc" ] && [ "$rc" != 0 ] && echo "$out" | grep -q 'refused' &&
			echo "$out" | grep -Eq -- "$holder" && ! conf_has "$role" "$a"
		;;
	claim)
		[ -n "$rc" ] && [ "$rc" != 0 ] && echo "$out" | grep -q 'refused' &&
			echo "$out" | grep -Eq -- "$holder" && ! echo "$out" | grep -q 'would be claimed'
		;;
	esac
}
# the selector add wrote for ADDR ("vfio.bind=VEN:DEV@BB:DD.F" with the short address)
conf_has() { grep -q "^VFT inuse-conf $1 $2 vfio\.bind=.*@${2#0000:}\b" "$LOG"; }
# add_ok OUT RC: added, nothing refused; exit 0, or not 0 only because the guest (an
# initramfs) has no generator to rebuild the image with (persist.c says so even with
# --no-rebuild): every error line is about the initramfs
add_ok() {
	echo "$1" | grep -q ': added vfio\.bind=' || return 1
	echo "$1" | grep -q 'refused' && return 1
	[ "$2" = 0 ] && return 0
	[ -n "$2" ] && echo "$1" | grep -q '^vfio-bind: .*initramfs' &&
		! echo "$1" | grep '^vfio-bind: ' | grep -vq 'initramfs'
}
accepted() {
	local a=$2 out rc
	out=$(inuse_out "$1" "$a" "$3")
	rc=$(inuse_rc "$1" "$a" "$3")
	case $3 in
	add) add_ok "$out" "$rc" && conf_has "$1" "$a" ;;
	claim) [ "$rc" = 0 ] && echo "$out" | grep -q "$a .* would be claimed" ;;
	next)
		echo "$out" | grep -Eq "^$a .* claim " && ! echo "$out" | grep -qF "$a is in use"
		;;
	esac
}
# all three commands refuse ADDR naming HOLDER; WHAT describes it in the failure
refused_all() {
	local role=$1 a=$2 holder=$3 what=$4 cmd
	for cmd in add claim next; do
		expect "$cmd: $a ($what) refused, naming /$holder/: $(inuse_out "$role" "$a" "$cmd" |
			grep -F "$a" | grep -iE 'refused|in use' | head -n1 | cut -c1-160)" \
			refused_with "$role" "$a" $cmd "$holder"
	done
}

# fact_has ERE [ERE]: a fact line matches the first pattern (and that line the second)
fact_has() { inuse_facts | grep -E -- "$1" | grep -Eq -- "${2:-.}"; }

judge_inuse() {
	local md1 md2 pv bt1 bt2 sw fr ifc md dms cmd thin b
	expect "the in-use step ran to its end (VFT inuse-done)" grep -q '^VFT inuse-done' "$LOG"
	md1=$(inuse_blk md $A_MD1) md2=$(inuse_blk md $A_MD2) pv=$(inuse_blk lvm $A_PV)
	bt1=$(inuse_blk btrfs $A_BT1) bt2=$(inuse_blk btrfs $A_BT2)
	sw=$(inuse_blk swap $A_SWAP) fr=$(inuse_blk free $A_FREE)
	ifc=$(inuse_facts | sed -n "s/^ifc $A_NIC1 //p")
	md=$(inuse_facts | sed -n 's/^mdstat \(md[0-9]*\) : active raid1 .*/\1/p' | head -n1)
	# The setup, as the guest's kernel reports it: without it the verdicts prove nothing.
	for b in md1 md2 pv bt1 bt2 sw fr; do
		[ -n "${!b}" ] || FAILS+=("setup: a namespace on each NVMe controller (none for $b)")
	done
	expect "setup: md RAID1 over $md1 and $md2 active (/proc/mdstat)" \
		fact_has "^mdstat ${md:-none} : active raid1 " "$md1\\[.*$md2\\[|$md2\\[.*$md1\\["
	expect "setup: the thin volume vfvg-thin1 active (device-mapper)" \
		fact_has '^dm dm-[0-9]+ vfvg-thin1$'
	expect "setup: the thin pool vfvg-pool-tpool over $pv (holders/)" \
		fact_has "^holders $pv " 'vfvg-pool-tpool'
	thin=$(inuse_facts | sed -n 's/^dm \(dm-[0-9]*\) vfvg-thin1$/\1/p')
	expect_not "setup: the thin volume is not mounted" \
		fact_has "^mount .* /dev/(mapper/vfvg-thin1|vfvg/thin1|${thin:-none}) "
	expect "setup: btrfs RAID1 (data, metadata) over $bt1 and $bt2 (/sys/fs/btrfs)" \
		fact_has "^btrfs .* data raid1 metadata raid1 devices .*\\b$bt1\\b" "\\b$bt2\\b"
	expect "setup: btrfs mounted on /mnt (mountinfo)" fact_has '^mount /mnt btrfs /dev/'
	expect "setup: swap on /dev/$sw active (/proc/swaps)" fact_has "^swaps /dev/$sw "
	expect "setup: $ifc has 192.0.2.10/24 (ip addr)" \
		fact_has "^addr [0-9]+: $ifc .*inet 192\\.0\\.2\\.10/24"
	expect_not "setup: no default route" fact_has '^route[46] default'

	# What holds each: the kernel's names for it.
	refused_all md $A_MD1 "\\b${md:-md[0-9]+}\\b" "md RAID1 member"
	refused_all md $A_MD2 "\\b${md:-md[0-9]+}\\b" "md RAID1 member"
	dms=$(inuse_facts | sed -n "s/^holders $pv //p" | grep -oE 'dm-[0-9]+' | tr '\n' '|')
	refused_all lvm $A_PV "\\b(${dms}vfvg)\\b" "LVM-thin PV"
	refused_all btrfs $A_BT1 'btrfs|/mnt' "btrfs RAID1 member"
	refused_all btrfs $A_BT2 'btrfs|/mnt' "btrfs RAID1 member"
	refused_all swap $A_SWAP 'swap' "swap"
	refused_all net $A_NIC1 "\\b$ifc\\b.*192\\.0\\.2\\.10|192\\.0\\.2\\.10.*\\b$ifc\\b" \
		"NIC with an address, no default route"
	# --dry-run and a refusal change nothing: every device is still with its driver
	for b in $A_MD1 $A_MD2 $A_PV $A_BT1 $A_BT2 $A_SWAP $A_FREE; do
		kept $b nvme
	done
	kept $A_NIC1 e1000
	expect "no device on vfio-pci" no_vfio_pci
	for cmd in add claim next; do
		expect "$cmd: the free $A_FREE accepted: $(inuse_out free $A_FREE $cmd | head -n1 |
			cut -c1-120)" accepted free $A_FREE $cmd
	done
}

scenario initramfs-tools+inuse in-use-refused seabios "$IOMMU $INUSE_ARGS" inuse judge_inuse
