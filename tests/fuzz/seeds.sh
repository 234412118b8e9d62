#!/bin/sh
# Seed corpus of one fuzz harness: seeds.sh HARNESS DIR (one file per seed).
#   cmdline   every command line of kernel-cmdline/vectors.txt ("> " lines, escapes decoded)
#   selector  every selector of those lines (the vfio.bind= values split at commas)
#   uevent    the uevent files of the unit fixtures (tests/unit/mkfixture.sh)
#   resource  their /proc/iomem and BAR resource files
#   config    the persistent file: each command line of vectors.txt as a one-line file, all of
#             them as one file, the vfio-bind.conf files the booted scenarios write (their
#             here-documents) and the boot-loader drop-ins of kernel-cmdline/examples/
#   sriov     the SR-IOV PFs of the unit fixtures and QEMU's NVMe (TOTAL OFFSET STRIDE VFDEV
#             PF CMDLINE, one a line), and hostile values: huge, negative, not numbers
#   remove    a line of selectors to remove, then a file: the config seeds, each with a selector
#             of its own (or 42:00.0), and the quoting cases of issue 15
#   modconf   modprobe.d files (split at "%%" lines): the unit tests' and the issue's cases, a
#             long ids= below and one above vfio-pci's 1023 characters
#   grubcfg   a mode byte (even: a file as it is; odd: a value as quoted pieces) and stock
#             /etc/default/grub files (Debian, Ubuntu, RHEL), the drop-ins of
#             kernel-cmdline/examples/, hostile lines (command substitution, redirection, sleep)
#   bls       BLS entries (Fedora, RHEL 8's $kernelopts), a NUL, a grubenv block
#   initramfs the uncompressed part of an image: mkinitramfs's early archive, two archives with
#             NUL padding between them, cpio's old-ASCII and crc variants
#   hotplug   NUL-separated: argument, uevent, driver link, physfn link, modules.alias line,
#             drivers/ entry, late record, from the fixtures and the udev rule's runs
#   vmconf    pci.cfg, a line "%%", a VM's configuration (Proxmox VE or libvirt): the unit
#             cases' cluster node and libvirt host (tests/unit/cases/vms.sh)
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
remove)
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	"$0" config "$tmp/config"
	for f in "$tmp"/config/*; do
		sel=$(grep -ao 'vfio[._-]bind="*[^ ,"]*' "$f" | head -n 1 | sed 's/^[^=]*="*//')
		i=$((i + 1))
		{ printf '%s\n' "${sel:-42:00.0}"; cat "$f"; } > "$dir/seed-$i"
	done
	while IFS='|' read -r sel file; do
		i=$((i + 1))
		printf '%s\n%b' "$sel" "$file" > "$dir/seed-$i"
	done <<-'EOF'
	42:00.0|vfio.bind=42:00.0,"43:00.0"\n
	42:00.0|vfio.bind="42:00.0,43:00.0"x vfio.bind=05:00.0\n
	42:00.0|vfio.bind="42:00.0,43:00.0"\n
	43:00.0,42:00.1|# q\nvfio.bind="42:00.0,43:00.0"  # both\n"vfio.bind=05:00.0,42:00.1"\n
	42:00.0|vfio_bind.keep_fb=1 vfio.bind=42:00.0,zz vfio_bind.on_fail=keep\n
	10de:1b06|rd.vfio-bind=10de:1b06@42:00.0, 10de:10ef@42:00.1 -- vfio.bind=42:00.0\n
	!05:00|vfio.bind=!05:00,05:00.0,\nvfio.bind= ,42:00.0\tvfio.bind="a #b"
	EOF
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
sriov)
	# total offset stride vf_device pf cmdline
	while IFS='|' read -r t o st vd pf c; do
		i=$((i + 1))
		printf '%s\n%s\n%s\n%s\n%s\n%s' "$t" "$o" "$st" "$vd" "$pf" "$c" > "$dir/seed-$i"
	done <<-'EOF'
	64|16|1|154c|0000:3b:00.0|vfio.bind=3b:02.1
	8|2|1|1018|0000:5e:00.0|vfio.bind=15b3:1018,!5e:00.*
	128|128|2|154c|0000:af:00.0|vfio.bind=b0:00.0,8086:154c@af:80.0
	2|1|1|10|0000:01:00.0|vfio.bind=01:00.1
	65535|65535|65535|ffff|ffff:ff:1f.7|vfio.bind=8086:ffff
	-1|4294967296|0x10|-154c|0000:00:00.0|vfio.bind=00:00.*
	7| 1|+1|0x154c|zz|vfio.bind=!3b:*
	1|1|0|1|0000:3b:00.0|vfio.bind=3b:00.1
	EOF
	;;
