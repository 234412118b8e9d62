#!/bin/sh
# Add up build/results/*.txt (lines "PASS name" / "FAIL name" / "SKIP name") and print the
# closing line that CI counts. Exit status 1 when anything failed or nothing ran.
dir=${1:-build/results}
pass=0 fail=0 skip=0
for f in "$dir"/*.txt; do
	[ -f "$f" ] || continue
	p=$(grep -c '^PASS ' "$f"); x=$(grep -c '^FAIL ' "$f"); s=$(grep -c '^SKIP ' "$f")
	printf '%-12s %4d passed, %4d failed, %4d skipped\n' "$(basename "$f" .txt)" "$p" "$x" "$s"
	grep '^FAIL ' "$f" | sed 's/^/    /'
	pass=$((pass + p)) fail=$((fail + x)) skip=$((skip + s))
done
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
