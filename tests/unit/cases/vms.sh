# From the VMs to the token: suggest --vms, add --vms and check read Proxmox VE's VM
# configurations (this node's, with the cluster's PCI mappings) and libvirt's domain XML.
# add --now and claim of a slot.

# pve_cluster: node pve2 of a three-node cluster, as pmxcfs shows it under /etc/pve
pve_cluster() {
	fixture pve-node2
	put etc/hostname pve2
	put etc/pve/mapping/pci.cfg \
		'gpu' \
		'	map id=10de:2d04,iommugroup=14,node=pve1,path=0000:0a:00.0,subsystem-id=10b0:205e' \
		'	map id=10de:2d04,iommugroup=12,node=pve2,path=0000:01:00,subsystem-id=10b0:205e' \
		'	map id=10de:2d04,iommugroup=31,node=pve3,path=0000:81:00,subsystem-id=10b0:205e' \
		'	description RTX 5060 Ti, one per node' \
		'' \
		'hba' \
		'	map id=1000:0072,iommugroup=15,node=pve1,path=0000:04:00.0,subsystem-id=1000:3020' \
		'	map id=1000:0072,iommugroup=14,node=pve2,path=0000:03:00.0,subsystem-id=1000:3020' \
		'' \
		'old-gtx' \
		'	map id=10de:1b80,iommugroup=40,node=pve2,path=0000:42:00.0,subsystem-id=10de:119e' \
		'	mdev 0'
	put etc/pve/nodes/pve2/qemu-server/100.conf \
		'#Windows 11 gaming' \
		'agent: 1' \
		'bios: ovmf' \
		'boot: order=scsi0;net0' \
		'cores: 8' \
		'cpu: host' \
		'efidisk0: local-lvm:vm-100-disk-0,efitype=4m,pre-enrolled-keys=1,size=4M' \
		'hostpci0: mapping=gpu,pcie=1,x-vga=1' \
		'machine: pc-q35-8.1' \
		'memory: 16384' \
		'name: win11' \
		'net0: virtio=BC:24:11:5E:0A:31,bridge=vmbr0,firewall=1' \
		'ostype: win11' \
		'parent: before-driver' \
		'scsi0: local-lvm:vm-100-disk-1,discard=on,iothread=1,size=256G' \
		'scsihw: virtio-scsi-single' \
		'smbios1: uuid=5f0e1d0c-3b1a-4b8e-9a59-2e0f4b1c7d21' \
		'tpmstate0: local-lvm:vm-100-disk-2,size=4M,version=v2.0' \
		'vga: none' \
		'vmgenid: 1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f' \
		'' \
		'[before-driver]' \
		'bios: ovmf' \
		'cores: 8' \
		'hostpci0: 0000:42:00,pcie=1,x-vga=1' \
		'machine: pc-q35-8.1' \
		'memory: 16384' \
		'name: win11' \
		'snaptime: 1733650000' \
		'vga: none'
	put etc/pve/nodes/pve2/qemu-server/101.conf \
		'boot: order=scsi0' \
		'cores: 4' \
		'hostpci0: 0000:03:00.0,rombar=0' \
		'memory: 8192' \
		'name: truenas' \
		'net0: virtio=BC:24:11:2A:7C:10,bridge=vmbr0' \
		'scsi0: local-lvm:vm-101-disk-0,size=32G'
	put etc/pve/nodes/pve1/qemu-server/110.conf \
		'hostpci0: 0000:42:00.0;0000:42:00.1' \
		'name: elsewhere'
	mkdir -p "$ROOT/etc/pve/nodes/pve3/qemu-server"
	ln -s nodes/pve2 "$ROOT/etc/pve/local"
	ln -s local/qemu-server "$ROOT/etc/pve/qemu-server"
}

