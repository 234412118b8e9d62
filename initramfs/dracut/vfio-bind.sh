#!/bin/sh
# pre-udev hook of 59vfio-bind (sourced by dracut: return, never exit). Claims the devices
# named by vfio.bind= (kernel command line or /etc/cmdline.d) before udev starts; vfio-bind
# reports to the kernel log and always exits 0.

if [ -x /usr/sbin/vfio-bind ]; then
    /usr/sbin/vfio-bind boot || :
fi
return 0
