# systemd-boot (Proxmox VE on ZFS or UEFI; any system whose kernel command line is the one
# line in /etc/kernel/cmdline): append vfio.bind= to that line once, then copy it to the
# EFI system partitions. Put your devices in vfio.bind= (see vfio-bind(7)).
grep -q 'vfio[._]bind=' /etc/kernel/cmdline ||
	sed -i '1s/$/ vfio.bind=10de:1c03,10de:10f1/' /etc/kernel/cmdline
proxmox-boot-tool refresh
# Without Proxmox: kernel-install add "$(uname -r)" "/boot/vmlinuz-$(uname -r)"
