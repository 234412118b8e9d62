#!/bin/sh
# Unit tests: grammar vectors and simulator cases, each with the plain and the ASan/UBSan
# build; the static binary's own checks. Results in build/results/unit.txt. UNIT_JOBS: case
# files run at a time (default: one per CPU); UNIT_CASES="NAME...": only those case files.
set -u
B=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
B=$(cd "$top" && cd "$B" && pwd)
out=$B/results/unit.txt
mkdir -p "$B/results"
: > "$out"
export UNIT_DIR=$here
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

record() { echo "$1 $2" >> "$out"; echo "$1 $2"; }

for t in test-cmdline test-cmdline-san; do
	"$B/$t" "$top/kernel-cmdline/vectors.txt" > "$B/results/$t.log" 2>&1
	rc=$?
	grep -E '^(PASS|FAIL) ' "$B/results/$t.log" | sed "s/^\(PASS\|FAIL\) /\1 $t:/" >> "$out"
	if [ $rc -ne 0 ]; then
		grep -v '^PASS' "$B/results/$t.log"
		grep -q '^FAIL' "$B/results/$t.log" || record FAIL "$t:exit-$rc"
	fi
	echo "$t: $(grep -c '^PASS' "$B/results/$t.log") vectors passed"
done

# libkmod on a real kernel's modules: vfio-pci's dependencies and its softdeps
kdir=$("$top/tests/qemu-boot/get-kernel.sh" 2>/dev/null)

