# SPDX-License-Identifier: GPL-2.0-or-later
#
# Turn man/vfio-bind.8 into the `vfio-bind --help' text, as a C string macro (VB_HELP_TEXT),
# so the help cannot drift from the man page. Usage:
#   awk -f man/gen-help.awk man/vfio-bind.8 > build/gen/help-text.h   (C header)
#   awk -v mode=text -f man/gen-help.awk man/vfio-bind.8              (the help as text)
#   awk -v mode=dump -f man/gen-help.awk PAGE     (every text line as SECTION<TAB>KIND<TAB>text,
#                                                  KIND "tag" for .TP/.TQ tags: for the tests)
#
# What goes in (see the comment at the top of the page): NAME's one-line summary, SYNOPSIS as
# the usage line, and from COMMANDS, OPTIONS, KERNEL COMMAND LINE and EXIT STATUS the text before the first .TP and
# each .TP tag with the paragraph right after it. Further paragraphs of an item (.IP) and .PP
# paragraphs are the man page's alone. The page is plain man(7); a request or escape this
# script does not know, inside what goes into the help, is an error rather than a guess.

BEGIN {
	WIDTH = 79		# wrap the help to 79 columns
	COL = 24		# descriptions start here; longer tags get a line of their own
	NBSP = "\001"
	help["SYNOPSIS"] = help["COMMANDS"] = help["OPTIONS"] = 1
	help["KERNEL COMMAND LINE"] = help["EXIT STATUS"] = 1
	nout = 0
}

function fail(msg) {
	printf "%s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"
	failed = 1
	exit 1
}

# Inline roff to plain text.
function plain(s) {
	gsub(/\\e/, "\002", s)
	gsub(/\\f[BIRP]/, "", s)
	gsub(/\\-/, "-", s)
	gsub(/\\&/, "", s)
	gsub(/\\\(aq/, "'", s)
	gsub(/\\\(dq/, "\"", s)
	gsub(/\\ /, NBSP, s)
	if (s ~ /\\/)
		fail("escape not known to gen-help.awk: " s)
	gsub(/\002/, "\\", s)
	return s
}

# The arguments of a macro line, with roff's double quotes honoured.
function args(line, argv,    n, s, q) {
	n = 0
	s = line
	sub(/^\.[A-Za-z]+[ \t]*/, "", s)
	while (s != "") {
		if (substr(s, 1, 1) == "\"") {
			s = substr(s, 2)
			q = index(s, "\"")
			if (!q)
				q = length(s) + 1
			argv[++n] = substr(s, 1, q - 1)
			s = substr(s, q + 1)
		} else {
			match(s, /^[^ \t]+/)
			argv[++n] = substr(s, 1, RLENGTH)
			s = substr(s, RLENGTH + 1)
		}
		sub(/^[ \t]+/, "", s)
	}
	return n
}

# A text or font-macro line as plain text: .B and .I join their arguments with spaces, the
# alternating-font macros (.BR, .IR, ...) without.
function line_text(line,    av, n, i, sep, t) {
	if (line !~ /^\./)
		return plain(line)
	n = args(line, av)
	sep = (line ~ /^\.[BI][ \t]/ || line ~ /^\.[BI]$/) ? " " : ""
	t = ""
	for (i = 1; i <= n; i++)
		t = t (i > 1 ? sep : "") av[i]
	return plain(t)
}

function spaces(n,    s) {
	s = ""
	while (n-- > 0)
		s = s " "
	return s
}

function emit(ln) {
	gsub(NBSP, " ", ln)
	out[++nout] = ln
}

# Fill @text (forced breaks as "\n") into lines: the first starts with @lead, the rest are
# indented by @indent.
function fill(body, lead, indent,    paras, np, p, words, nw, i, ln, pad) {
	pad = spaces(indent)
	np = split(body, paras, "\n")
	ln = lead
	for (p = 1; p <= np; p++) {
		nw = split(paras[p], words, /[ \t]+/)
		for (i = 1; i <= nw; i++) {
			if (words[i] == "")
				continue
			if (ln ~ /[^ ]$/ && length(ln) + 1 + length(words[i]) > WIDTH) {
				emit(ln)
				ln = pad
			}
			ln = ln (ln ~ /[^ ]$/ ? " " : "") words[i]
		}
		if (p < np) {
			emit(ln)
			ln = pad
		}
	}
	if (ln ~ /[^ ]/)
		emit(ln)
}

# End of a paragraph: put what was gathered into the help.
function flush() {
	if (state == "intro" && para != "") {
		if (section == "SYNOPSIS")
			fill(para, "Usage: ", 7)
		else
			fill(para, "  ", 2)
	} else if (state == "body") {
		if (length(tag) + 2 <= COL - 2)
			fill(para, "  " tag spaces(COL - 2 - length(tag)), COL)
		else {
			emit("  " tag)
			fill(para, spaces(COL), COL)
		}
		state = "skip"
	}
	para = ""
}

function add(t) {
	para = para (para == "" || para ~ /\n$/ ? "" : " ") t
}

/^\.\\"/ || /^\.$/ { next }

/^\.TH/ { next }

/^\.SH/ {
	flush()
	nsh = args($0, sh)
	section = sh[1]
	for (k = 2; k <= nsh; k++)
		section = section " " sh[k]
	state = "intro"
	if (mode != "dump" && section in help && section != "SYNOPSIS") {
		emit("")
		emit(toupper(substr(section, 1, 1)) tolower(substr(section, 2)) ":")
	}
	next
}

mode == "dump" {
	if (/^\.T[PQ]/)
		kind = "tag"
	else if (/^\.(B|I|BR|IR|RB|RI|BI|IB)([ \t]|$)/ || !/^\./) {
		print section "\t" (kind == "tag" ? "tag" : "text") "\t" line_text($0)
		kind = ""
	}
	next
}

section == "NAME" {
	summary = line_text($0)
	sub(/^.* - /, "", summary)
	summary = toupper(substr(summary, 1, 1)) substr(summary, 2) "."
	next
}

!(section in help) { next }

/^\.TP/ { flush(); state = "tag"; tag = ""; next }
/^\.TQ/ { state = "tag"; tag = tag ", "; next }
/^\.(PP|IP|LP|P)([ \t]|$)/ { flush(); state = "skip"; next }
/^\.br/ { if (state != "skip") para = para "\n"; next }
/^\.(B|I|BR|IR|RB|RI|BI|IB)([ \t]|$)/ || !/^\./ {
	if (state == "tag") {
		tag = tag line_text($0)
		state = "body"
	} else if (state != "skip") {
		add(line_text($0))
	}
	next
}
{ fail("request not known to gen-help.awk: " $0) }

END {
	if (failed)
		exit 1
	if (mode == "dump")
		exit 0
	flush()
	if (summary == "")
		fail("no NAME section")
	emit("")
	emit("See vfio-bind(8) for the full manual and vfio-bind(7) for vfio.bind= on the")
	emit("kernel command line.")
	if (mode == "text") {
		for (k = 1; k <= nout; k++) {
			print out[k]
			if (k == 1)
				print summary
		}
		exit 0
	}
	print "/* Generated from man/vfio-bind.8 by man/gen-help.awk: edit the man page, not this. */"
	print "#define VB_HELP_TEXT \\"
	for (k = 1; k <= nout; k++) {
		c = out[k]
		gsub(/\\/, "\\\\", c)
		gsub(/"/, "\\\"", c)
		gsub(/\?/, "\\?", c)
		printf "\t\"%s\\n\" \\\n", c
		if (k == 1)
			printf "\t\"%s\\n\" \\\n", summary
	}
	print "\t\"\""
}
