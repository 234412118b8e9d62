#!/bin/sh
# Sourced from dracut's initqueue once udev has settled.
GEN=dracut
[ -n "$DRACUT_SYSTEMD" ] && GEN=dracut-systemd
/usr/bin/vfiotest-report "$GEN"
