# The vfio device cdev (iommufd, Linux 6.6+): /dev/vfio/devices/vfioN, named by the device's
# vfio-dev/vfioN in sysfs. release refuses while either node is open; status and list show it;
# nothing assumes /dev/vfio/GROUP exists.

# give_cdev ADDR N: the kernel's vfio-dev/vfioN directory for a device on vfio-pci
give_cdev() {
	mkdir -p "$ROOT/sys/bus/pci/devices/$1/vfio-dev/vfio$2"
	echo "511:$2" >"$ROOT/sys/bus/pci/devices/$1/vfio-dev/vfio$2/dev"
}

# 6.1 to 6.5: vfio-dev/vfioN is there, without a devt (no `dev`): no cdev to show or to watch
t_vfio_dev_without_cdev() {
	fixture gtx-hba
	vb claim 42:00.0
	mkdir -p "$ROOT/sys/bus/pci/devices/0000:42:00.0/vfio-dev/vfio0"
	vb list
	expect_rc 0
	expect_no_out "/dev/vfio/devices/vfio0"
	cmdline "vfio.bind=42:00.0"
	vb status
	expect_no_out "cdev"
}

t_release_refuses_cdev_open() {
	fixture gtx-hba
	vb claim 42:00.0
	give_cdev 0000:42:00.0 3
	mkdir -p "$ROOT/proc/4242/fd"
	ln -s /dev/vfio/devices/vfio3 "$ROOT/proc/4242/fd/21"
	: > "$ROOT/sim-writes.log"
	vb release 42:00.0
	expect_rc 1
	expect_err "in use by a VM (/dev/vfio/devices/vfio3 open by process 4242)"
	expect_no_writes
	expect_driver 0000:42:00.0 vfio-pci
	vb release --force 42:00.0
	expect_rc 0
	expect_driver 0000:42:00.0 none
}

t_release_cdev_without_group() {
	# CONFIG_VFIO_GROUP=n: no group node at all, the cdev alone is the way in
	fixture gtx-hba
	vb claim 42:00.0
	rm -f "$ROOT/sys/bus/pci/devices/0000:42:00.0/iommu_group"
	give_cdev 0000:42:00.0 0
	mkdir -p "$ROOT/proc/77/fd"
	ln -s /dev/vfio/devices/vfio0 "$ROOT/proc/77/fd/5"
	vb release 42:00.0
	expect_rc 1
	expect_err "(/dev/vfio/devices/vfio0 open by process 77)"
	rm "$ROOT/proc/77/fd/5"
	vb release 42:00.0
	expect_rc 0
}

t_release_other_cdev_open() {
	# another device's cdev being open does not block this one
	fixture gtx-hba
	vb claim 42:00.0
	give_cdev 0000:42:00.0 1
	mkdir -p "$ROOT/proc/99/fd"
	ln -s /dev/vfio/devices/vfio12 "$ROOT/proc/99/fd/3"
	vb release 42:00.0
	expect_rc 0
}

t_cdev_name_checked() {
	# a name that is not vfioN never becomes a /dev path
	fixture gtx-hba
	vb claim 42:00.0
	mkdir -p "$ROOT/sys/bus/pci/devices/0000:42:00.0/vfio-dev/vfio..x"
	vb list
	expect_no_out "/dev/vfio/devices/vfio..x"
}

t_status_list_show_cdev() {
	fixture gtx-hba
	vb claim 42:00.0
	give_cdev 0000:42:00.0 7
	vb list
	expect_rc 0
	grep -q '^0000:42:00.0 .*vfio-pci .*  cdev /dev/vfio/devices/vfio7$' "$ROOT/out" ||
		fail "list does not show the cdev: $(grep 42:00.0 "$ROOT/out")"
	vb list --json
	python3 - "$ROOT/out" <<-'PY' || fail "JSON vfio_cdev"
	import json, sys
	devs = {d["address"]: d for d in json.load(open(sys.argv[1]))}
	assert devs["0000:42:00.0"]["vfio_cdev"] == "/dev/vfio/devices/vfio7"
	assert all(d["vfio_cdev"] is None for a, d in devs.items() if a != "0000:42:00.0")
	PY
	cmdline "vfio.bind=42:00.0"
	vb status
	expect_out "ok  cdev /dev/vfio/devices/vfio7"
	vb status --json
	python3 - "$ROOT/out" <<-'PY' || fail "status JSON vfio_cdev"
	import json, sys
	s = json.load(open(sys.argv[1]))
	assert s["selectors"][0]["devices"][0]["device"]["vfio_cdev"] == "/dev/vfio/devices/vfio7"
	PY
}