# the static binary's fnmatch (src/static/fnmatch.c) says what musl's says, on vectors, random
# patterns and, with the cached kernel, every pattern of its modules.alias
if [ -x "$B/test-fnmatch" ]; then
	alias=$(ls "$kdir"/lib/modules/*/modules.alias 2>/dev/null | head -n 1)
	"$B/test-fnmatch" $alias > "$B/results/test-fnmatch.log" 2>&1
	rc=$?
	grep -E '^(PASS|FAIL) ' "$B/results/test-fnmatch.log" | sed 's/ (.*//' >> "$out"
	cat "$B/results/test-fnmatch.log"
	[ $rc -eq 0 ] || grep -q '^FAIL' "$B/results/test-fnmatch.log" || record FAIL "fnmatch:exit-$rc"
	[ -n "$alias" ] || record SKIP "fnmatch:modules.alias"
fi
# and its getopt_long says what musl's says, on generated command lines; its printf, strtol,
# strstr, qsort, malloc and system (src/static/) answer as musl's on generated inputs
for t in getopt libc; do
	[ -x "$B/test-$t" ] || continue
	"$B/test-$t" > "$B/results/test-$t.log" 2>&1
	rc=$?
	grep -E '^(PASS|FAIL) ' "$B/results/test-$t.log" | sed 's/ (.*//' >> "$out"
	cat "$B/results/test-$t.log"
	[ $rc -eq 0 ] || grep -q '^FAIL' "$B/results/test-$t.log" || record FAIL "$t:exit-$rc"
done
if [ -n "$kdir" ] && [ -d "$kdir/lib/modules" ]; then
	moddir=$(ls -d "$kdir"/lib/modules/* | head -n1)
	mods=$("$B/test-modload" "$moddir" vfio-pci 2>"$B/results/test-modload.log" | tr '\n' ' ')
	echo "test-modload: vfio-pci loads: $mods"
	ok=PASS
	for m in vfio vfio_iommu_type1 vfio_pci_core vfio_pci irqbypass; do
		case " $mods" in *" $m "*) ;; *) ok=FAIL; echo "    missing $m" ;; esac
	done
	# the driver comes after its dependencies
	case "$mods" in *vfio_pci_core*vfio_pci\ *) ;; *) ok=FAIL ;; esac
	record $ok "test-modload:vfio-pci-with-softdeps"
	"$B/test-modload" "$moddir" no-such-module >/dev/null 2>&1 &&
		record FAIL "test-modload:missing-module" || record PASS "test-modload:missing-module"
else
	record SKIP "test-modload:vfio-pci-with-softdeps"
fi

# Compressed modules: the 6.12 package's .ko.xz, unpacked. With a kernel that decompresses
# xz (module/compression says so) every module goes to finit_module() compressed; with one
# that does not, libkmod must decompress; an uncompressed 6.1 module goes as it is.
k2dir=$("$top/tests/qemu-boot/get-kernel.sh" --k2 2>/dev/null)
if [ -n "$k2dir" ] && [ -d "$k2dir/lib/modules" ]; then
	moddir=$(ls -d "$k2dir"/lib/modules/* | head -n1)
	fake=$(mktemp -d)
	mkdir -p "$fake/xz/module" "$fake/zstd/module" "$fake/none/module"
	echo xz >"$fake/xz/module/compression"
	echo zstd >"$fake/zstd/module/compression"
	for c in xz zstd none; do
		"$B/test-modfile" "$moddir" "$fake/$c" vfio-pci >"$B/results/test-modfile-$c.log" 2>&1 ||
			echo "test-modfile ($c) failed: $(tail -n 2 "$B/results/test-modfile-$c.log")"
	done
	rm -rf "$fake"
	echo "test-modfile: 6.12 with module/compression=xz: $(tr '\n' ',' <"$B/results/test-modfile-xz.log")"
	# every module of vfio-pci's closure is .ko.xz and goes to the kernel compressed
	ok=PASS
	[ "$(grep -c . "$B/results/test-modfile-xz.log")" -ge 4 ] || ok=FAIL
	grep -v ' xz finit-compressed$' "$B/results/test-modfile-xz.log" && ok=FAIL
	grep -q '^vfio_pci xz finit-compressed$' "$B/results/test-modfile-xz.log" || ok=FAIL
	record $ok "test-modfile:6.12-xz-kernel-decompresses"
	ok=PASS
	for c in zstd none; do
		[ -s "$B/results/test-modfile-$c.log" ] || ok=FAIL
		grep -v ' xz libkmod$' "$B/results/test-modfile-$c.log" && ok=FAIL
	done
	record $ok "test-modfile:6.12-xz-kernel-cannot"
else
	record SKIP "test-modfile:6.12-xz-kernel-decompresses"
	record SKIP "test-modfile:6.12-xz-kernel-cannot"
fi
if [ -n "$kdir" ] && [ -d "$kdir/lib/modules" ]; then
	moddir=$(ls -d "$kdir"/lib/modules/* | head -n1)
	"$B/test-modfile" "$moddir" /nonexistent vfio-pci >"$B/results/test-modfile-61.log" 2>&1
	if [ -s "$B/results/test-modfile-61.log" ] &&
		! grep -v ' none finit$' "$B/results/test-modfile-61.log"; then
		record PASS "test-modfile:6.1-plain"
	else
		record FAIL "test-modfile:6.1-plain"
	fi
fi

# The case files: each (simulator, case file) pair is one job, and the checks of once/ one
# more; UNIT_JOBS of them at a time (default: one per CPU). Each job keeps its records and
# output apart; they are printed and counted in the job order once all are done, as if the
# jobs had run one after the other, each with its wall time.
jobs=$(mktemp -d "${TMPDIR:-/tmp}/vfio-bind-unit-jobs.XXXXXX") || exit 1
trap 'rm -rf "$jobs"' EXIT
trap 'exit 130' INT TERM
# each fixture built once for the whole run (lib.sh's fixture())
export UNIT_FIXTURES=$jobs/fixtures
mkdir "$UNIT_FIXTURES"
# UNIT_CASES="NAME...": only those case files (and once/ files) run
wanted() {
	[ -z "${UNIT_CASES:-}" ] && return 0
	case " $UNIT_CASES " in *" $(basename "$1" .sh) "*) return 0 ;; esac
	return 1
}
n=0
for sim in vfio-bind-sim vfio-bind-sim-san; do
	for f in "$here"/cases/*.sh; do
		wanted "$f" || continue
		n=$((n + 1))
		echo "$sim $f" > "$jobs/job.$n"
	done
done
# checks that need no simulator build of their own (docs, install layout, scripts): once each
for f in "$here"/once/*.sh; do
	[ -f "$f" ] && wanted "$f" || continue
	n=$((n + 1))
	echo "once $f" > "$jobs/job.$n"
done

# run_job N: the job's PASS/FAIL lines in $jobs/rec.N, a failed test's output in
# $jobs/log.N.K (K: its line in rec.N)
run_job() {
	read -r sim f < "$jobs/job.$1"
	case_name=$(basename "$f" .sh)
	bin=$sim
	[ "$sim" != once ] || bin=vfio-bind-sim
	jt0=$(date +%s)
	: > "$jobs/rec.$1"
	k=0
	for fn in $(sed -n 's/^\(t_[a-z0-9_]*\)().*/\1/p' "$f"); do
		name="$sim:$case_name:${fn#t_}"
		log=$(SIM=$B/$bin B=$B TOP=$top sh -c ". '$here/lib.sh'; . '$f'; $fn" 2>&1)
		if [ $? -eq 0 ]; then
			echo "PASS $name" >> "$jobs/rec.$1"
		else
			echo "FAIL $name" >> "$jobs/rec.$1"
			printf '%s\n' "$log" > "$jobs/log.$1.$k"
		fi
		k=$((k + 1))
	done
	echo "$sim:$case_name $(($(date +%s) - jt0))" > "$jobs/time.$1"
}

# worker: take the next job nobody took (mkdir is atomic), until none is left
worker() {
	i=1
	while [ "$i" -le "$n" ]; do
		if mkdir "$jobs/taken.$i" 2>/dev/null; then
			run_job "$i"
		fi
		i=$((i + 1))
	done
}

par=${UNIT_JOBS:-$(nproc 2>/dev/null || echo 1)}
t0=$(date +%s)
w=1
while [ "$w" -lt "$par" ]; do
	worker &
	w=$((w + 1))
done
worker
wait
i=1
while [ "$i" -le "$n" ]; do
	if [ -f "$jobs/rec.$i" ]; then
		# the records as record() prints them, each failure followed by its output
		k=0
		while read -r res name; do
			record "$res" "$name"
			[ ! -f "$jobs/log.$i.$k" ] || cat "$jobs/log.$i.$k"
			k=$((k + 1))
		done < "$jobs/rec.$i"
	else
		record FAIL "$(cut -d' ' -f1 "$jobs/job.$i"):$(basename "$(cut -d' ' -f2- "$jobs/job.$i")" .sh):not-run"
	fi
	i=$((i + 1))
done
echo "unit: case files, seconds each (wall, $par at a time):" \
	"$(cat "$jobs"/time.* 2>/dev/null | sort -k2 -rn | tr '\n' ',' | sed 's/,$//; s/,/, /g')"
echo "unit: case files took $(($(date +%s) - t0)) s of wall time"
p=$(grep -c '^PASS' "$out"); f=$(grep -c '^FAIL' "$out")
echo "unit: $p passed, $f failed"
[ "$f" -eq 0 ]
