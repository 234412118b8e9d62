# SPDX-License-Identifier: GPL-2.0-or-later
# Sourced by tests/packaging/run.sh: what --help, vfio-bind(8), vfio-bind(7) and
# kernel-cmdline/README.md must agree on. The man pages are read through man/gen-help.awk (the
# same reader that makes --help), so a page it cannot read fails here too.

# man_dump PAGE: SECTION<TAB>KIND<TAB>text for every text line of PAGE.
man_dump()
{
	awk -v mode=dump -f man/gen-help.awk "$1"
}

# Every command (first word of a COMMANDS tag) and every option (in COMMANDS and OPTIONS tags)
# of vfio-bind(8), one a line.
man_commands_options()
{
	man_dump man/vfio-bind.8 | awk -F '\t' '
		$2 == "tag" && $1 == "COMMANDS" { split($3, w, " "); print w[1] }
		$2 == "tag" && ($1 == "COMMANDS" || $1 == "OPTIONS") {
			s = $3
			while (match(s, /(^|[^-A-Za-z])--?[A-Za-z][-A-Za-z]*/)) {
				o = substr(s, RSTART, RLENGTH)
				sub(/^[^-]/, "", o)
				print o
				s = substr(s, RSTART + RLENGTH)
			}
		}' | sort -u
}

# The plain text of a README (markdown as it is) or of a man page.
doc_text()
{
	case $1 in
	*.md) cat "$1" ;;
	*) man_dump "$1" | cut -f 3 ;;
	esac
}

# The command-line terms in the text on stdin, one a line, sorted:
#   sel:FORM      selector forms, written with the placeholders VVVV DDDD SVVV SDDD BB SS F ADDR
#   set:KEY       vfio_bind.KEY= settings ('-' and '_' alike, as the kernel has them)
#   param:P       the other parameters vfio-bind recognises and reports
terms()
{
	t=$(tr -d '`')
	{
		printf '%s\n' "$t" | grep -oE '!?[][A-Z:.*@!]+' | sed 's/\.$//' | grep -E '^!|:' |
			grep -E 'VVVV|DDDD|BB|ADDR' | sed 's/^/sel:/'
		printf '%s\n' "$t" | grep -oE 'vfio[-_]bind\.[a-z_-]+=' | tr - _ |
			sed 's/=$//; s/^vfio_bind\./set:/'
		for p in initcall_blacklist=sysfb_init video=efifb:off video=vesafb:off \
			modprobe.blacklist=; do
			printf '%s\n' "$t" | grep -qF "$p" && echo "param:$p"
		done
		printf '%s\n' "$t" | grep -qw nofb && echo param:nofb
	} | sort -u
}

# cmdline_drift A B: the terms one of A, B uses and the other does not (nothing: no drift).
cmdline_drift()
{
	doc_text "$1" | terms >"$out/terms-a"
	doc_text "$2" | terms >"$out/terms-b"
	comm -23 "$out/terms-a" "$out/terms-b" | sed "s|^|only in $1: |"
	comm -13 "$out/terms-a" "$out/terms-b" | sed "s|^|only in $2: |"
}

# cmdline_drift_man8 MAN7 MAN8: the KERNEL COMMAND LINE summary of vfio-bind(8) (which --help
# shows) uses no selector form or setting that vfio-bind(7) lacks, and names every setting.
cmdline_drift_man8()
{
	doc_text "$1" | terms | grep -v '^param:' >"$out/terms-7"
	man_dump "$2" | awk -F '\t' '$1 == "KERNEL COMMAND LINE" { print $3 }' | terms |
		grep -v '^param:' >"$out/terms-8"
	comm -13 "$out/terms-7" "$out/terms-8" | sed "s|^|only in $2: |"
	grep '^set:' "$out/terms-7" | comm -23 - "$out/terms-8" | sed "s|^|not in $2: |"
}

# examples_parse BINARY: every vfio.bind= line of kernel-cmdline/examples/ and of the EXAMPLES
# of vfio-bind(7) is read by BINARY without a complaint.
examples_parse()
{
	root=$out/examples-root
	mkdir -p "$root"
	{
		cat kernel-cmdline/examples/*
		man_dump man/vfio-bind.7 | awk -F '\t' '$1 == "EXAMPLES" { print $3 }'
	} | grep -oE "vfio[._]bind(\.[a-z_-]+)?=[^[:space:]\"'/]*" | while read -r line; do
		printf '%s\n' "$line" >"$root/cmdline"
		"$1" --root "$root" --cmdline "$root/cmdline" --kmsg /nonexistent/kmsg \
			--dry-run boot >/dev/null 2>"$root/log"
		if grep -qE 'bad (selector|value)|unknown setting|needs a value' "$root/log"; then
			echo "'$line': $(grep -E 'bad|unknown|needs' "$root/log" | head -n 1)"
		fi
	done
}
