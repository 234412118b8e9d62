#!/bin/sh
# make bench: time a boot-mode dry-run pass of build/vfio-bind on synthetic sysfs trees of 64, 1024
# and 4096 PCI functions (tmpfs), against two references on the same trees:
#   floor   build/bench/floor: one open+read+close of each function's uevent, nothing else
#   sh way  tests/bench/sh-way.sh under busybox sh: $(cat vendor) $(cat device) per function
# Prints medians, ratios, growth, peak RSS and system calls per function (strace -f -c of one
# run of each), and says which targets are met. Numbers only: nothing here fails the build.
#
# Environment: VFIO_BIND_BIN (default build/vfio-bind), BENCH_SIZES (default "64 1024 4096"),
# BENCH_SECONDS (timed seconds per binary and size, default 2).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cd "$top"

# The binary is in development and runs as root here: give the whole run a private mount
# namespace with an empty read-only /sys on top, so nothing can reach the real one even if
# --root were ignored. (--dry-run writes nothing anyway.)
if [ -z "${VB_BENCH_NS:-}" ] && [ "$(id -u)" = 0 ] && command -v unshare >/dev/null 2>&1 &&
	unshare -m --propagation private true 2>/dev/null; then
	# shellcheck disable=SC2016
	VB_BENCH_NS=1 exec unshare -m --propagation private \
		sh -c 'mount -t tmpfs -o ro,size=4k vb-bench-nosys /sys && exec "$0" "$@"' "$0" "$@"
fi
sys_note="real /sys hidden (private mount namespace)"
[ -n "${VB_BENCH_NS:-}" ] || sys_note="real /sys visible (no private mount namespace; --dry-run only)"

bin=${VFIO_BIND_BIN:-build/vfio-bind}
sizes=${BENCH_SIZES:-64 1024 4096}
secs=${BENCH_SECONDS:-2}
B=build/bench
mkdir -p "$B"

die() { echo "bench: error: $*" >&2; exit 1; }
for t in gcc musl-gcc busybox awk strace; do
	command -v "$t" >/dev/null 2>&1 || die "'$t' not found (scripts/install-deps.sh installs scripts/deps/*.list)"
done

# --- helpers: the tree generator (host gcc), floor and runner built like the binary -----------
cflags_bin="-std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Os -ffunction-sections -fdata-sections"
ldflags_bin="-static -Wl,--gc-sections -s"
build() { # OUT SRC CC FLAGS...
	out=$1 src=$2; shift 2
	# shellcheck disable=SC3013
	[ "$out" -nt "$src" ] && return 0
	"$@" -o "$out" "$src" || die "building $out failed"
}
# shellcheck disable=SC2086
{
	build "$B/mktree" "$here/mktree.c" gcc -O2 -Wall -Wextra -Wno-missing-field-initializers -Werror
	build "$B/floor" "$here/floor.c" musl-gcc $cflags_bin $ldflags_bin
	build "$B/runner" "$here/runner.c" musl-gcc $cflags_bin $ldflags_bin
}

# count_syscalls CMD...: the system calls of one run of CMD (strace -f -c's total), output
# thrown away; nothing when strace fails
count_syscalls() {
	strace -f -c -o "$tmp/strace.txt" "$@" >/dev/null 2>&1 || true
	awk '$NF == "total" { print $4 }' "$tmp/strace.txt" 2>/dev/null || true
	rm -f "$tmp/strace.txt"
}

tmp=$(mktemp -d /dev/shm/vfio-bind-bench.XXXXXX) || die "cannot make a directory in /dev/shm"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
# the sh way as in an initramfs: busybox applets first in PATH
mkdir "$tmp/bin"
for a in sh cat; do ln -s "$(command -v busybox)" "$tmp/bin/$a"; done
shway="$tmp/bin/sh $here/sh-way.sh"

# --- the binary: does a dry-run boot pass work at all? ------------------------------------------
bin_ok=0 bin_note=
if [ ! -x "$bin" ]; then
	bin_note="$bin is missing: run make first"
else
	# time a snapshot: a rebuild of $bin during the run must not change what is measured
	cp "$bin" "$tmp/vfio-bind"
	if ! out=$("$tmp/vfio-bind" --version 2>&1); then
		bin_note="'$bin --version' failed: $out"
	else
		bin_ok=1
	fi
fi

echo "vfio-bind bench: boot-mode dry-run pass vs floor vs sh way"
if [ -f "$bin" ]; then
	echo "  binary  $bin ($(wc -c <"$bin") bytes; $(file -b "$bin" 2>/dev/null | grep -o 'statically linked\|dynamically linked' || echo '?'))"
else
	echo "  binary  $bin (missing)"
fi
echo "  floor   $B/floor (musl static, open+read+close of each uevent)"
echo "  sh way  busybox sh $here/sh-way.sh ($(busybox 2>&1 | head -n 1 | awk '{print $1, $2}'), \$(cat) per attribute)"
echo "  trees   tmpfs under /dev/shm, warm cache; $(nproc) CPUs; $sys_note"
echo "  load    $(cut -d' ' -f1-3 /proc/loadavg) at start (other work on the machine shows as noise)"
echo

