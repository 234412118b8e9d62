#!/bin/sh
# Add up build/results/*.txt (lines "PASS name" / "FAIL name" / "SKIP name") and print the
# closing line that CI counts. Exit status 1 when anything failed or nothing ran. A suite run
# through tests/timed.sh has its wall time in SUITE.time: printed with its results, and the
# total; the closing line stays the last.
dir=${1:-build/results}
pass=0 fail=0 skip=0 total=0 timed=0
# mmss SECONDS: "12m03s"
mmss() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }
for f in "$dir"/*.txt; do
	[ -f "$f" ] || continue
	suite=$(basename "$f" .txt)
	p=$(grep -c '^PASS ' "$f"); x=$(grep -c '^FAIL ' "$f"); s=$(grep -c '^SKIP ' "$f")
	t=
	if [ -f "$dir/$suite.time" ]; then
		secs=$(cat "$dir/$suite.time")
		t="  $(mmss "$secs")"
		total=$((total + secs)) timed=$((timed + 1))
	fi
	printf '%-12s %4d passed, %4d failed, %4d skipped%s\n' "$suite" "$p" "$x" "$s" "$t"
	grep '^FAIL ' "$f" | sed 's/^/    /'
	pass=$((pass + p)) fail=$((fail + x)) skip=$((skip + s))
done
# a timed suite that recorded nothing (it could not start) still took its time
for f in "$dir"/*.time; do
	[ -f "$f" ] || continue
	suite=$(basename "$f" .time)
	[ ! -f "$dir/$suite.txt" ] || continue
	secs=$(cat "$f")
	printf '%-12s %-38s  %s\n' "$suite" "no results" "$(mmss "$secs")"
	total=$((total + secs)) timed=$((timed + 1))
done
[ "$timed" -eq 0 ] || printf 'wall time    %s (%d suites)\n' "$(mmss "$total")" "$timed"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
