#!/bin/sh
# Fetch a Debian source package into WORK with `apt-get source`, without touching the host's apt
# configuration, and print its unpacked directory.
#
#   scripts/apt-source.sh WORK PACKAGE        (build-libkmod.sh, build-decompressors.sh)
#
# A private sources list (a deb-src copy of the archive the host already uses, read from
# /etc/apt at run time), private lists and caches: everything apt writes goes under WORK/apt, the
# host's status file is only read. A source tree already unpacked in WORK (PACKAGE-VERSION/) is
# reused, so a second run needs no network. Messages go to stderr, apt's output to WORK/apt.log.
set -eu

die() { echo "apt-source: error: $*" >&2; exit 1; }

[ $# -eq 2 ] || die "usage: $0 WORK PACKAGE"
work=$1 pkg=$2
mkdir -p "$work" || die "cannot create $work"
work=$(cd "$work" && pwd)

# the newest unpacked PACKAGE-VERSION directory (a version starts with a digit)
unpacked() {
	find "$work" -maxdepth 1 -type d -name "$pkg-[0-9]*" | sort | tail -n 1
}
src=$(unpacked)
[ -n "$src" ] && { echo "$src"; exit 0; }

for tool in apt-get dpkg-source; do
	command -v "$tool" >/dev/null 2>&1 ||
		die "'$tool' not found; install the packages in scripts/deps/build.list (scripts/install-deps.sh)"
done

# --- the archive the host already uses, as a private deb-src list ------------------------------
# deb822 (*.sources) first, then one-line lists; the first Debian stanza with a URI wins.
srclist=$work/apt/sources.list
mkdir -p "$work/apt/lists/partial" "$work/apt/cache/archives/partial" "$work/apt/parts"
entry=
for f in /etc/apt/sources.list.d/*.sources; do
	[ -f "$f" ] || continue
	entry=$(awk '
		function flush() {
			if (uri != "" && suites != "" && types ~ /(^| )deb( |$)/ && done == 0) {
				n = split(suites, s, " ")
				line = "deb-src"
				if (signed != "") line = line " [signed-by=" signed "]"
				print line " " uri " " s[1] " " comps
				done = 1
			}
			types = uri = suites = comps = signed = ""
		}
		/^[ \t]*#/ { next }
		/^[ \t]*$/ { flush(); next }
		{
			key = $1; sub(/:$/, "", key); $1 = ""; sub(/^ +/, "")
			if (key == "Types") types = $0
			else if (key == "URIs") { split($0, u, " "); uri = u[1] }
			else if (key == "Suites") suites = $0
			else if (key == "Components") comps = $0
			else if (key == "Signed-By") signed = $0
		}
		END { flush() }' "$f")
	[ -n "$entry" ] && break
done
if [ -z "$entry" ]; then
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		entry=$(awk '$1 == "deb" { $1 = "deb-src"; print; exit }' "$f")
		[ -n "$entry" ] && break
	done
fi
[ -n "$entry" ] || die "found no 'deb' entry in /etc/apt/sources.list{,.d/} to derive a deb-src entry from"
printf '%s\n' "$entry" >"$srclist"

aptopts="-q -o Dir::Etc::SourceList=$srclist -o Dir::Etc::SourceParts=$work/apt/parts
	-o Dir::State::Lists=$work/apt/lists -o Dir::Cache=$work/apt/cache
	-o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=
	-o APT::Sandbox::User=root -o APT::Get::List-Cleanup=0"

# --- the source ---------------------------------------------------------------------------------
log=$work/apt.log
echo "apt-source: fetching $pkg source (deb-src: $entry)" >&2
# shellcheck disable=SC2086
apt-get $aptopts update >>"$log" 2>&1 ||
	{ tail -n 25 "$log" >&2; die "apt-get update (private lists) failed (log: $log)"; }
# shellcheck disable=SC2086
(cd "$work" && apt-get $aptopts source "$pkg" >>"$log" 2>&1) ||
	{ tail -n 25 "$log" >&2; die "apt-get source $pkg failed (log: $log)"; }
src=$(unpacked)
[ -n "$src" ] || die "apt-get source $pkg left no $pkg-* directory in $work"
echo "$src"