hotplug)
	# argument, uevent, driver link, physfn link, alias line, drivers/ entry, late record
	seed() {
		i=$((i + 1))
		printf '%s\0%b\0%s\0%s\0%s\0%s\0%s' "$@" > "$dir/seed-$i"
	}
	seed 0000:3b:02.0 'PCI_CLASS=20000\nPCI_ID=8086:154C\nPCI_SUBSYS_ID=8086:0000\nPCI_SLOT_NAME=0000:3b:02.0\n' \
		../../../bus/pci/drivers/iavf ../0000:3b:00.0 \
		'alias pci:v00008086d0000154Csv*sd*bc*sc*i* iavf' pci:iavf 'claimed late'
	seed 01:00.0 'DRIVER=e1000e\nPCI_CLASS=20000\nPCI_ID=8086:10D3\n' \
		../../../bus/pci/drivers/e1000e '' 'alias pci:v00008086d000010D3sv*sd*bc*sc*i* e1000e' \
		pci:e1000e 'claimed late (was e1000e)'
	seed 'ffff:ff:1f.7' 'PCI_CLASS=10802\nPCI_ID=1B36:0010\n' nvme ../0000:01:00.0 \
		'alias pci:v*d*sv*sd*bc01sc08i02* nvme' pci:nvme 'claimed late (was nvme)'
	seed '../../x' 'PCI_ID=zz\n' '../../../bus/pci/drivers/a\nb' '../../etc' \
		'alias pci:* ../../../tmp/x' 'pci:../x' 'claimed late (was a\b)'
	;;
modconf)
	# files split at "%%" lines: the unit tests' modprobe.d files and the issue's cases
	seed() { i=$((i + 1)); printf '%b' "$1" > "$dir/seed-$i"; }
	seed 'options vfio-pci ids=8086:100e disable_vga=1\n'
	seed '# the classic recipe\noptions vfio-pci disable_vga=1 \\\n\tids="8086:100e"\n%%\noptions vfio-pci ids=1234:1111\n%%\noptions vfio_pci ids=10de:1b06\n'
	seed 'options vfio-pci ids=8086:100e:1af4:1101,1234:1111:ffffffff:ffffffff,8086:100e::,8086:100e:ffffffff:ffffffff:20000:ffff00\n'
	seed 'blacklist vfio-pci\nblacklist nouveau\n'
	seed 'blacklist vfio-pc\\i\noptions vfio-pc[i] ids=1:2\n'
	seed '# vfio\r\noptions vfio-pci ids=10de:1b06,10de:10ef\r\n'
	seed 'options vfio-pci disable_vga=1\rids=8086:100e\r,1234:1111\n'
	seed 'options vfio-pci ids=0x10de:0x1b06,10de:10efzz, 10de :1\n'
	seed 'options vfio-pci ids="1234:1111\n%%\noptions vfio-pci ,8086:100e"\n'
	seed 'alias pci:v000010DEd*sv*sd*bc03sc*i* nouveau\ninstall vfio-pci /bin/true\nremove vfio-pci /bin/false\nsoftdep vfio-pci pre: vfio\noptions\tvfio-pci\t\tids=1:2\t\n  options vfio-pci  \n#options vfio-pci ids=3:4\noptions vfio-pci ids -- ids=5:6\n\\'
	for n in 100 110; do
		ids=$(awk -v n=$n 'BEGIN { for (i = 0; i < n; i++) printf "1234:%04x,", i; printf "8086:100e" }')
		seed "options vfio-pci ids=$ids\\n"
	done
	;;
