#!/bin/bash
# Test-only dracut module: the competing host drivers, the preload/start marker before
# vfio-bind's pre-udev hook, and the report payload, run from initqueue/settled (udev's
# coldplug has settled), which powers the VM off.

check() {
    return 255
}

depends() {
    return 0
}

installkernel() {
    hostonly='' instmods bochs e1000 snd-hda-intel snd-hda-codec-generic
}

install() {
    inst_multiple cat dmesg grep readlink sed sleep tr modprobe
    inst_script "$moddir/vfiotest-report" /usr/bin/vfiotest-report
    inst_script "$moddir/vfiotest-preload" /usr/bin/vfiotest-preload
    # Just before 30-vfio-bind.sh.
    inst_hook pre-udev 29 "$moddir/vfiotest-preload.sh"
    inst_hook initqueue/settled 99 "$moddir/vfiotest-settled.sh"
    # systemd flavour: dracut-initqueue.service runs only when asked to.
    mkdir -p "$initdir/lib/dracut"
    : >"$initdir/lib/dracut/need-initqueue"
}
