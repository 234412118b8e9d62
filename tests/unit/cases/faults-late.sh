# Fault injection for devices that arrive late (issue 10): the failure point of the simulated
# kernel (VB_SIM_FAIL=OP:N:WHAT, tests/unit/sim-kernel.c) walks over every sysfs write and
# module load of `vfio-bind hotplug ADDR` for cards and VFs arriving after the boot, and over
# the boot's sriov_drivers_autoprobe=0 writes. Fixture: fixtures/sriov-late.topo (an X710 and
# a ConnectX-5 with their VF drivers, QEMU's SR-IOV NVMe, a Thunderbolt NIC, an eGPU).
#
# After each hotplug run (H: every device; M: one a selector wants; U: an unselected VF of a
# PF that vfio-bind held back):
#   H1 exit 0, nothing on stderr
#   H2 no device with driver_override=vfio-pci and no driver (unless the log says it is kept
#      because the override could not be cleared)
#   H3 nothing written about any other device (the PF included)
#   M1 exactly one outcome line (claimed late, released to host, kept without a driver)
#   M2 the line is true: "claimed late" = on vfio-pci with a late record; "now on X" = on X;
#      "kept without a driver" = no driver; no late record without a claim
#   M3 released = handed back: on its own driver when that driver is loaded, unless the
#      injected fault hit the hand-back itself (clearing the override, the probe)
#   U1 never on vfio-pci, never driver_override=vfio-pci
#   U2 probed: on its own driver, or a drivers_probe was written for it, or the log says that
#      its override could not be set; and when it has no driver the log says so
#   U3 no driver_override left pinned, unless the log says it could not be cleared
# After each boot run (the SR-IOV hold):
#   S1 exit 0, nothing on stderr, a summary
#   S2 sriov_drivers_autoprobe=0 only on PFs a selector could claim a VF of (the fault-free
#      boot holds exactly those, worked out by hand)
#   S3 a PF to hold is at 0 with its notice, or at 1 with the error line that says so
#   S4 nothing written but the planned devices' and the held PFs' sriov_drivers_autoprobe;
#      the PFs keep their drivers
#   S5 each planned device has exactly one outcome line
# FAULT_STATS=FILE appends "NAME writes=N loads=N runs=N checks=N" for the report.

LATE_KINDS="EIO EBUSY ENODEV ENOENT unlink gone"
LATE_CMDLINE="vfio.bind=3b:02.0,02:00.1,8086:10d3@07:00.0,10de:1c03"
# the devices that arrive: a VF line names its PF; host= is the driver that takes it
LATE_DEVS="dev 0000:07:00.0 020000 8086:10d3 8086:0000 driver=e1000e group=15
dev 0000:09:00.0 030000 10de:1c03 10de:11d7 group=16 host=nouveau
dev 0000:3b:02.0 020000 8086:154c 8086:0000 group=21 physfn=0000:3b:00.0 host=iavf
dev 0000:3b:02.1 020000 8086:154c 8086:0000 group=22 physfn=0000:3b:00.0 host=iavf
dev 0000:02:00.1 010802 1b36:0010 1af4:1100 group=23 physfn=0000:02:00.0 host=nvme
dev 0000:02:00.2 010802 1b36:0010 1af4:1100 group=24 physfn=0000:02:00.0 host=nvme
dev 0000:5e:00.2 020000 15b3:1018 15b3:0020 driver=mlx5_core group=31 physfn=0000:5e:00.0"

fresh() { rm -rf "$ROOT"; mkdir "$ROOT"; cp -a "$TPL/." "$ROOT/"; }
sim() { "$SIM" --root "$ROOT" --moddir "$ROOT/lib/modules/sim" "$@" > "$ROOT/out" 2> "$ROOT/err"; }
drv() { driver_of "$1"; }
ovr() { cat "$ROOT/sys/bus/pci/devices/$1/driver_override" 2>/dev/null || echo gone; }
gone() { [ ! -e "$ROOT/sys/bus/pci/devices/$1" ]; }
host_of() { cat "$ROOT/sys/bus/pci/devices/$1/.sim_host" 2>/dev/null || true; }
loaded() { [ -n "$1" ] && [ -d "$ROOT/sys/bus/pci/drivers/$1" ]; }
faults() { cat "$ROOT/sim-faults.log" 2>/dev/null || true; }
# written_about: the device addresses the writes of this run name (path or value)
written_about() {
	grep -v '^insmod\|^load-options\|^vfio-pci-ids' "$ROOT/sim-writes.log" 2>/dev/null |
		grep -oE '[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]' | sort -u || true
}