vmconf)
	# the unit cases' VM configurations (tests/unit/cases/vms.sh): pci.cfg, "%%", a VM's file
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	ROOT=$tmp
	fixture() { :; }
	put() { f=$ROOT/$1; shift; mkdir -p "${f%/*}"; printf '%s\n' "$@" > "$f"; }
	. "$top/tests/unit/cases/vms.sh"
	pve_cluster
	libvirt_host
	for f in "$tmp"/etc/pve/nodes/*/qemu-server/*.conf "$tmp"/etc/libvirt/qemu/*.xml; do
		i=$((i + 1))
		{ cat "$tmp/etc/pve/mapping/pci.cfg"; echo '%%'; cat "$f"; } > "$dir/seed-$i"
	done
	;;
grubcfg)
	# the raw mode: even first byte; canary paths the harness checks are never created
	c=/tmp/vfio-bind-fuzz-grubcfg-canary
	seed() { i=$((i + 1)); { printf '\000'; printf '%s\n' "$@"; } > "$dir/seed-$i"; }
	seed 'GRUB_DEFAULT=0' 'GRUB_TIMEOUT=5' 'GRUB_DISTRIBUTOR=`lsb_release -i -s 2> /dev/null || echo Debian`' \
		'GRUB_CMDLINE_LINUX_DEFAULT="quiet"' 'GRUB_CMDLINE_LINUX=""'
	seed 'GRUB_DISTRIBUTOR=`( . /etc/os-release; echo ${NAME:-Ubuntu} ) 2>/dev/null || echo Ubuntu`' \
		'GRUB_CMDLINE_LINUX_DEFAULT="quiet splash"' 'GRUB_CMDLINE_LINUX=""'
	seed 'GRUB_TIMEOUT=5' 'GRUB_DISTRIBUTOR="$(sed '"'"'s, release .*$,,g'"'"' /etc/system-release)"' \
		'GRUB_DEFAULT=saved' 'GRUB_CMDLINE_LINUX="crashkernel=auto resume=/dev/mapper/rhel-swap rd.lvm.lv=rhel/root rhgb quiet"' \
		'GRUB_ENABLE_BLSCFG=true'
	seed 'GRUB_CMDLINE_LINUX_DEFAULT="$GRUB_CMDLINE_LINUX_DEFAULT vfio.bind=43:00.0"' \
		"export GRUB_CMDLINE_LINUX='a b'\\" ' c "d$GRUB_CMDLINE_LINUX ${X}e" \$ # x'
	seed "GRUB_CMDLINE_LINUX=\"\$(touch $c) x\"" "id > $c" 'sleep 30' "touch $c" \
		"A=\`touch $c\`" "GRUB_CMDLINE_LINUX+=\" y\"" 'if true; then A=1; fi' 'A=${B:-$(touch '"$c"')}' \
		'A=$((B=1))' 'f() { :; }' 'A=1 | cat' 'A=1 && B=2' 'A=~/x:~' 'A="unterminated'
	for f in "$top"/kernel-cmdline/examples/*; do
		i=$((i + 1)); { printf '\000'; cat "$f"; } > "$dir/seed-$i"
	done
	# the model mode: pieces (style, length, bytes)
	printf '\001\000\004a b\047\001\003$"x\002\002 \\\003\005vfio.\004\003q\047r\005\000' > "$dir/seed-model-1"
	;;
initramfs)
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	mkdir -p "$tmp/a/etc/vfio-bind.conf.d" "$tmp/a/usr/sbin" "$tmp/e/kernel/x86/microcode"
	echo 'vfio.bind=10de:1b06@42:00.0' > "$tmp/a/etc/vfio-bind.conf"
	echo 'vfio.bind=43:00.0' > "$tmp/a/etc/vfio-bind.conf.d/20-more.conf"
	: > "$tmp/a/usr/sbin/vfio-bind"
	ln -s vfio-bind "$tmp/a/usr/sbin/link"
	printf 'microcode' > "$tmp/e/kernel/x86/microcode/GenuineIntel.bin"
	(cd "$tmp/e" && find . | LC_ALL=C sort | cpio --quiet -R 0:0 -o -H newc) > "$dir/seed-early"
	(cd "$tmp/a" && find . | LC_ALL=C sort | cpio --quiet -R 0:0 -o -H newc) > "$dir/seed-main"
	{ cat "$dir/seed-early"; head -c 512 /dev/zero; cat "$dir/seed-main"; } > "$dir/seed-both"
	(cd "$tmp/a" && find . | cpio --quiet -o -H crc) > "$dir/seed-crc"
	(cd "$tmp/a" && find . | cpio --quiet -o -H odc) > "$dir/seed-odc"
	;;
bls)
	grubenv() { printf '# GRUB Environment Block\n'; printf '%s\n' "$@"; head -c 900 /dev/zero | tr '\0' '#'; }
	seed() { i=$((i + 1)); { printf '%s\n' "$1"; printf '\000'; shift; grubenv "$@"; } > "$dir/seed-$i"; }
	seed 'title Red Hat Enterprise Linux (4.18.0-513.el8.x86_64) 8.9 (Ootpa)
version 4.18.0-513.el8.x86_64
linux /vmlinuz-4.18.0-513.el8.x86_64
initrd /initramfs-4.18.0-513.el8.x86_64.img $tuned_initrd
options $kernelopts $tuned_params
id rhel-20231108142153-4.18.0-513.el8.x86_64
grub_users $grub_users
grub_arg --unrestricted
grub_class kernel' 'saved_entry=abc-4.18.0-513.el8.x86_64' \
		'kernelopts=root=/dev/mapper/rhel-root ro crashkernel=auto resume=/dev/mapper/rhel-swap rd.lvm.lv=rhel/root rhgb quiet vfio.bind=01:00.0' \
		'tuned_params=' 'boot_success=0' 'a=b\
c\\'
	seed 'title Fedora Linux (6.5.6-300.fc39.x86_64) 39
version 6.5.6-300.fc39.x86_64
linux /vmlinuz-6.5.6-300.fc39.x86_64
initrd /initramfs-6.5.6-300.fc39.x86_64.img
options root=UUID=1234 ro rhgb quiet
	options	vfio.bind=43:00.0  
# options x
options ${kernelopts}x $ ${ ${} $$a' 'kernelopts=a b'
	# more than 256 entries: GRUB reads them all, and the last a= wins
	set -- 'kernelopts=a b' 'a=first'
	while [ $# -lt 300 ]; do set -- "$@" "x$#=$#"; done
	seed 'options $kernelopts $a' "$@" 'a=last'
	;;
*)
	echo "seeds.sh: no seeds for '$name'; the harness starts from an empty corpus" >&2
	;;
esac
