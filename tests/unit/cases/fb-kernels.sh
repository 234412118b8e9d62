# The boot framebuffer on each kernel shape: who holds it (sysfs parent, then its memory in a
# BAR, then boot_vga), released only from a device being claimed, through whatever driver its
# `driver` link names.

t_fb_efifb_61() {
	# Debian 12's 6.1: efifb on efi-framebuffer.0 under /devices/platform, "efifb" in iomem
	fixture igpu-efifb
	cmdline "vfio.bind=00:02.0"
	boot
	expect_driver 0000:00:02.0 vfio-pci
	expect_log_prio 5 "released the boot framebuffer efi-framebuffer.0 (efi-framebuffer) from 0000:00:02.0: its memory e0000000-e07e8fff lies in BAR 0"
	expect_write /sys/bus/platform/drivers/efi-framebuffer/unbind efi-framebuffer.0
}

t_fb_simpledrm_bootfb() {
	fixture fb-simpledrm-bootfb
	cmdline "vfio.bind=01:00.0"
	boot
	expect_driver 0000:01:00.0 vfio-pci
	expect_log_prio 5 "released the boot framebuffer simple-framebuffer.0 (simple-framebuffer, module simpledrm) from 0000:01:00.0: its memory e0000000-e07e8fff lies in BAR 0"
	expect_write /sys/bus/platform/drivers/simple-framebuffer/unbind simple-framebuffer.0
	expect_write /sys/class/vtconsole/vtcon1/bind 0
	! grep -q simpledrm "$ROOT/proc/fb" || fail "/proc/fb still lists simpledrm's framebuffer"
	! grep -q BOOTFB "$ROOT/proc/iomem" || fail "BOOTFB is still in /proc/iomem"
}

t_fb_efidrm() {
	# a driver named in no list: the unbind goes where the driver link points
	fixture fb-efidrm
	cmdline "vfio.bind=8086:1912"
	boot
	expect_driver 0000:00:02.0 vfio-pci
	expect_log "released the boot framebuffer efi-framebuffer.0 (efidrm) from 0000:00:02.0: its memory c0000000-c07e8fff lies in BAR 0"
	expect_write /sys/bus/platform/drivers/efidrm/unbind efi-framebuffer.0
}

t_fb_parent_is_the_gpu() {
	# no address readable, not boot VGA: the sysfs parent alone names the holder
	fixture fb-parent-gpu
	cmdline "vfio.bind=00:02.0"
	boot
	expect_driver 0000:00:02.0 vfio-pci
	expect_log "released the boot framebuffer simple-framebuffer.0 (simple-framebuffer, module simpledrm) from 0000:00:02.0: its parent in sysfs"
}

t_fb_two_gpus_host_keeps_it() {
	# BOOTFB lies in the host iGPU's BAR: the claimed card's boot_vga flag must not win
	fixture fb-two-gpus-host
	cmdline "vfio.bind=01:00.0,01:00.1"
	boot
	expect_driver 0000:01:00.0 vfio-pci
	expect_driver 0000:01:00.1 vfio-pci
	expect_no_log "framebuffer"
	expect_no_write_about simple-framebuffer
	expect_no_write_about vtcon1
	grep -q simpledrm "$ROOT/proc/fb" || fail "the host's framebuffer is gone from /proc/fb"
}

t_fb_two_gpus_host_parent() {
	# the same on 6.9+: the framebuffer sits under the host iGPU in sysfs, and no address
	# is readable: the parent wins over the claimed card's boot_vga flag
	fixture fb-two-gpus-host
	sys=$ROOT/sys
	mkdir -p "$sys/devices/pci0000:00/0000:00:02.0"
	mv "$sys/devices/platform/simple-framebuffer.0" "$sys/devices/pci0000:00/0000:00:02.0/"
	rm "$sys/bus/platform/devices/simple-framebuffer.0" \
		"$sys/devices/pci0000:00/0000:00:02.0/simple-framebuffer.0/driver"
	ln -s ../../../devices/pci0000:00/0000:00:02.0/simple-framebuffer.0 \
		"$sys/bus/platform/devices/simple-framebuffer.0"
	ln -s ../../../../bus/platform/drivers/simple-framebuffer \
		"$sys/devices/pci0000:00/0000:00:02.0/simple-framebuffer.0/driver"
	sed -i 's/^4000000000-40007e8fff/0-0/' "$ROOT/proc/iomem"
	cmdline "vfio.bind=01:00.0"
	boot
	expect_driver 0000:01:00.0 vfio-pci
	expect_no_log "framebuffer"
	expect_no_write_about simple-framebuffer
}

t_fb_boot_vga_last_resort() {
	# no parent, no address: boot_vga decides, and says so
	fixture fb-simpledrm-bootfb
	sed -i 's/^e0000000-e07e8fff/0-0/' "$ROOT/proc/iomem"
	cmdline "vfio.bind=01:00.0"
	boot
	expect_driver 0000:01:00.0 vfio-pci
	expect_log "released the boot framebuffer simple-framebuffer.0 (simple-framebuffer, module simpledrm) from 0000:01:00.0: boot_vga"
}

t_fb_dry_run_writes_nothing() {
	fixture fb-simpledrm-bootfb
	cmdline "vfio.bind=01:00.0"
	vb --dry-run boot
	expect_no_writes
}