# late_template CMDLINE: the fixture booted (fault-free) with CMDLINE, then the late devices
# added; logs emptied. $TPL.
late_template() {
	TPL=$(mktemp -d "${TMPDIR:-/tmp}/vfio-bind-faults.XXXXXX")
	"$UNIT_DIR/mkfixture.sh" "$FIXTURES/sriov-late.topo" "$TPL"
	printf '%s\n' "$1" > "$TPL/proc/cmdline"
	ROOT=$TPL
	sim boot || fail "boot of the template failed"
	printf '%s\n' "$LATE_DEVS" > "$TPL/late.topo"
	"$UNIT_DIR/mkfixture.sh" --add "$TPL/late.topo" "$TPL"
	rm -f "$TPL/sim-writes.log" "$TPL/sim-probes.log" "$TPL/late.topo"
	: > "$TPL/dev/kmsg"
	ROOT=$(mktemp -d "${TMPDIR:-/tmp}/vfio-bind-unit.XXXXXX")
}

# count_ops ARGS...: writes and loads of a fault-free run, in $NW and $NL
count_ops() {
	fresh
	VB_SIM_OPS_LOG=$ROOT/ops.log sim "$@" || true
	NW=$(grep -c '^write ' "$ROOT/ops.log" 2>/dev/null || true)
	NL=$(grep -c '^load ' "$ROOT/ops.log" 2>/dev/null || true)
}

outcome_lines() {
	klog | grep -E "^vfio-bind: $1 [0-9a-f]{4}:[0-9a-f]{4} (claimed late|released to host|kept without a driver|refused)" || true
}

# check_hotplug SPEC ADDR KIND (M or U): the invariants above, after one run
check_hotplug() {
	spec=$1 a=$2 kind=$3 ctx="[hotplug $2, $1]"
	# H1
	[ "$RC" -eq 0 ] || fail "$ctx exited $RC: $(head -c 600 "$ROOT/err")"
	[ ! -s "$ROOT/err" ] || fail "$ctx wrote to stderr: $(head -c 600 "$ROOT/err")"
	# H2 (an override that could not be cleared, twice, is reported as kept)
	for d in "$ROOT"/sys/bus/pci/devices/*; do
		[ -e "$d/driver_override" ] || continue
		if [ "$(cat "$d/driver_override")" = vfio-pci ] && [ ! -L "$d/driver" ]; then
			klog | grep -q "^vfio-bind: ${d##*/} .* kept without a driver: .*cannot clear driver_override" ||
				fail "$ctx ${d##*/} left with driver_override=vfio-pci and no driver"
		fi
	done
	# H3
	bad=$(written_about | grep -vx "$a" || true)
	[ -z "$bad" ] || fail "$ctx wrote about other devices: $bad: $(writes)"
	CHECKS=$((CHECKS + 3))
	# a device that vanished has nothing more to say
	gone "$a" && return 0
	rec=$ROOT/run/vfio-bind/late/$a
	if [ "$kind" = M ]; then
		# M1
		n=$(outcome_lines "$a" | wc -l)
		[ "$n" -eq 1 ] || fail "$ctx $n outcome lines"
		line=$(outcome_lines "$a")
		# M2
		case $line in
		*"claimed late"*)
			[ "$(drv "$a")" = vfio-pci ] || fail "$ctx logged '$line' but it is on $(drv "$a")"
			[ -f "$rec" ] || fail "$ctx claimed late without a late record" ;;
		*"now on "*)
			now=${line##*now on }
			[ "$(drv "$a")" = "$now" ] || fail "$ctx logged '$line' but it is on $(drv "$a")" ;;
		*"kept without a driver"*)
			[ "$(drv "$a")" = none ] || fail "$ctx logged '$line' but it is on $(drv "$a")" ;;
		esac
		case $line in
		*"claimed late"*) ;;
		*) [ ! -f "$rec" ] || fail "$ctx a late record without a claim: $(cat "$rec")" ;;
		esac
		# M3
		case $line in
		*"released to host"*)
			h=$(host_of "$a")
			if loaded "$h" && [ "$(drv "$a")" != "$h" ]; then
				faults | grep -Eq "/driver_override	\$|/drivers_probe	$a\$" ||
					fail "$ctx released but not handed back to $h (on $(drv "$a"); fault: $(faults))"
			fi
			if [ "$(ovr "$a")" != "(null)" ]; then
				fail "$ctx released with driver_override=$(ovr "$a")"
			fi ;;
		esac
		CHECKS=$((CHECKS + 3))
	else
		# U1
		[ "$(drv "$a")" != vfio-pci ] || fail "$ctx an unselected VF on vfio-pci"
		[ "$(ovr "$a")" != vfio-pci ] || fail "$ctx an unselected VF with driver_override=vfio-pci"
		[ -z "$(outcome_lines "$a")" ] || fail "$ctx an outcome line for an unselected VF"
		# U2
		h=$(host_of "$a")
		if [ "$(drv "$a")" != "$h" ]; then
			writes | grep -qF "$(printf '/sys/bus/pci/drivers_probe\t%s' "$a")" ||
				klog | grep -q "^vfio-bind: $a .*cannot set driver_override" ||
				klog | grep -q "^vfio-bind: $a .*no driver for it" ||
				fail "$ctx an unselected VF left on '$(drv "$a")' without a probe"
			# (unless its driver let go after the probe: the unlink fault on the last write)
			klog | grep -Eq "^vfio-bind: $a .*(it did not bind|no driver for it|cannot set driver_override|stays without a driver)" ||
				faults | grep -Eq "^write [0-9]+ unlink .*/driver_override	\$" ||
				fail "$ctx an unselected VF on '$(drv "$a")', and the log does not say so"
		fi
		# U3
		o=$(ovr "$a")
		if [ "$o" != "(null)" ]; then
			klog | grep -q "^vfio-bind: $a .*cannot clear driver_override" ||
				fail "$ctx driver_override=$o left behind, and the log does not say so"
		fi
		CHECKS=$((CHECKS + 3))
	fi
}

