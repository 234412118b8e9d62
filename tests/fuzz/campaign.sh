#!/bin/sh
# A fuzz campaign of a fixed number of executions, on record:
#   tests/fuzz/campaign.sh HARNESS RUNS [LOGDIR]      (make fuzz-campaign H=... RUNS=...)
# 1. build/fuzz/fast/fuzz-HARNESS (no sanitizers, no comparison tracing: see the Makefile)
#    runs RUNS executions (-runs=, counted by libFuzzer from the first input of the corpus);
# 2. build/fuzz/fuzz-HARNESS (ASan, UBSan, full tracing) executes again every input the
#    campaign kept, and every crash file, so the sanitizers see what the campaign reached;
#    then it fuzzes on from that corpus for RUNS/50 executions (SAN_RUNS=N to change).
# The log (LOGDIR, default build/fuzz/campaigns) opens with the commit, whether the tree was
# clean, and the sha256 of every source file the harness is built from; it ends with one
# line: executions, seconds, findings. Exit 0 only with RUNS or more executions, no crash
# file and no sanitizer report.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
B=$top/build
h=$1 runs=$2 logdir=${3:-$B/fuzz/campaigns}
san_runs=${SAN_RUNS:-$((runs / 50))}
fast=$B/fuzz/fast/fuzz-$h san=$B/fuzz/fuzz-$h
corpus=$B/fuzz/campaign/$h crashes=$B/fuzz/campaign-crashes/$h
seeds=$B/fuzz/seeds/$h
for f in "$fast" "$san"; do
	[ -x "$f" ] || { echo "campaign: $f not built (make $f)" >&2; exit 2; }
done
mkdir -p "$logdir" "$corpus" "$crashes"
if [ ! -d "$seeds" ]; then
	"$top/tests/fuzz/seeds.sh" "$h" "$seeds.tmp" && mv "$seeds.tmp" "$seeds"
fi
stamp=$(date -u +%Y%m%dT%H%M%SZ)
log=$logdir/$h-$stamp.log
cd "$top" || exit 2
{
	echo "campaign fuzz-$h: $runs executions, started $(date -u +%FT%TZ)"
	echo "commit $(git rev-parse HEAD) ($(git log -1 --format=%s | cut -c1-100))"
	if [ -z "$(git status --porcelain -- src tests/fuzz tests/unit/kernel-model.h Makefile)" ]
	then
		echo "tree: clean (src, tests/fuzz, kernel-model.h, Makefile)"
	else
		echo "tree: MODIFIED:"
		git status --porcelain -- src tests/fuzz tests/unit/kernel-model.h Makefile
	fi
	echo "sources (sha256):"
	sha256sum "tests/fuzz/fuzz-$h.c" tests/fuzz/fuzz.h tests/fuzz/noexec.h \
		tests/unit/kernel-model.h src/*.c src/*.h
	echo "sources, all together: $(cat "tests/fuzz/fuzz-$h.c" tests/fuzz/fuzz.h \
		tests/fuzz/noexec.h tests/unit/kernel-model.h src/*.c src/*.h | sha256sum)"
	echo "binaries: $(sha256sum "$fast" | cut -c1-16) $fast; $(sha256sum "$san" | cut -c1-16) $san"
	echo "load: $(cat /proc/loadavg)"
	echo "---- $fast -runs=$runs"
} > "$log"
t0=$(date +%s)
"$fast" -runs="$runs" -reload=0 -print_final_stats=1 -artifact_prefix="$crashes/" \
	"$corpus" "$seeds" >> "$log" 2>&1
rc=$?
t1=$(date +%s)
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
echo "---- $san: every input of $corpus again, then $san_runs executions more" >> "$log"
"$san" -runs="$san_runs" -reload=0 -print_final_stats=1 -artifact_prefix="$crashes/san-" \
	"$corpus" >> "$log" 2>&1
src=$?
sexecs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
if [ -n "$(ls "$crashes")" ]; then
	# shellcheck disable=SC2046
	"$san" -runs=1 $(find "$crashes" -type f ! -name 'san-*') >> "$log" 2>&1
fi
t2=$(date +%s)
ncrash=$(find "$crashes" -type f | wc -l)
reports=$(grep -c 'ERROR: AddressSanitizer\|runtime error:\|ERROR: libFuzzer\|ERROR: LeakSanitizer' "$log")
line="campaign fuzz-$h: ${execs:-?} executions in $((t1 - t0)) s (exit $rc); under ASan+UBSan: the $(ls "$corpus" | wc -l) inputs kept and ${sexecs:-?} executions in all, $((t2 - t1)) s (exit $src); $ncrash crash files, $reports sanitizer/libFuzzer reports"
echo "$line" >> "$log"
echo "$line (log $log)"
[ "$rc" -eq 0 ] && [ "$src" -eq 0 ] && [ "$ncrash" -eq 0 ] && [ "$reports" -eq 0 ] &&
	[ "${execs:-0}" -ge "$runs" ]
