#!/bin/sh
# Run libFuzzer harnesses: tests/fuzz/run.sh [--smoke] SECONDS|RUNS=N HARNESS...
#   SECONDS   -max_total_time per harness (make fuzz FUZZ_TIME=...)
#   RUNS=N    -runs=N per harness instead (a campaign of a fixed number of executions)
#   --smoke   also record PASS/FAIL fuzz:HARNESS in build/results/fuzz.txt (make check)
# One job each, one after the other (the machine's cores are shared). The corpus of each
# harness grows in build/fuzz/corpus/HARNESS, seeded by seeds.sh; crashes go to
# build/fuzz/crashes/HARNESS/. A summary line per harness: executions, rate, crashes.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
B=$top/build
smoke=0
if [ "${1:-}" = --smoke ]; then smoke=1; shift; fi
limit=$1; shift
case $limit in
RUNS=*) opt="-runs=${limit#RUNS=}" ;;
*) opt="-max_total_time=$limit" ;;
esac
results=$B/results/fuzz.txt
mkdir -p "$B/results" "$B/fuzz"
[ "$smoke" = 0 ] || : > "$results"
stats=$B/fuzz/stats.txt
fails=0
for h in "$@"; do
	bin=$B/fuzz/fuzz-$h corpus=$B/fuzz/corpus/$h crashes=$B/fuzz/crashes/$h log=$B/fuzz/$h.log
	mkdir -p "$corpus" "$crashes"
	seeds=$B/fuzz/seeds/$h
	if [ ! -d "$seeds" ]; then
		"$top/tests/fuzz/seeds.sh" "$h" "$seeds.tmp" && mv "$seeds.tmp" "$seeds"
	fi
	t0=$(date +%s)
	"$bin" "$opt" -print_final_stats=1 -artifact_prefix="$crashes/" "$corpus" "$seeds" \
		> "$log" 2>&1
	rc=$?
	t1=$(date +%s)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	ncrash=$(find "$crashes" -type f | wc -l)
	sanitizer=$(grep -c 'ERROR: AddressSanitizer\|runtime error:\|ERROR: libFuzzer' "$log")
	line="fuzz-$h: ${execs:-?} executions in $((t1 - t0)) s (${rate:-?} exec/s), exit $rc, $ncrash crash files, $sanitizer sanitizer/libFuzzer reports; corpus $(ls "$corpus" | wc -l) files"
	echo "$line"
	echo "$(date -u +%FT%TZ) $limit $line" >> "$stats"
	if [ "$rc" -ne 0 ] || [ "$ncrash" -ne 0 ] || [ "$sanitizer" -ne 0 ] || [ -z "$execs" ]; then
		fails=$((fails + 1))
		grep -m 20 -A 20 'ERROR\|==ERROR\|runtime error' "$log" | head -n 40
		[ "$smoke" = 0 ] || echo "FAIL fuzz:$h" >> "$results"
	else
		[ "$smoke" = 0 ] || echo "PASS fuzz:$h" >> "$results"
	fi
done
[ "$fails" -eq 0 ]
