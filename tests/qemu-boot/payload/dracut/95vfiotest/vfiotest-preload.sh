#!/bin/sh
# Sourced from dracut's pre-udev hooks, just before 30-vfio-bind.sh.
/usr/bin/vfiotest-preload