# libvirt_host: a domain with the GTX 1080 Ti and its audio, as virsh define writes it
libvirt_host() {
	fixture pve-node2
	put etc/libvirt/qemu/win10.xml \
		'<!--' \
		'WARNING: THIS IS AN AUTO-GENERATED FILE. CHANGES TO IT ARE LIKELY TO BE' \
		'OVERWRITTEN AND LOST. Changes to this xml configuration should be made using:' \
		'  virsh edit win10' \
		'or other application using the libvirt API.' \
		'-->' \
		'' \
		"<domain type='kvm'>" \
		'  <name>win10</name>' \
		'  <uuid>8a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d</uuid>' \
		"  <memory unit='KiB'>8388608</memory>" \
		"  <os><type arch='x86_64' machine='pc-q35-7.2'>hvm</type></os>" \
		'  <devices>' \
		'    <emulator>/usr/bin/qemu-system-x86_64</emulator>' \
		"    <hostdev mode='subsystem' type='pci' managed='yes'>" \
		"      <source>" \
		"        <address domain='0x0000' bus='0x42' slot='0x00' function='0x0'/>" \
		"      </source>" \
		"      <rom bar='on'/>" \
		"      <address type='pci' domain='0x0000' bus='0x05' slot='0x00' function='0x0'/>" \
		"    </hostdev>" \
		"    <hostdev mode='subsystem' type='pci' managed='yes'>" \
		"      <source>" \
		"        <address domain='0x0000' bus='0x42' slot='0x00' function='0x1'/>" \
		"      </source>" \
		"      <address type='pci' domain='0x0000' bus='0x06' slot='0x00' function='0x0'/>" \
		"    </hostdev>" \
		"    <hostdev mode='subsystem' type='usb' managed='yes'>" \
		"      <source><vendor id='0x046d'/><product id='0xc52b'/></source>" \
		"    </hostdev>" \
		"    <interface type='network'><source network='default'/>" \
		"      <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>" \
		"    </interface>" \
		'  </devices>' \
		'</domain>'
}

t_suggest_vms_cluster() {
	pve_cluster
	vb suggest --vms
	expect_rc 0
	# the mapping for this node, with its subsystem on function 0; the HBA through hostpci
	expect_out "vfio.bind=10de:2d04:10b0:205e@01:00.0,10de:22eb@01:00.1,1000:0072@03:00.0"
	expect_out "# VM 100 (win11): hostpci0 mapping=gpu ("
	expect_out "qemu-server/101.conf:3): 0000:03:00.0"
	# the snapshot's hostpci, the other nodes' maps and VMs, libvirt's absence: nothing
	expect_no_out "42:00"
	expect_no_out "0a:00"
	vb suggest --vms truenas
	expect_rc 0
	expect_out "vfio.bind=1000:0072@03:00.0"
	vb suggest --vms 100
	expect_out "vfio.bind=10de:2d04:10b0:205e@01:00.0,10de:22eb@01:00.1"
	vb suggest --vms 110
	expect_rc 1
	expect_err "no VM '110' with a PCI device on this node"
	expect_no_writes
}

t_suggest_vms_stale_mapping_and_in_use() {
	pve_cluster
	put etc/pve/nodes/pve2/qemu-server/102.conf 'name: old' 'hostpci0: mapping=old-gtx'
	put etc/pve/nodes/pve2/qemu-server/103.conf 'name: router' 'hostpci0: 00:1f.6'
	vb suggest --vms old router win11
	expect_rc 0
	expect_out "mapping=old-gtx (${ROOT}/etc/pve/nodes/pve2/qemu-server/102.conf:2) left out: the mapping does not match this node's hardware: id 10de:1b80 expected at 0000:42:00.0, 10de:1b06 found"
	expect_out "# 0000:00:1f.6 8086:15bc (Ethernet controller) stays with the host, it is in use:"
	expect_out "vfio.bind=10de:2d04:10b0:205e@01:00.0,10de:22eb@01:00.1"
	vb suggest --vms router
	expect_rc 1
	expect_err "nothing to suggest: the running system uses what was asked for"
}

t_suggest_vms_libvirt() {
	libvirt_host
	vb suggest --vms
	expect_rc 0
	# the source addresses, not the guest-side <address type='pci'> nor the interface's
	expect_out "vfio.bind=10de:1b06@42:00.0,10de:10ef@42:00.1"
	expect_out "# VM win10: hostdev (${ROOT}/etc/libvirt/qemu/win10.xml:17): 0000:42:00.0"
	expect_no_out "05:00"
	expect_no_out "@01:00"
}

