# Fault injection (issue 9): the simulated kernel makes one chosen operation fail
# (VB_SIM_FAIL=OP:N:WHAT, see tests/unit/sim-kernel.c), and a walk moves that failure point over
# every sysfs write (and module load) of the claim path, for several fixtures. After each run:
#   1. boot exits 0, writes nothing to stderr, and prints its summary;
#   2. no device is left with driver_override=vfio-pci and no driver, unless on_fail=keep;
#   3. nothing is written for a device that was not asked for;
#   4. every planned device has exactly one outcome line;
#   5. that line is true: "claimed" = on vfio-pci, "now on X" = on X, "kept without a driver" =
#      no driver (issue 10: a failed unbind once left the driver's name stale, and the log
#      said "now on e1000" for a device without a driver).
# FAULT_STATS=FILE appends "fixture runs checks" for the report.

FAULT_KINDS="EIO EBUSY ENODEV ENOENT unlink gone"

# walk_setup TOPO CMDLINE: a template tree in $TPL, the planned devices in $PLANNED, the number
# of writes and loads of a fault-free run in $NWRITES and $NLOADS
walk_setup() {
	TPL=$(mktemp -d "${TMPDIR:-/tmp}/vfio-bind-faults.XXXXXX")
	"$UNIT_DIR/mkfixture.sh" "$FIXTURES/$1.topo" "$TPL"
	printf '%s\n' "$2" > "$TPL/proc/cmdline"
	ROOT=$(mktemp -d "${TMPDIR:-/tmp}/vfio-bind-unit.XXXXXX")
	cp -a "$TPL/." "$ROOT/"
	vb --dry-run boot
	PLANNED=$(awk 'NR > 1 && $5 == "claim" { print $1 }' "$ROOT/out")
	[ -n "$PLANNED" ] || fail "the dry run plans nothing: $(cat "$ROOT/out")"
	rm -rf "$ROOT"; mkdir "$ROOT"; cp -a "$TPL/." "$ROOT/"
	vb boot
	NWRITES=$(grep -vc '^insmod' "$ROOT/sim-writes.log" || true)
	NLOADS=$(grep -c '^insmod.vfio-pci$' "$ROOT/sim-writes.log" || true)
	[ "$NWRITES" -gt 0 ] || fail "a fault-free run writes nothing"
	RUNS=0 CHECKS=0
}

# run_fault SPEC KEEP: one boot with VB_SIM_FAIL=SPEC on a fresh copy, then the invariants
run_fault() {
	spec=$1 keep=$2
	rm -rf "$ROOT"; mkdir "$ROOT"; cp -a "$TPL/." "$ROOT/"
	set +e
	VB_SIM_FAIL=$spec "$SIM" --root "$ROOT" --moddir "$ROOT/lib/modules/sim" boot \
		> "$ROOT/out" 2> "$ROOT/err"
	RC=$?
	set -e
	RUNS=$((RUNS + 1))
	ctx="[$spec]"
	# 1
	[ "$RC" -eq 0 ] || fail "$ctx boot exited $RC: $(head -c 600 "$ROOT/err")"
	[ ! -s "$ROOT/err" ] || fail "$ctx boot wrote to stderr: $(head -c 600 "$ROOT/err")"
	klog | grep -Eq '^vfio-bind: [0-9]+ claimed, [0-9]+ refused, [0-9]+ released to host' ||
		fail "$ctx no summary line"
	# 2
	if [ "$keep" = 0 ]; then
		for d in "$ROOT"/sys/bus/pci/devices/*; do
			[ -e "$d/driver_override" ] || continue
			if [ "$(cat "$d/driver_override")" = vfio-pci ] && [ ! -L "$d/driver" ]; then
				fail "$ctx ${d##*/} left with driver_override=vfio-pci and no driver"
			fi
		done
	fi
	# 3
	bad=$(grep -v '^insmod' "$ROOT/sim-writes.log" 2>/dev/null |
		grep -oE '[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]' | sort -u |
		while read -r a; do
			case " $(echo $PLANNED) " in *" $a "*) ;; *) echo "$a" ;; esac
		done)
	[ -z "$bad" ] || fail "$ctx wrote for devices not asked for: $bad"
	# 4
	for a in $PLANNED; do
		cnt=$(klog | grep -cE "^vfio-bind: $a [0-9a-f]{4}:[0-9a-f]{4} (claimed|released to host|kept without a driver|refused)" || true)
		[ "$cnt" -eq 1 ] || fail "$ctx $a has $cnt outcome lines"
	done
	# 5
	for a in $PLANNED; do
		[ -e "$ROOT/sys/bus/pci/devices/$a" ] || continue
		line=$(klog | grep -E "^vfio-bind: $a [0-9a-f]{4}:[0-9a-f]{4} (claimed|released to host|kept without a driver)" | head -n 1)
		case $line in
		*" claimed"*) want=vfio-pci ;;
		*"now on "*) want=${line##*now on } ;;
		*"kept without a driver"*) want=none ;;
		*) continue ;;
		esac
		[ "$(driver_of "$a")" = "$want" ] ||
			fail "$ctx $a: the log says '$line', but it is on $(driver_of "$a")"
	done
	CHECKS=$((CHECKS + 5))
}