# walk_hotplug ADDR KIND: the fault-free run, then every write and load with every fault
walk_hotplug() {
	a=$1 kind=$2
	RUNS=0 CHECKS=0
	count_ops hotplug "$a"
	[ "$NW" -gt 0 ] || fail "a fault-free hotplug $a writes nothing"
	fresh
	set +e; sim hotplug "$a"; RC=$?; set -e
	check_hotplug none "$a" "$kind"
	if [ "$kind" = M ]; then
		outcome_lines "$a" | grep -q "claimed late" || fail "fault-free: $a not claimed late"
	else
		[ "$(drv "$a")" = "$(host_of "$a")" ] || fail "fault-free: $a not on $(host_of "$a")"
	fi
	wn=1
	while [ "$wn" -le "$NW" ]; do
		for k in $LATE_KINDS; do
			fresh
			set +e; VB_SIM_FAIL=write:$wn:$k sim hotplug "$a"; RC=$?; set -e
			RUNS=$((RUNS + 1))
			check_hotplug "write:$wn:$k" "$a" "$kind"
		done
		wn=$((wn + 1))
	done
	wn=1
	while [ "$wn" -le "$NL" ]; do
		for k in EIO ENOENT; do
			fresh
			set +e; VB_SIM_FAIL=load:$wn:$k sim hotplug "$a"; RC=$?; set -e
			RUNS=$((RUNS + 1))
			check_hotplug "load:$wn:$k" "$a" "$kind"
		done
		wn=$((wn + 1))
	done
	# two writes in a row fail: the hand-back's retry, an override that cannot be cleared
	wn=1
	while [ "$wn" -lt "$NW" ]; do
		fresh
		set +e; VB_SIM_FAIL=write:$wn:EIO,write:$((wn + 1)):EIO sim hotplug "$a"; RC=$?; set -e
		RUNS=$((RUNS + 1))
		check_hotplug "write:$wn+$((wn + 1)):EIO" "$a" "$kind"
		wn=$((wn + 1))
	done
	[ -z "${FAULT_STATS:-}" ] ||
		echo "hotplug-$a writes=$NW loads=$NL runs=$RUNS checks=$CHECKS" >> "$FAULT_STATS"
}

late_cleanup() { rm -rf "$TPL"; }

# a Thunderbolt NIC that e1000e bound before udev ran: unbind, override, probe; hand-back
t_walk_hotplug_bound_nic() {
	late_template "$LATE_CMDLINE"
	walk_hotplug 0000:07:00.0 M
	late_cleanup
}

