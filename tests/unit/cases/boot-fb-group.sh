# The boot framebuffer and IOMMU groups.

t_efifb_released() {
	fixture igpu-efifb
	cmdline "vfio.bind=8086:1912"
	boot
	expect_driver 0000:00:02.0 vfio-pci
	expect_log_prio 5 "released the boot framebuffer efi-framebuffer.0 (efi-framebuffer) from 0000:00:02.0"
	expect_write /sys/class/vtconsole/vtcon1/bind 0
	expect_write /sys/bus/platform/drivers/efi-framebuffer/unbind efi-framebuffer.0
	! grep -q "EFI VGA" "$ROOT/proc/fb" || fail "/proc/fb still lists the EFI framebuffer"
	# the console goes first, then the framebuffer, then the probe
	order=$(writes | cut -f1 | grep -n -e vtcon1/bind -e efi-framebuffer/unbind -e drivers_probe |
		cut -d: -f1 | tr '\n' ' ')
	set -- $order
	[ "$1" -lt "$2" ] && [ "$2" -lt "$3" ] || fail "order of writes: $(writes)"
	expect_no_write_about vtcon0
}

t_fb_by_bar_not_boot_vga() {
	# efifb lies in a BAR of a device that is not flagged boot VGA: still released
	fixture igpu-efifb
	echo 0 > "$ROOT/sys/devices/pci0000:00/0000:00:02.0/boot_vga"
	cmdline "vfio.bind=00:02.0"
	boot
	expect_driver 0000:00:02.0 vfio-pci
	expect_log "released the boot framebuffer efi-framebuffer.0"
}

t_fb_elsewhere_untouched() {
	# efifb on the host's boot GPU (03:00.0), the claimed card is the other one
	fixture two-amd
	cat >> "$ROOT/proc/iomem" <<-IOMEM
	c0000000-c07e8fff : efifb
	IOMEM
	mkdir -p "$ROOT/sys/devices/platform/efi-framebuffer.0" "$ROOT/sys/bus/platform/drivers/efi-framebuffer"
	ln -s ../../../devices/platform/efi-framebuffer.0 "$ROOT/sys/bus/platform/devices/efi-framebuffer.0"
	ln -s ../../../bus/platform/drivers/efi-framebuffer "$ROOT/sys/devices/platform/efi-framebuffer.0/driver"
	cmdline "vfio.bind=0b:00.0"
	boot
	expect_driver 0000:0b:00.0 vfio-pci
	expect_no_log "framebuffer"
	expect_no_write_about efi-framebuffer
}

t_boot_vga_fallback_without_addresses() {
	# /proc/iomem read without privilege shows zeros: fall back to the boot-VGA flag
	fixture igpu-efifb
	sed -i 's/^e0000000-e07e8fff/00000000-00000000/' "$ROOT/proc/iomem"
	cmdline "vfio.bind=00:02.0"
	boot
	expect_log "released the boot framebuffer efi-framebuffer.0"
	expect_driver 0000:00:02.0 vfio-pci
}

t_keep_fb() {
	fixture igpu-efifb
	cmdline "vfio_bind.keep_fb=1 vfio.bind=8086:1912"
	boot
	expect_log "0000:00:02.0 keeps the boot framebuffer efi-framebuffer.0 (vfio_bind.keep_fb=1)"
	expect_no_write_about efi-framebuffer
	# vfio-pci cannot reserve the BAR: fail safe
	expect_log "0000:00:02.0 8086:1912 released to host"
	expect_override 0000:00:02.0 "(null)"
}

t_fb_tokens_reported() {
	fixture pve-rtx
	cmdline "initcall_blacklist=sysfb_init video=efifb:off modprobe.blacklist=nouveau vfio.bind=01:00.0"
	boot
	expect_log_prio 6 "initcall_blacklist=sysfb_init on the command line"
	expect_log_prio 6 "video=efifb:off on the command line"
	expect_log_prio 6 "modprobe.blacklist=nouveau on the command line; vfio-bind needs no driver blacklist"
	expect_driver 0000:01:00.0 vfio-pci
}

t_group_not_viable() {
	fixture turing
	cmdline "vfio.bind=01:00.0,01:00.1"
	boot
	expect_driver 0000:01:00.0 vfio-pci
	expect_log_prio 4 "warning: IOMMU group 1 of 0000:01:00.0 is not viable for a VM: 0000:01:00.2 10de:1ad8 (xhci_hcd), 0000:01:00.3 10de:1ad9 (no driver yet)"
	expect_log_count "not viable" 1
	expect_driver 0000:01:00.2 xhci_hcd
}

t_group_whole_slot_viable() {
	fixture turing
	cmdline "vfio.bind=01:00.*"
	boot
	expect_driver 0000:01:00.2 vfio-pci
	expect_log "0000:01:00.2 10de:1ad8 claimed (was xhci_hcd)"
	expect_log "4 claimed"
	expect_no_log "not viable"
}
