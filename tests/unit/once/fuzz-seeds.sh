# The fuzz harnesses' seeds (tests/fuzz/seeds.sh): the script parses under dash, and every
# harness named in the Makefile's FUZZ_HARNESSES gets seeds (a case branch missing its ';;'
# once broke every harness of make fuzz and make check's fuzz smoke at once).

t_seeds_for_every_harness() {
	dash -n "$TOP/tests/fuzz/seeds.sh" || fail "tests/fuzz/seeds.sh does not parse under dash"
	harnesses=$(sed -n '/^FUZZ_HARNESSES *:=/,/[^\\]$/p' "$TOP/Makefile" |
		sed 's/^FUZZ_HARNESSES *:=//; s/\\$//')
	[ -n "$harnesses" ] || fail "no FUZZ_HARNESSES in the Makefile"
	for h in $harnesses; do
		dir=$(mktemp -d)
		rmdir "$dir"
		dash "$TOP/tests/fuzz/seeds.sh" "$h" "$dir" >/dev/null 2>&1 ||
			fail "seeds.sh $h exited $?"
		n=$(ls "$dir" | wc -l)
		rm -rf "$dir"
		[ "$n" -gt 0 ] || fail "seeds.sh $h made no seeds"
	done
}