# an external GPU, no driver yet; vfio-pci is loaded by this run (nothing was claimed at boot)
t_walk_hotplug_unbound_egpu() {
	late_template "$LATE_CMDLINE"
	walk_hotplug 0000:09:00.0 M
	late_cleanup
}

t_walk_hotplug_selected_vf_x710() {
	late_template "$LATE_CMDLINE"
	walk_hotplug 0000:3b:02.0 M
	late_cleanup
}

t_walk_hotplug_unselected_vf_x710() {
	late_template "$LATE_CMDLINE"
	walk_hotplug 0000:3b:02.1 U
	late_cleanup
}

t_walk_hotplug_nvme_vfs() {
	late_template "$LATE_CMDLINE"
	walk_hotplug 0000:02:00.1 M
	walk_hotplug 0000:02:00.2 U
	late_cleanup
}

# a VF of a PF nobody held, bound by mlx5_core on arrival, and no selector: no write at all,
# whatever fails to read
t_hotplug_not_ours_reads() {
	late_template "$LATE_CMDLINE"
	a=0000:5e:00.2
	fresh
	VB_SIM_OPS_LOG=$ROOT/ops.log sim hotplug $a || fail "hotplug $a failed"
	nr=$(grep -c '^read ' "$ROOT/ops.log" || true)
	[ "$nr" -gt 3 ] || fail "only $nr reads"
	RUNS=0 CHECKS=0
	rn=1
	while [ "$rn" -le "$nr" ]; do
		for k in EIO ENOENT; do
			fresh
			set +e; VB_SIM_FAIL=read:$rn:$k sim hotplug $a; RC=$?; set -e
			RUNS=$((RUNS + 1))
			[ "$RC" -eq 0 ] && [ ! -s "$ROOT/err" ] || fail "[read:$rn:$k] exit $RC: $(cat "$ROOT/err")"
			[ ! -s "$ROOT/sim-writes.log" ] || fail "[read:$rn:$k] writes: $(writes)"
			[ "$(drv $a)" = mlx5_core ] || fail "[read:$rn:$k] $a on $(drv $a)"
			CHECKS=$((CHECKS + 3))
		done
		rn=$((rn + 1))
	done
	[ -z "${FAULT_STATS:-}" ] ||
		echo "hotplug-$a-reads reads=$nr runs=$RUNS checks=$CHECKS" >> "$FAULT_STATS"
	late_cleanup
}

# --- the boot's SR-IOV hold ------------------------------------------------------------------
# check_boot SPEC: S1-S5 after one boot; $HELD and $PLANNED from the fault-free run
check_boot() {
	ctx="[boot, $1]"
	[ "$RC" -eq 0 ] || fail "$ctx exited $RC: $(head -c 600 "$ROOT/err")"
	[ ! -s "$ROOT/err" ] || fail "$ctx wrote to stderr: $(head -c 600 "$ROOT/err")"
	klog | grep -Eq '^vfio-bind: [0-9]+ claimed, [0-9]+ refused' || fail "$ctx no summary"
	for f in "$ROOT"/sys/bus/pci/devices/*/sriov_drivers_autoprobe; do
		pf=$(basename "$(dirname "$f")")
		case " $HELD " in
		*" $pf "*)
			if [ "$(cat "$f")" = 0 ]; then
				klog | grep -q "^vfio-bind: $pf .*: sriov_drivers_autoprobe=0: " ||
					fail "$ctx $pf held without its notice"
			else
				klog | grep -q "^vfio-bind: $pf .*: cannot set sriov_drivers_autoprobe=0" ||
					fail "$ctx $pf not held, and the log does not say so"
			fi ;;
		*) [ "$(cat "$f")" = 1 ] || fail "$ctx $pf held, but no selector wants its VFs" ;;
		esac
	done
	bad=$(grep -v '^insmod\|^load-options\|^vfio-pci-ids' "$ROOT/sim-writes.log" 2>/dev/null |
		while IFS='	' read -r path val; do
			for x in $(printf '%s %s\n' "$path" "$val" |
				grep -oE '[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]' | sort -u); do
				case " $PLANNED " in *" $x "*) continue ;; esac
				case " $HELD " in
				*" $x "*) case $path in */$x/sriov_drivers_autoprobe) continue ;; esac ;;
				esac
				echo "$path=$val"
			done
		done)
	[ -z "$bad" ] || fail "$ctx writes for devices not asked for: $bad"
	# the unlink fault on a PF's autoprobe write: its driver let go then, not vfio-bind's doing
	let_go=$(faults | sed -n 's|^write [0-9]* unlink /sys/bus/pci/devices/\([^/]*\)/sriov_drivers_autoprobe.*|\1|p')
	for pf in 0000:02:00.0 0000:3b:00.0 0000:5e:00.0; do
		case " $PLANNED $let_go " in *" $pf "*) continue ;; esac
		gone $pf || [ "$(drv $pf)" != none ] || fail "$ctx the PF $pf lost its driver"
	done
	for a in $PLANNED; do
		gone "$a" && continue
		n=$(klog | grep -cE "^vfio-bind: $a [0-9a-f]{4}:[0-9a-f]{4} (claimed|released to host|kept without a driver|refused)" || true)
		[ "$n" -eq 1 ] || fail "$ctx $a has $n outcome lines"
	done
	for d in "$ROOT"/sys/bus/pci/devices/*; do
		[ "${d##*/}" != "$let_go" ] || continue
		if [ "$(cat "$d/driver_override")" = vfio-pci ] && [ ! -L "$d/driver" ]; then
			fail "$ctx ${d##*/} left with driver_override=vfio-pci and no driver"
		fi
	done
	CHECKS=$((CHECKS + 5))
}