t_add_vms_writes_them() {
	pve_cluster
	vb --no-rebuild add --vms
	expect_rc 0
	grep -qx "vfio.bind=10de:2d04:10b0:205e@01:00.0,10de:22eb@01:00.1,1000:0072@03:00.0" \
		"$ROOT/etc/vfio-bind.conf" || fail "file: $(cat "$ROOT/etc/vfio-bind.conf")"
	vb --no-rebuild add --vms
	expect_rc 0
	expect_out "nothing to add"
	expect_no_writes
	# the boot reads them as written: the mapping's subsystem guard holds
	boot
	expect_driver 0000:01:00.0 vfio-pci
	expect_driver 0000:01:00.1 vfio-pci
	expect_driver 0000:03:00.0 vfio-pci
	expect_driver 0000:42:00.0 none
}

t_add_vms_refuses_bad_config() {
	pve_cluster
	put etc/pve/nodes/pve2/qemu-server/104.conf 'name: broken' 'hostpci0: 0000:zz:00.0,pcie=1'
	vb --no-rebuild add --vms
	expect_rc 1
	expect_err "qemu-server/104.conf:2: hostpci0: '0000:zz:00.0' is not a PCI address; not used"
	expect_err "nothing changed"
	[ ! -e "$ROOT/etc/vfio-bind.conf" ] || fail "the file was written"
}

t_vms_hostile_content() {
	pve_cluster
	long=$(head -c 70000 /dev/zero | tr '\0' 'a')
	put etc/pve/nodes/pve2/qemu-server/105.conf "hostpci0: $long"
	printf 'name: nul\nhostpci0: 01:00.0\000,pcie=1\n' > "$ROOT/etc/pve/nodes/pve2/qemu-server/106.conf"
	put etc/pve/nodes/pve2/qemu-server/107.conf 'hostpci0: mapping=../../../etc/passwd'
	put etc/pve/nodes/pve2/qemu-server/..conf 'hostpci0: 42:00.0'
	put etc/pve/nodes/pve2/qemu-server/108.conf 'hostpci0: 42:00.8' 'hostpci1: host=01:00.0;../42:00.0'
	put etc/libvirt/qemu/evil.xml "<domain><name>../../x</name><devices>" \
		"<hostdev mode='subsystem' type='pci'><source>" \
		"<address domain='0x0000' bus='0x1ff' slot='0x00' function='0x0'/>" \
		"</source></hostdev></devices></domain>"
	put etc/libvirt/qemu/cut.xml "<domain><name>cut</name><devices>" \
		"<hostdev mode='subsystem' type='pci'><source>" \
		"<address domain='0x0000' bus='0x42' slot='0x00' function='0x0'/>"
	vb suggest --vms
	expect_rc 1
	expect_err "105.conf:1: hostpci0: a value of "
	expect_err "106.conf:2: a NUL byte: the file is not text, none of it is read; not used"
	expect_err "107.conf:1: hostpci0: '../../../etc/passwd' is not a mapping name; not used"
	expect_err "108.conf:1: hostpci0: '42:00.8' is not a PCI address; not used"
	expect_err "108.conf:2: hostpci1: '../42:00.0' is not a PCI address; not used"
	expect_err "evil.xml:3: <hostdev> source address bus='0x1ff' is not a number within 0-0xff; not used"
	expect_err "cut.xml:4: the file ends inside <source>: none of it; not used"
	# what could be read is used; nothing from the files above
	expect_out "vfio.bind=10de:2d04:10b0:205e@01:00.0,10de:22eb@01:00.1,1000:0072@03:00.0"
	expect_no_out "42:00"
	grep -c . "$ROOT/err" | { read n; [ "$n" -le 9 ] || fail "$n lines on stderr"; }
}

t_vms_hostname_not_a_path() {
	pve_cluster
	put etc/hostname '../pve2'
	vb suggest --vms
	expect_rc 1
	expect_err "the host name '../pve2' is not a Proxmox VE node name; /etc/pve/nodes/ not read"
}

