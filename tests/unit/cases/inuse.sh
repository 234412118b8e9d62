# In use by the running system (inuse.c): one verdict for add, claim, suggest and
# check --next-boot, on fake roots shaped like real hosts (fixtures pve-zfs, nvme-multipath,
# btrfs-raid1, pve-lvm-thin, nfs-root, wireguard, pve-cluster, sriov-inuse, pve-sata-root,
# cyclic-holders). Each refusal names what holds the device.

conf_file() { echo "$ROOT/etc/vfio-bind.conf"; }
expect_no_conf() { [ ! -e "$(conf_file)" ] || fail "file written: $(cat "$(conf_file)")"; }

# refused ADDR TEXT: add and claim --dry-run both refuse ADDR, naming TEXT; nothing written
refused() {
	vb --no-rebuild add "$1"
	expect_rc 1
	expect_err "refused: in use: $2"
	expect_err "--force does it anyway"
	expect_no_conf
	vb --dry-run claim "$1"
	expect_rc 1
	expect_err "refused: in use: $2"
	expect_no_writes
}

# free ADDR: add accepts it (the file is removed again)
free() {
	vb --no-rebuild add "$1"
	[ "$RC" -eq 0 ] || fail "add $1 exited $RC: $(cat "$ROOT/err")"
	rm -f "$(conf_file)"
}

# Proxmox VE on ZFS RAID1: the vdevs answer an exclusive open with EBUSY; mountinfo names only
# the datasets (rpool/ROOT/pve-1 on /).
t_zfs_root_vdevs() {
	fixture pve-zfs
	refused 01:00.0 "nvme0n1p3 zfs pool rpool. Claiming"
	refused 02:00.0 "nvme1n1p3 busy (exclusive open: Device or resource busy): zfs pool rpool is the only pool imported"
	free 03:00.0
	free 0b:00.0
	# the busy answer alone, no pool known: still refused, said as it is
	rm -rf "$ROOT/proc/spl"
	put proc/self/mountinfo "22 1 8:1 / / rw - ext4 /dev/sdz1 rw"
	refused 02:00.0 "nvme1n1p3 busy (exclusive open: Device or resource busy). Claiming"
	# the pool exported: nothing holds the disk
	rm "$ROOT/dev/block/259:4.sim_busy" "$ROOT/dev/block/259:7.sim_busy"
	free 02:00.0
}

# Root on an NVMe native-multipath head under /sys/devices/virtual/nvme-subsystem: the
# controller's function holds it through the subsystem's nvme0 link.
t_nvme_multipath_head() {
	fixture nvme-multipath
	refused 01:00.0 "nvme0n1p1 mounted on /boot/efi (vfat); nvme0n1p2 mounted on / (ext4)"
	free 02:00.0
	free 42:00.0
	# the same from check --next-boot: a configured selector that would take it is a problem
	put etc/vfio-bind.conf "vfio.bind=144d:a808@01:00.0"
	vb check --next-boot
	expect_rc 1
	expect_out "warning: 0000:01:00.0 is in use now (nvme0n1p1 mounted on /boot/efi (vfat); nvme0n1p2 mounted on / (ext4)): the next boot takes it from the host"
}

# btrfs RAID1: mountinfo names sda2 only; sdb2 on the other controller is a member all the same
t_btrfs_raid1_both_members() {
	fixture btrfs-raid1
	refused 05:00.0 "sdb2 btrfs member, mounted on / (btrfs)"
	refused 00:17.0 "sda1 mounted on /boot/efi (vfat); sda2 mounted on / (btrfs)"
	free 06:00.0
	# without /sys/fs/btrfs the exclusive open still says it
	rm -rf "$ROOT/sys/fs/btrfs"
	refused 05:00.0 "sdb2 busy (exclusive open: Device or resource busy). Claiming"
}

