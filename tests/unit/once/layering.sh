# The command side stays easy to change (issue 17 item 5): no two source files use each other,
# and a header declares only its own file's functions (so that including it is using that
# file). A.c including B.h means A uses B; A -> B and B -> A is a circle.
# Left open: modconf <-> modload (modload_kmod / modconf_paths); modconf.c is held still for
# its fuzz campaign.
KNOWN_CIRCLES=" modconf<->modload modload<->modconf"

# uses FILE.c: the other files whose headers it includes, one a line
uses() {
	own=${1##*/}; own=${own%.c}
	sed -n 's/^#include "\([a-z_0-9]*\)\.h"$/\1/p' "$1" | grep -vx "$own" || true
}

t_no_include_circles() {
	circles=
	for a in "$TOP"/src/*.c; do
		an=${a##*/}; an=${an%.c}
		for bn in $(uses "$a"); do
			[ -f "$TOP/src/$bn.c" ] || continue
			if uses "$TOP/src/$bn.c" | grep -qx "$an"; then
				circles="$circles $an<->$bn"
			fi
		done
	done
	[ "$circles" = "$KNOWN_CIRCLES" ] || fail "files that use each other:$circles"
}

t_headers_declare_their_own_file() {
	wrong=
	for h in "$TOP"/src/*.h; do
		c=${h%.h}.c
		[ -f "$c" ] || continue
		for fn in $(sed -n 's/^[a-z][a-z_0-9 ]*[ *]\([a-z_0-9]*\)(.*/\1/p' "$h" |
			    grep -v '^$'); do
			grep -q "^[a-z].*[ *]$fn(" "$c" || wrong="$wrong ${h##*/}:$fn"
		done
	done
	[ -z "$wrong" ] || fail "declared in a header, defined in another file:$wrong"
}
