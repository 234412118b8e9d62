# grubcfg.c against dash itself (issue 16, item 5): files in the grammar both read (assignments,
# export, sh quoting, $VAR and ${VAR}, line continuations, comments, ';') are generated at
# random, sourced by `dash -c '. FILE'` and read by build/test-grubcfg; the values of
# GRUB_CMDLINE_LINUX and GRUB_CMDLINE_LINUX_DEFAULT must be the same bytes. GRUBCFG_N files
# (default 400), GRUBCFG_SEED picks the series.

# gen_files DIR N SEED: N files DIR/N.cfg in that grammar
gen_files() {
	awk -v dir="$1" -v n="$2" -v seed="$3" '
	function pick(s) { return substr(s, int(rand() * length(s)) + 1, 1) }
	function var() { return vars[int(rand() * 4)] }
	function ref() { return rand() < 0.5 ? "$" var() : "${" var() "}" }
	function unq(   s, i, k) { k = 1 + int(rand() * 4); s = ""
		for (i = 0; i < k; i++) s = s pick("abcxyz0129_-.,/:@%+=#*?[]!^{}")
		return s }
	function sq(   s, i, k) { k = int(rand() * 5); s = ""
		for (i = 0; i < k; i++) s = s (rand() < 0.1 ? "\n" : pick("ab $\"\\`;#&|<>()~*=" ))
		return "\047" s "\047" }
	function dq(   s, i, k, r) { k = int(rand() * 5); s = ""
		for (i = 0; i < k; i++) { r = rand()
			if (r < 0.2) s = s ref()
			else if (r < 0.35) s = s "\\" pick("$\"\\`abn ~")
			else if (r < 0.4) s = s "\n"
			else if (r < 0.45) s = s "$" pick(" .:/\047")
			else if (r < 0.5) s = s "\\\n"
			else s = s pick("ab =;#&|<>()~*\047")
		}
		return "\"" s "\"" }
	function value(   s, i, k, r) { k = 1 + int(rand() * 5); s = ""
		for (i = 0; i < k; i++) { r = rand()
			if (r < 0.25) s = s unq()
			else if (r < 0.45) s = s dq()
			else if (r < 0.6) s = s sq()
			else if (r < 0.75) s = s ref()
			else if (r < 0.85) s = s "\\" pick("ab $\"\047\\`;#&|<>()~ ")
			else if (r < 0.9) s = s "\\\n"
			else s = s "$" pick(".:/=,")
		}
		return s }
	function assignment() { return var() "=" value() }
	function command(   s, r) { r = rand()
		if (r < 0.15) { s = "export " assignment(); if (rand() < 0.5) s = s " " (rand() < 0.5 ? var() : assignment()); return s }
		s = assignment(); if (rand() < 0.3) s = s " " assignment()
		return s }
	BEGIN {
		srand(seed)
		vars[0] = "A"; vars[1] = "B"; vars[2] = "GRUB_CMDLINE_LINUX"; vars[3] = "GRUB_CMDLINE_LINUX_DEFAULT"
		for (f = 0; f < n; f++) {
			out = dir "/" f ".cfg"
			lines = 2 + int(rand() * 7)
			for (l = 0; l < lines; l++) {
				r = rand()
				if (r < 0.08) { print "" > out; continue }
				if (r < 0.15) { print "# " unq() " $(id) `id`" > out; continue }
				s = (rand() < 0.2 ? "\t " : "") command()
				if (rand() < 0.2) s = s "; " command()
				if (rand() < 0.15) s = s " # " unq()
				print s > out
			}
			close(out)
		}
	}'
}

t_grubcfg_agrees_with_dash() {
	command -v dash >/dev/null || fail "no dash"
	[ -x "$B/test-grubcfg" ] || fail "no $B/test-grubcfg (make $B/test-grubcfg)"
	ROOT=$(mktemp -d "${TMPDIR:-/tmp}/vfio-bind-grubcfg.XXXXXX")
	n=${GRUBCFG_N:-400}
	gen_files "$ROOT" "$n" "${GRUBCFG_SEED:-16}"
	i=0 bad=0 full=0
	while [ "$i" -lt "$n" ]; do
		f=$ROOT/$i.cfg
		for v in GRUB_CMDLINE_LINUX GRUB_CMDLINE_LINUX_DEFAULT; do
			env -i dash -c '. "$1"; eval "printf %s \"\$$2\""' sh "$f" "$v" > "$ROOT/want" 2>"$ROOT/dash-err" ||
				fail "dash failed on $f: $(cat "$ROOT/dash-err"): $(cat "$f")"
			"$B/test-grubcfg" "$v" "$f" > "$ROOT/got" 2>"$ROOT/got-err" ||
				{ echo "    $f: $v: $(cat "$ROOT/got-err")" >&2; bad=$((bad + 1)); continue; }
			[ ! -s "$ROOT/want" ] || full=$((full + 1))
			if ! cmp -s "$ROOT/want" "$ROOT/got"; then
				bad=$((bad + 1))
				echo "    $f: $v: dash '$(cat "$ROOT/want")', test-grubcfg '$(cat "$ROOT/got")'" >&2
				sed 's/^/    | /' "$f" >&2
			fi
		done
		i=$((i + 1))
	done
	[ "$bad" -eq 0 ] || fail "$bad of $((n * 2)) values differ from dash's"
	# the generator makes values worth comparing: most are not empty
	[ "$full" -ge "$n" ] || fail "only $full of $((n * 2)) values are not empty"
	echo "grubcfg: $((n * 2)) values ($full not empty) of $n generated files as dash reads them" >&2
}
