# Helpers for the unit cases (sourced). Each case runs the simulator binary $SIM against a
# fake root built by mkfixture.sh and checks the result the way a user would: driver links,
# driver_override, the writes made, and the kernel-log lines.
set -eu
UNIT_DIR=${UNIT_DIR:?}
FIXTURES=$UNIT_DIR/fixtures

fail() {
	echo "    FAILED: $*" >&2
	if [ -n "${ROOT:-}" ] && [ -f "$ROOT/dev/kmsg" ]; then
		echo "    --- kmsg:" >&2; sed 's/^/    /' "$ROOT/dev/kmsg" >&2
		[ -f "$ROOT/out" ] && { echo "    --- stdout:" >&2; sed 's/^/    /' "$ROOT/out" >&2; }
		[ -f "$ROOT/err" ] && { echo "    --- stderr:" >&2; sed 's/^/    /' "$ROOT/err" >&2; }
	fi
	exit 1
}

# fixture NAME: a fresh fake root from fixtures/NAME.topo in $ROOT. With UNIT_FIXTURES (a
# directory: run.sh's) each topology is built there once per run and copied (fixtures hold
# relative links only); the first to build one moves it into place, a second drops its own.
fixture() {
	ROOT=$(mktemp -d "${TMPDIR:-/tmp}/vfio-bind-unit.XXXXXX")
	if [ -z "${UNIT_FIXTURES:-}" ]; then
		"$UNIT_DIR/mkfixture.sh" "$FIXTURES/$1.topo" "$ROOT"
		return
	fi
	if [ ! -d "$UNIT_FIXTURES/$1" ]; then
		mkdir -p "$UNIT_FIXTURES/$1.$$"
		"$UNIT_DIR/mkfixture.sh" "$FIXTURES/$1.topo" "$UNIT_FIXTURES/$1.$$"
		mv -T "$UNIT_FIXTURES/$1.$$" "$UNIT_FIXTURES/$1" 2>/dev/null ||
			rm -rf "$UNIT_FIXTURES/$1.$$"
	fi
	cp -a "$UNIT_FIXTURES/$1/." "$ROOT/"
}

cmdline() { printf '%s\n' "$*" > "$ROOT/proc/cmdline"; }

# setup NAME CMDLINE: a fresh fake root from fixtures/NAME.topo, with that kernel command line
setup() { fixture "$1"; cmdline "$2"; }

# put FILE LINE...: the lines as the file FILE under $ROOT (its directories made)
put() {
	f=$ROOT/$1
	shift
	mkdir -p "$(dirname "$f")"
	printf '%s\n' "$@" > "$f"
}

# vb ARGS...: run the simulator on $ROOT; output in $ROOT/out, $ROOT/err, status in $RC
vb() {
	set +e
	"$SIM" --root "$ROOT" --moddir "$ROOT/lib/modules/sim" "$@" > "$ROOT/out" 2> "$ROOT/err"
	RC=$?
	set -e
}

boot() {
	vb "$@" boot
	[ "$RC" -eq 0 ] || fail "boot exited $RC (it must always exit 0)"
	[ ! -s "$ROOT/err" ] || fail "boot wrote to stderr: $(cat "$ROOT/err")"
}

expect_rc() { [ "$RC" -eq "$1" ] || fail "exit status $RC, want $1"; }

# the kernel log without the <N> priority
klog() { sed 's/^<[0-9]>//' "$ROOT/dev/kmsg"; }

expect_log() {
	klog | grep -qF -- "$1" || fail "no log line with: $1"
}
expect_log_prio() {
	grep -qF -- "<$1>vfio-bind: $2" "$ROOT/dev/kmsg" || fail "no <$1> log line with: $2"
}
expect_no_log() {
	! klog | grep -qF -- "$1" || fail "unexpected log line with: $1"
}
expect_log_count() {
	n=$(klog | grep -cF -- "$1" || true)
	[ "$n" -eq "$2" ] || fail "$n log lines with '$1', want $2"
}
expect_out() { grep -qF -- "$1" "$ROOT/out" || fail "stdout lacks: $1"; }
expect_no_out() { ! grep -qF -- "$1" "$ROOT/out" || fail "stdout has: $1"; }
expect_err() { grep -qF -- "$1" "$ROOT/err" || fail "stderr lacks: $1"; }

driver_of() {
	l=$ROOT/sys/bus/pci/devices/$1/driver
	if [ -L "$l" ]; then basename "$(readlink "$l")"; else echo none; fi
}
expect_driver() {
	d=$(driver_of "$1")
	[ "$d" = "$2" ] || fail "$1 is on '$d', want '$2'"
}
# expect_drivers ADDR=DRIVER...: expect_driver for each ("none": no driver)
expect_drivers() {
	for p in "$@"; do expect_driver "${p%%=*}" "${p#*=}"; done
}
expect_override() {
	o=$(cat "$ROOT/sys/bus/pci/devices/$1/driver_override")
	[ "$o" = "$2" ] || fail "$1 driver_override is '$o', want '$2'"
}

writes() { cat "$ROOT/sim-writes.log" 2>/dev/null || true; }
expect_write() {
	writes | grep -qF -- "$(printf '%s\t%s' "$1" "$2")" || fail "no write of '$2' to $1"
}
expect_no_write_about() {
	! writes | grep -qF -- "$1" || fail "a write mentions $1: $(writes | grep -F -- "$1")"
}
expect_no_writes() {
	[ ! -s "$ROOT/sim-writes.log" ] || fail "writes made: $(writes)"
}
probed() { grep -qx -- "$1 $2" "$ROOT/sim-probes.log" 2>/dev/null; }
expect_not_probed() { ! probed "$1" "$2" || fail "$1 probed $2"; }

# install_to PREFIX: make install into a fresh $STAGE
install_to() {
	STAGE=$(mktemp -d "${TMPDIR:-/tmp}/vfio-bind-install.XXXXXX")
	ROOT=$STAGE	# removed by cleanup below
	make -s -C "$TOP" install DESTDIR="$STAGE" PREFIX="$1" > "$STAGE.log" 2>&1 ||
		fail "make install PREFIX=$1 failed: $(cat "$STAGE.log")"
	rm -f "$STAGE.log"
}

cleanup() { if [ -n "${ROOT:-}" ]; then rm -rf "$ROOT"; fi; }
trap cleanup EXIT