# Proxmox's local-lvm: a thin pool on its own disk, not mounted; holders/ names it
t_lvm_thin_not_mounted() {
	fixture pve-lvm-thin
	refused 01:00.0 "nvme0n1p3 held by dm-2 (pve-data-tpool, LVM thin pool). Claiming"
	# no device nodes (no devtmpfs under this root): the holders still count
	rm -rf "$ROOT/dev/block"
	refused 01:00.0 "nvme0n1p3 held by dm-2 (pve-data-tpool, LVM thin pool). Claiming"
	put etc/vfio-bind.conf "vfio.bind=144d:a808@01:00.0"
	vb check --next-boot
	expect_rc 1
	expect_out "warning: 0000:01:00.0 is in use now (nvme0n1p3 held by dm-2 (pve-data-tpool, LVM thin pool)): the next boot takes it from the host"
	rm "$(conf_file)"
	# a thin volume mounted: the mount is named through the holders
	put proc/self/mountinfo "22 1 8:2 / / rw - ext4 /dev/sda2 rw" \
		"30 22 253:4 / /srv rw - xfs /dev/mapper/pve-vm--100--disk--0 rw"
	refused 01:00.0 "nvme0n1p3 held by dm-4 (pve-vm--100--disk--0, LVM, mounted on /srv)"
	# --force adds it, and says why it would not
	vb --no-rebuild --force add 01:00.0
	expect_rc 0
	expect_out "warning: 0000:01:00.0 144d:a808 is in use (nvme0n1p3 held by dm-4"
}

# A diskless node: root on NFS over a NIC that has no default route
t_nfs_root_without_default_route() {
	fixture nfs-root
	refused 01:00.0 "enp1s0 reaches the server 10.0.0.1 of the NFS mount on /"
	# the other NIC is up with its link-local address only
	free 02:00.0
	# a line without super options: the server from the source
	put proc/self/mountinfo "22 1 0:22 / /srv rw - nfs4 10.0.0.1:/srv"
	refused 01:00.0 "enp1s0 reaches the server 10.0.0.1 of the NFS mount on /srv"
}

# The default route through WireGuard; the underlay NIC has the address it runs over
t_wireguard_underlay() {
	fixture wireguard
	refused 03:00.0 "enp3s0 192.168.1.10/24. Claiming"
	free 04:00.0
	free 01:00.0
	# IPv6 only: the address from if_inet6
	printf '' > "$ROOT/proc/net/fib_trie"
	refused 03:00.0 "enp3s0 2001:db8:1::10/64"
	# down, nothing on it: free
	echo 0x1002 > "$ROOT/sys/class/net/enp3s0/flags"
	grep -v enp3s0 "$ROOT/proc/net/route" > "$ROOT/r" && mv "$ROOT/r" "$ROOT/proc/net/route"
	grep -v enp3s0 "$ROOT/proc/net/ipv6_route" > "$ROOT/r" && mv "$ROOT/r" "$ROOT/proc/net/ipv6_route"
	free 03:00.0
}

# A cluster node: corosync's link has an address and no default route; the management NIC is
# a bridge port (the address is on vmbr0)
t_corosync_link_and_bridge_port() {
	fixture pve-cluster
	refused 02:00.0 "enp2s0f0 10.10.10.1/24. Claiming"
	refused 00:1f.6 "eno1 192.168.1.10/24 (vmbr0)"
	free 02:00.1
	# a route through it is enough, without an address
	printf '' > "$ROOT/proc/net/fib_trie"
	refused 02:00.0 "enp2s0f0 carries a route to 10.10.10.0/24"
}

# The host's network on a VF: the VF and its PF are refused, the other PF is not
t_sriov_pf_whose_vf_carries_the_default_route() {
	fixture sriov-inuse
	refused 3b:00.0 "its VF 0000:3b:02.0: enp59s0f0v0 192.168.1.20/24"
	refused 3b:02.0 "enp59s0f0v0 192.168.1.20/24"
	free 3b:02.1
	free af:00.0
}

# A cycle in holders/ and slaves/: each device is walked once. Counted, not timed: the reads
# the program makes (VB_SIM_OPS_LOG) stay in the hundreds (the walk without a visited set
# made millions).
t_cyclic_holders_walked_once() {
	fixture cyclic-holders
	export VB_SIM_OPS_LOG="$ROOT/ops.log"
	vb --no-rebuild add 01:00.0
	unset VB_SIM_OPS_LOG
	expect_rc 0
	n=$(grep -c '^read ' "$ROOT/ops.log")
	[ "$n" -le 400 ] || fail "add 01:00.0 made $n reads"
	rm -f "$(conf_file)" "$ROOT/ops.log"
	export VB_SIM_OPS_LOG="$ROOT/ops.log"
	vb --no-rebuild add 05:00.0
	unset VB_SIM_OPS_LOG
	expect_rc 1
	expect_err "refused: in use: sda1 held by dm-0 (vg-lv0, LVM, mounted on /)"
	n=$(grep -c '^read ' "$ROOT/ops.log")
	[ "$n" -le 400 ] || fail "add 05:00.0 made $n reads"
}