t_check_vms() {
	pve_cluster
	put etc/pve/mapping/pci.cfg \
		'gpu' \
		'	map id=10de:2d04,iommugroup=12,node=pve2,path=0000:01:00,subsystem-id=10b0:205e' \
		'' \
		'hba' \
		'	map id=1000:0072,iommugroup=14,node=pve2,path=0000:03:00.0,subsystem-id=1000:3021' \
		'' \
		'old-gtx' \
		'	map id=10de:1b80,iommugroup=40,node=pve2,path=0000:42:00.0,subsystem-id=10de:119e'
	put etc/pve/nodes/pve2/qemu-server/101.conf 'name: truenas' 'hostpci0: mapping=hba'
	cmdline "root=/dev/mapper/pve-root ro quiet vfio.bind=10de:2d04:10b0:205e@01:00.0,10de:1b06@42:00.0"
	boot
	vb check
	expect_rc 1
	expect_out "[FAIL] VM 100 (win11) uses 0000:01:00.1 10de:22eb (hostpci0 mapping=gpu), which is not claimed at boot: snd_hda_intel takes it"
	expect_out "[ OK ] VM 100 (win11) uses 0000:01:00.0 10de:2d04: claimed at boot"
	expect_out "[FAIL] mapping 'hba' ("
	expect_out "subsystem-id 1000:3021 expected at 0000:03:00.0, 1000:3020 found"
	expect_out "[FAIL] mapping 'old-gtx' ("
	expect_out "[WARN] 0000:42:00.0 10de:1b06 is claimed at boot, but no VM on this node uses it"
	expect_out "fix: 'vfio-bind add --vms 100'"
}

t_check_without_vms_says_nothing_of_them() {
	setup pve-node2 "vfio.bind=10de:1b06@42:00.0"
	vb check
	expect_no_out "VM"
	expect_no_out "mapping '"
}

t_claim_slot() {
	setup pve-node2 ""
	vb claim 42:00
	expect_rc 0
	expect_out "0000:42:00.0 10de:1b06 claimed"
	expect_out "0000:42:00.1 10de:10ef claimed"
	expect_driver 0000:42:00.0 vfio-pci
	expect_driver 0000:42:00.1 vfio-pci
}

t_claim_slot_in_use_per_function() {
	setup pve-node2 ""
	vb claim 00:1f
	expect_rc 1
	expect_err "0000:00:1f.6 8086:15bc refused: in use:"
	expect_driver 0000:00:1f.6 e1000e
}

t_add_now_claims_and_persists() {
	setup pve-node2 ""
	vb --no-rebuild add --now 42:00
	expect_rc 0
	grep -qx "vfio.bind=10de:1b06@42:00.0,10de:10ef@42:00.1" "$ROOT/etc/vfio-bind.conf" ||
		fail "file: $(cat "$ROOT/etc/vfio-bind.conf")"
	expect_out "0000:42:00.0 10de:1b06 claimed"
	expect_driver 0000:42:00.0 vfio-pci
	expect_driver 0000:42:00.1 vfio-pci
}

t_add_now_vms() {
	pve_cluster
	vb --no-rebuild add --now --vms win11
	expect_rc 0
	expect_driver 0000:01:00.0 vfio-pci
	expect_driver 0000:01:00.1 vfio-pci
	expect_driver 0000:03:00.0 mpt3sas
	grep -qx "vfio.bind=10de:2d04:10b0:205e@01:00.0,10de:22eb@01:00.1" "$ROOT/etc/vfio-bind.conf" ||
		fail "file: $(cat "$ROOT/etc/vfio-bind.conf")"
}

t_add_now_dry_run_claims_nothing() {
	setup pve-node2 ""
	vb --no-rebuild --dry-run add --now 42:00.0
	expect_rc 0
	expect_out "0000:42:00.0 10de:1b06 would be claimed"
	expect_driver 0000:42:00.0 none
	expect_no_writes
}

t_libvirt_host_name_not_a_node_name() {
	libvirt_host
	put etc/hostname 'kvm_host.example.org'
	vb suggest --vms win10
	expect_rc 0
	expect_out "vfio.bind=10de:1b06@42:00.0,10de:10ef@42:00.1"
	[ ! -s "$ROOT/err" ] || fail "stderr: $(cat "$ROOT/err")"
}