# walk_boot NAME CMDLINE HELD...: the fault-free boot holds exactly the PFs HELD (worked out by
# hand from the fixture: S2's oracle) and fixes PLANNED, then the walk
walk_boot() {
	TPL=$(mktemp -d "${TMPDIR:-/tmp}/vfio-bind-faults.XXXXXX")
	"$UNIT_DIR/mkfixture.sh" "$FIXTURES/sriov-late.topo" "$TPL"
	printf '%s\n' "$2" > "$TPL/proc/cmdline"
	ROOT=$(mktemp -d "${TMPDIR:-/tmp}/vfio-bind-unit.XXXXXX")
	RUNS=0 CHECKS=0
	count_ops boot
	HELD=$(for f in "$ROOT"/sys/bus/pci/devices/*/sriov_drivers_autoprobe; do
		[ "$(cat "$f")" = 0 ] && basename "$(dirname "$f")"; done | tr '\n' ' ')
	want_held=$(shift 2; echo "$@")
	[ "$(echo $HELD)" = "$want_held" ] ||
		fail "the fault-free boot holds '$(echo $HELD)', want '$want_held': $(klog)"
	PLANNED=$(klog | sed -n 's/^vfio-bind: \([0-9a-f:.]*\) [0-9a-f:]* claimed.*/\1/p' | tr '\n' ' ')
	fresh
	set +e; sim boot; RC=$?; set -e
	check_boot none
	wn=1
	while [ "$wn" -le "$NW" ]; do
		for k in $LATE_KINDS; do
			fresh
			set +e; VB_SIM_FAIL=write:$wn:$k sim boot; RC=$?; set -e
			RUNS=$((RUNS + 1))
			check_boot "write:$wn:$k"
		done
		wn=$((wn + 1))
	done
	wn=1
	while [ "$wn" -le "$NL" ]; do
		for k in EIO ENOENT; do
			fresh
			set +e; VB_SIM_FAIL=load:$wn:$k sim boot; RC=$?; set -e
			RUNS=$((RUNS + 1))
			check_boot "load:$wn:$k"
		done
		wn=$((wn + 1))
	done
	[ -z "${FAULT_STATS:-}" ] ||
		echo "$1 writes=$NW loads=$NL held=$(echo $HELD | wc -w) runs=$RUNS checks=$CHECKS" >> "$FAULT_STATS"
	rm -rf "$TPL"
}

# the hold alone: two PFs, nothing to claim now
t_walk_boot_sriov_hold() {
	walk_boot boot-sriov-hold "$LATE_CMDLINE" 0000:02:00.0 0000:3b:00.0
}

# the hold after a claim (vfio-pci loaded, a Realtek NIC taken from r8169), by ID and by slot
t_walk_boot_sriov_hold_after_claim() {
	walk_boot boot-sriov-hold-claim "vfio.bind=04:00.0,15b3:1018,02:00.*" 0000:02:00.0 0000:5e:00.0
}
