#!/bin/sh
# timed.sh DIR SUITE CMD...: run CMD, write its wall time in seconds to DIR/SUITE.time (which
# tests/summary.sh prints next to the suite's results); exit with CMD's status.
dir=$1 suite=$2
shift 2
t0=$(date +%s)
"$@"
rc=$?
mkdir -p "$dir"
echo $(($(date +%s) - t0)) > "$dir/$suite.time"
exit $rc
