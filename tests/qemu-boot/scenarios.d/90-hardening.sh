# Issue 9, item 8: `make install PREFIX=/usr/local` must give images that run the binary. The
# hooks take it from /usr/local/sbin on the host and put it where the boot scripts look for it.

# variant_usrlocal DIR: a staging root made by make install PREFIX=/usr/local
variant_usrlocal() {
	make -s -C "$top" install DESTDIR="$1/stage" PREFIX=/usr/local
	[ -x "$1/stage/usr/local/sbin/vfio-bind" ]
}

judge_usrlocal() {
	judge_nic_by_address
	expect "log: the summary line" has_klog "vfio-bind: 1 claimed, 0 refused"
}

scenario initramfs-tools+usrlocal prefix-usr-local seabios "$IOMMU no_timer_check vfio.bind=00:04.0" base \
	judge_usrlocal
scenario dracut+usrlocal prefix-usr-local seabios "$IOMMU no_timer_check vfio.bind=00:04.0" base judge_usrlocal
