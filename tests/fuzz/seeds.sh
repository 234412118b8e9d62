#!/bin/sh
# Seed corpus of one fuzz harness: seeds.sh HARNESS DIR (one file per seed).
#   cmdline   every command line of kernel-cmdline/vectors.txt ("> " lines, escapes decoded)
#   selector  every selector of those lines (the vfio.bind= values split at commas)
#   uevent    the uevent files of the unit fixtures (tests/unit/mkfixture.sh)
#   resource  their /proc/iomem and BAR resource files
#   config    the persistent file: each command line of vectors.txt as a one-line file, all of
#             them as one file, the vfio-bind.conf files the booted scenarios write (their
#             here-documents) and the boot-loader drop-ins of kernel-cmdline/examples/
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
name=$1 dir=$2
mkdir -p "$dir"
vectors=$top/kernel-cmdline/vectors.txt

# seeds_from_vectors KIND: the command lines of vectors.txt (escapes decoded), or the selectors
# in them, one file each
seeds_from_vectors() {
	python3 - "$vectors" "$dir" "$1" <<'PY'
import re, sys
vectors, out, kind = sys.argv[1:]
def decode(s):
    s = re.sub(r'\\x([0-9a-fA-F]{2})', lambda m: chr(int(m.group(1), 16)), s)
    return s.replace('\\t', '\t').replace('\\\\', '\\')
seeds = []
for l in open(vectors, encoding='latin-1'):
    if not l.startswith('>'):
        continue
    line = decode(l[1:].rstrip('\n').lstrip(' '))
    if kind == 'cmdline':
        seeds.append(line)
        continue
    for tok in line.split():
        m = re.match(r'(rd\.)?vfio[._-]bind=(.*)', tok)
        if m:
            seeds.extend(m.group(2).split(','))
for i, s in enumerate(seeds):
    with open('%s/seed-%d' % (out, i), 'wb') as f:
        f.write(s.encode('latin-1'))
PY
}

i=0
case $name in
cmdline | selector)
	seeds_from_vectors "$name"
	;;
config)
	seeds_from_vectors cmdline
	for f in "$dir"/seed-*; do cat "$f"; echo; done > "$dir/all-vectors"
	# the scenarios' files: cat >".../vfio-bind.conf" <<-'EOF' ... EOF (leading tabs dropped)
	for f in "$top"/tests/qemu-boot/scenarios.d/*.sh; do
		awk -v out="$dir/scenario-$(basename "$f" .sh)-" '
			inside && /^[\t]*EOF$/ { inside = 0; close(file); next }
			inside { sub(/^\t+/, ""); print > file; next }
			/vfio-bind\.conf(\.d\/[^ ]*)?" *<<-?.EOF.$/ { inside = 1; n++; file = out n }
		' "$f"
	done
	for f in "$top"/kernel-cmdline/examples/*; do
		cp "$f" "$dir/example-$(basename "$f")"
	done
	;;
uevent | resource)
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	for t in "$top"/tests/unit/fixtures/*.topo; do
		r=$tmp/$(basename "$t" .topo)
		"$top/tests/unit/mkfixture.sh" "$t" "$r"
		if [ "$name" = uevent ]; then
			for u in "$r"/sys/devices/pci0000:00/*/uevent; do
				i=$((i + 1)); cp "$u" "$dir/seed-$(basename "$t" .topo)-$i"
			done
		else
			cp "$r/proc/iomem" "$dir/seed-iomem-$(basename "$t" .topo)"
			for u in "$r"/sys/devices/pci0000:00/*/resource; do
				i=$((i + 1)); cp "$u" "$dir/seed-bar-$(basename "$t" .topo)-$i"
			done
		fi
	done
	;;
*)
	echo "seeds.sh: no seeds for '$name'; the harness starts from an empty corpus" >&2
	;;
esac
