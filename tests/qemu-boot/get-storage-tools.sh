#!/bin/sh
# Fetch Debian's mdadm, lvm2 and btrfs-progs for the booted in-use scenario
# (scenarios.d/50-inuse.sh) and unpack them into the cache: nothing is installed on the host
# (their udev rules and services would change the host's own storage handling). The library
# packages they depend on that this machine lacks (libdevmapper-event1.02.1 on a plain host)
# come along. Prints the directory of the unpacked tree (DIR/sbin/mdadm, DIR/sbin/lvm, ...).
# Usage: get-storage-tools.sh [CACHE]
set -eu
cache=${1:-${VFIO_BIND_CACHE:-${HOME:-/root}/.cache/vfio-bind}}
mkdir -p "$cache/debs"

installed() { dpkg-query -W -f '${Status}\n' "$1" 2>/dev/null | grep -q ' installed$'; }
# the direct dependencies of PKG... that are library packages
lib_deps() {
	apt-cache depends --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces \
		--no-enhances "$@" 2>/dev/null | sed -n 's/^ *Depends: \(lib[^ <>]*\)$/\1/p' | sort -u
}
# the version apt would fetch for PKG, as apt-get download spells it in the file name
# (an epoch's colon as %3a)
deb_version() {
	apt-cache show --no-all-versions "$1" 2>/dev/null | sed -n 's/^Version: //p' | head -n1 |
		sed 's/:/%3a/'
}
deb_file() { ls "$cache/debs/$1_$2_"*.deb 2>/dev/null | head -n1; }

want="mdadm lvm2 btrfs-progs"
todo=$want
while [ -n "$todo" ]; do
	next=
	for d in $(lib_deps $todo); do
		case " $want " in *" $d "*) continue ;; esac
		installed "$d" && continue
		want="$want $d"
		next="$next $d"
	done
	todo=$next
done

names=
for p in $want; do
	v=$(deb_version "$p")
	if [ -z "$v" ]; then
		# No archive lists: whatever was unpacked before.
		last=$(ls -d "$cache"/storage-tools-* 2>/dev/null | tail -n1)
		[ -n "$last" ] && [ -f "$last/.done" ] && { echo "$last"; exit 0; }
		echo "get-storage-tools: apt knows no $p (apt-get update?)" >&2
		exit 1
	fi
	names="$names $p=$v"
done
hash=$(printf '%s\n' $names | sort | md5sum | cut -c1-12)
dir=$cache/storage-tools-$hash
if [ -f "$dir/.done" ]; then
	echo "$dir"
	exit 0
fi

for pv in $names; do
	p=${pv%%=*}
	[ -n "$(deb_file "$p" "${pv#*=}")" ] && continue
	dl=$(mktemp -d "$cache/debs/dl.XXXXXX")
	(cd "$dl" && apt-get download -q "$p" >&2) || { rm -rf "$dl"; exit 1; }
	mv "$dl"/*.deb "$cache/debs/"
	rm -rf "$dl"
done
# Unpack beside the final place and rename at the end: a concurrent run sees all or nothing.
tmp=$(mktemp -d "$dir.tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
for pv in $names; do
	dpkg -x "$(deb_file "${pv%%=*}" "${pv#*=}")" "$tmp"
done
printf '%s\n' $names >"$tmp/PACKAGES"
touch "$tmp/.done"
if ! mv -T "$tmp" "$dir" 2>/dev/null; then
	[ -f "$dir/.done" ] || { echo "get-storage-tools: cannot create $dir" >&2; exit 1; }
fi
echo "$dir"