results=$tmp/results
: >"$results"
field() { printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

for n in $sizes; do
	root=$tmp/t$n
	mkdir "$root"
	t0=$(date +%s.%N)
	"$B/mktree" "$n" "$root" || die "mktree $n failed"
	t1=$(date +%s.%N)
	gen_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
	cmd_bin="$tmp/vfio-bind --root $root --kmsg $root/kmsg.log --dry-run boot"

	# one checked pass, output kept: what the binary planned
	plan_note=
	if [ "$bin_ok" = 1 ]; then
		: >"$root/kmsg.log"	# stands in for /dev/kmsg (the binary appends; it never creates)
		set +e
		# shellcheck disable=SC2086
		timeout 60 $cmd_bin >"$root/plan.txt" 2>"$root/stderr.txt"
		rc=$?
		set -e
		summary=$(grep -a 'claimed' "$root/kmsg.log" | tail -n 1 || true)
		[ -n "$summary" ] || summary=$(tail -n 1 "$root/kmsg.log")
		if [ "$rc" != 0 ]; then
			plan_note="exit status $rc (expected 0); stderr: $(head -c 300 "$root/stderr.txt" | tr '\n' ' ')"
		fi
		echo "== $n functions ($(sed -n 's/^iommu_groups //p' "$root/tree.info") IOMMU groups; tree made in ${gen_s}s)"
		echo "   plan: $(wc -l <"$root/plan.txt") lines on stdout; kmsg: $(wc -l <"$root/kmsg.log") lines, last: ${summary:-(none)}"
		[ -z "$plan_note" ] || echo "   binary: $plan_note"
		if [ "$n" = "$(echo "$sizes" | awk '{print $1}')" ]; then
			echo "   --- plan (stdout) ---"
			sed -n '1,30s/^/   | /p' "$root/plan.txt"
			echo "   --- kmsg ---"
			sed -n '1,20s/^/   | /p' "$root/kmsg.log"
			if [ -s "$root/stderr.txt" ]; then
				echo "   --- stderr ---"
				sed -n '1,20s/^/   | /p' "$root/stderr.txt"
			fi
		fi
	else
		echo "== $n functions (tree made in ${gen_s}s); binary not run: $bin_note"
	fi

	# syscalls of one run of each (strace -f -c, the binary's own run): the pass against the
	# floor, and `hotplug` of a function no selector wants (the host bridge every size has)
	floor_sc=$(count_syscalls "$B/floor" "$root/sys") pass_sc='' hot_sc=''
	if [ "$bin_ok" = 1 ]; then
		# shellcheck disable=SC2086
		pass_sc=$(count_syscalls $cmd_bin)
		hot_sc=$(count_syscalls "$tmp/vfio-bind" --root "$root" --kmsg "$root/kmsg.log" \
			--dry-run hotplug 0000:00:00.0)
	fi

	# timings: floor and binary in turn (one run of each per round, so load changes on the
	# machine hit both alike) for 2 x $secs; the sh way with few runs (seconds per run)
	pass='' pass_rss=''
	if [ "$bin_ok" = 1 ]; then
		# shellcheck disable=SC2086
		both=$("$B/runner" -w 3 -m 10 -t "$(awk -v s="$secs" 'BEGIN { print 2 * s }')" -- \
			"$B/floor" "$root/sys" :: $cmd_bin) || both="runner failed"
		floor=$(printf '%s\n' "$both" | sed -n 1p)
		pass=$(printf '%s\n' "$both" | sed -n 2p)
		# shellcheck disable=SC2086
		pass_rss=$("$B/runner" -r -- $cmd_bin) || pass_rss="runner -r failed"
	else
		floor=$("$B/runner" -w 3 -m 10 -t "$secs" -- "$B/floor" "$root/sys") || floor="runner failed"
	fi
	floor_rss=$("$B/runner" -r -- "$B/floor" "$root/sys") || floor_rss="runner -r failed"
	if [ "$n" -le 256 ]; then shopts="-w 1 -m 5 -t 2"; else shopts="-w 0 -m 3 -t 1"; fi
	# shellcheck disable=SC2086
	sh=$("$B/runner" $shopts -- $shway "$root/sys") || sh="runner failed"
	echo "   floor   $floor"
	echo "           $floor_rss"
	if [ -n "$pass" ]; then
		echo "   pass    $pass"
		echo "           $pass_rss"
	fi
	echo "   sh way  $sh"
	echo "   syscalls (strace -f -c): floor ${floor_sc:-?}, pass ${pass_sc:-?}," \
		"hotplug 0000:00:00.0 (no selector wants it) ${hot_sc:-?}"
	echo "$n $(field "$floor" median_ms) $(field "$floor_rss" vmhwm_kb)" \
		"$(field "$pass" median_ms)" "$(field "$pass_rss" vmhwm_kb)" "$(field "$pass" status)" \
		"$(field "$sh" median_ms)" "$(field "$floor" min_ms)" "$(field "$pass" min_ms)" \
		"${floor_sc:--} ${pass_sc:--} ${hot_sc:--}" \
		"$(field "$floor" cpu_median_ms) $(field "$pass" cpu_median_ms) $(field "$sh" cpu_median_ms)" \
		>>"$results"
	rm -rf "$root"
done

echo "   (load $(cut -d' ' -f1-3 /proc/loadavg) at the end)"

# --- the table -------------------------------------------------------------------------------------
echo
awk -f "$here/summary.awk" "$results"