# walk TOPO KEEP CMDLINE: every write and load of the claim path, with every kind of fault
walk() {
	walk_setup "$1" "$3"
	wn=1
	while [ "$wn" -le "$NWRITES" ]; do
		for k in $FAULT_KINDS; do
			run_fault "write:$wn:$k" "$2"
		done
		wn=$((wn + 1))
	done
	wn=1
	while [ "$wn" -le "$NLOADS" ]; do
		for k in EIO ENOENT; do
			run_fault "load:$wn:$k" "$2"
		done
		wn=$((wn + 1))
	done
	[ -z "${FAULT_STATS:-}" ] ||
		echo "$1 writes=$NWRITES runs=$RUNS checks=$CHECKS" >> "$FAULT_STATS"
	rm -rf "$TPL"
}

t_walk_turing_slot_with_bound_usb() {
	walk turing 0 "vfio.bind=01:00.*"
}

t_walk_boot_gpu_with_efifb() {
	walk igpu-efifb 0 "vfio.bind=00:02.0,00:1f.4"
}

t_walk_guard_and_bound_nic() {
	walk gtx-hba 0 "vfio.bind=10de:1b06@42:00.0,42:00.1,06:00.0"
}

t_walk_two_identical_keep() {
	walk two-amd 1 "vfio.bind=1002:73bf,1002:ab28,!03:00.* vfio_bind.on_fail=keep"
}

t_walk_no_iommu_hand_back() {
	walk no-iommu 0 "vfio.bind=03:00.0,01:00.0"
}

# two writes in a row fail: an override that cannot be cleared is reported as kept, never
# left unsaid
t_two_failed_writes_in_a_row() {
	walk_setup no-iommu "vfio.bind=03:00.0,01:00.0"
	wn=1
	while [ "$wn" -lt "$NWRITES" ]; do
		run_fault "write:$wn:EIO,write:$((wn + 1)):EIO" 1
		for d in "$ROOT"/sys/bus/pci/devices/*; do
			a=${d##*/}
			if [ "$(cat "$d/driver_override")" = vfio-pci ] && [ ! -L "$d/driver" ]; then
				klog | grep -q "^vfio-bind: $a .* kept without a driver: .*cannot clear driver_override" ||
					fail "[write:$wn+$((wn + 1)):EIO] $a left with the override, and the log does not say so"
			fi
		done
		wn=$((wn + 1))
	done
	rm -rf "$TPL"
}

# reads: the first 40 reads of a claim fail in turn (the scan, the driver links, the group)
t_walk_reads_turing() {
	walk_setup turing "vfio.bind=01:00.0,01:00.2"
	rm -rf "$ROOT"; mkdir "$ROOT"; cp -a "$TPL/." "$ROOT/"
	VB_SIM_OPS_LOG=$ROOT/ops.log "$SIM" --root "$ROOT" --moddir "$ROOT/lib/modules/sim" boot \
		> /dev/null 2>&1
	nreads=$(grep -c '^read ' "$ROOT/ops.log" || true)
	[ "$nreads" -gt 5 ] || fail "only $nreads reads counted"
	wn=1
	while [ "$wn" -le "$nreads" ] && [ "$wn" -le 40 ]; do
		for k in ENOENT EIO; do
			run_fault_reads "read:$wn:$k"
		done
		wn=$((wn + 1))
	done
	[ -z "${FAULT_STATS:-}" ] ||
		echo "turing-reads reads=$nreads runs=$RUNS checks=$CHECKS" >> "$FAULT_STATS"
	rm -rf "$TPL"
}

# a failed read may hide a device from the plan: invariants 1-3, and at most one outcome line
run_fault_reads() {
	rm -rf "$ROOT"; mkdir "$ROOT"; cp -a "$TPL/." "$ROOT/"
	set +e
	VB_SIM_FAIL=$1 "$SIM" --root "$ROOT" --moddir "$ROOT/lib/modules/sim" boot \
		> "$ROOT/out" 2> "$ROOT/err"
	RC=$?
	set -e
	RUNS=$((RUNS + 1))
	[ "$RC" -eq 0 ] || fail "[$1] boot exited $RC: $(head -c 600 "$ROOT/err")"
	[ ! -s "$ROOT/err" ] || fail "[$1] boot wrote to stderr: $(head -c 600 "$ROOT/err")"
	for d in "$ROOT"/sys/bus/pci/devices/*; do
		if [ "$(cat "$d/driver_override")" = vfio-pci ] && [ ! -L "$d/driver" ]; then
			fail "[$1] ${d##*/} left with driver_override=vfio-pci and no driver"
		fi
	done
	bad=$(grep -v '^insmod' "$ROOT/sim-writes.log" 2>/dev/null |
		grep -oE '[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]' | sort -u |
		grep -vxE '0000:01:00\.[02]' || true)
	[ -z "$bad" ] || fail "[$1] wrote for devices not asked for: $bad"
	for a in $PLANNED; do
		cnt=$(klog | grep -cE "^vfio-bind: $a [0-9a-f]{4}:[0-9a-f]{4} (claimed|released to host|kept without a driver|refused)" || true)
		[ "$cnt" -le 1 ] || fail "[$1] $a has $cnt outcome lines"
	done
	CHECKS=$((CHECKS + 3))
}