# suggest for the onboard audio: the SATA controller of the root disk, in the same slot and
# IOMMU group, stays out of the token, and suggest says why
t_suggest_leaves_out_the_root_disk_controller() {
	fixture pve-sata-root
	vb suggest 00:1f.3
	expect_rc 0
	expect_out "# 0000:00:1f.2 8086:a102 (SATA controller) stays with the host, it is in use: sda3 held by dm-1 (pve-root, LVM, mounted on /)"
	grep -qx 'vfio.bind=8086:a170@00:1f.3,8086:a123@00:1f.4' "$ROOT/out" ||
		fail "token: $(grep '^vfio.bind=' "$ROOT/out")"
	expect_out "IOMMU group 8 also holds 0000:00:1f.2 8086:a102 (ahci, SATA controller), which the running system uses"
	expect_no_out "add 8086:a102@00:1f.2"
	# asked for the controller itself: nothing to suggest
	vb suggest 00:1f.2
	expect_rc 1
	expect_err "nothing to suggest: the running system uses what was asked for"
	expect_no_out "vfio.bind="
}

# The display the console is on: fbcon on the framebuffer of the function, or the boot VGA
# with a DRM driver under fbcon
t_console_display() {
	fixture pve-sata-root
	refused 00:02.0 "the console is on its display (fb0 i915drmfb)"
	mkdir -p "$ROOT/sys/devices/pci0000:00/0000:00:02.0/drm/card0"
	# fbcon on another GPU's framebuffer: not this one's console
	mkdir -p "$ROOT/sys/devices/pci0000:00/0000:01:00.0/graphics/fb1"
	rm "$ROOT/sys/class/graphics/fb0"
	ln -s ../../devices/pci0000:00/0000:01:00.0/graphics/fb1 "$ROOT/sys/class/graphics/fb1"
	free 00:02.0
	# no framebuffer device at all: the boot VGA with its DRM driver is the console's
	rm -rf "$ROOT/sys/class/graphics"
	refused 00:02.0 "the console is on its display (boot VGA on i915)"
	# fbcon unbound (the console on the VGA text console, or a serial one): free
	echo 0 > "$ROOT/sys/class/vtconsole/vtcon1/bind"
	free 00:02.0
	echo 1 > "$ROOT/sys/class/vtconsole/vtcon1/bind"
	vb --force claim 00:02.0
	expect_rc 0
	expect_out "warning: 0000:00:02.0 8086:1912 is in use (the console is on its display (boot VGA on i915)); claimed anyway (--force)"
	expect_driver 0000:00:02.0 vfio-pci
}

# Names read from sysfs and /proc never become paths unchecked
t_inuse_names_are_checked() {
	fixture pve-lvm-thin
	# a holder whose name has a control byte, and a mount source that climbs out of /dev
	rm "$ROOT/sys/class/block/nvme0n1p3/holders/dm-0" "$ROOT/sys/class/block/nvme0n1p3/holders/dm-1"
	ln -s ../../../../../../../virtual/block/dm-2 "$ROOT/sys/class/block/nvme0n1p3/holders/$(printf 'dm-2\033')"
	put proc/self/mountinfo "22 1 0:5 / / rw - ext4 /dev/../../etc rw"
	rm -f "$ROOT/dev/block/259:3.sim_busy" "$ROOT/dev/block/259:0.sim_busy"
	free 01:00.0
	# a udev label with an escape sequence is printed escaped
	put run/udev/data/b259:3 "E:ID_FS_TYPE=zfs_member" "$(printf 'E:ID_FS_LABEL=t\033[2J')"
	: > "$ROOT/dev/block/259:3.sim_busy"
	refused 01:00.0 'nvme0n1p3 zfs pool t\x1b[2J'
}
