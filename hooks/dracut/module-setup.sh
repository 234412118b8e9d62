#!/bin/bash
# dracut module 59vfio-bind: claim the PCI devices named by vfio.bind= for vfio-pci in a
# pre-udev hook, before udev's coldplug loads their host drivers.

# where the binary is on this host (make install rewrites this line for another PREFIX); in
# the image it is always /usr/sbin/vfio-bind, where the pre-udev hook runs it
VFIO_BIND=/usr/sbin/vfio-bind

# called by dracut
check() {
    # Installed on purpose: include it in host-only images too.
    require_binaries "$VFIO_BIND" || return 1
    return 0
}

# called by dracut
depends() {
    return 0
}

# called by dracut
installkernel() {
    # The devices to claim are not bound to vfio-pci on the build host, so a host-only
    # instmods would skip these modules. dracut-install resolves dependencies and softdeps
    # (vfio_iommu_type1 comes through "softdep vfio post:"); -o makes missing names harmless.
    hostonly='' instmods vfio-pci vfio_iommu_type1
}

# called by dracut
install() {
    local _conf

    # inst_binary also brings the shared libraries of a dynamically linked build.
    inst_binary "$VFIO_BIND" /usr/sbin/vfio-bind
    # vfio settings libkmod reads at boot (options vfio-pci ..., softdeps on vfio-pci, a
    # blacklist of it); dracut itself copies /lib and /usr/lib/modprobe.d, and /etc/modprobe.d
    # only for host-only images. The directories are those vfio-bind reads (src/modconf.c).
    for _conf in /etc/modprobe.d/*.conf /run/modprobe.d/*.conf /usr/local/lib/modprobe.d/*.conf \
        /lib/modprobe.d/*.conf /usr/lib/modprobe.d/*.conf; do
        [[ -f $_conf ]] || continue
        grep -qs 'vfio' "$_conf" && inst_simple "$_conf"
    done
    # The persistent claims (vfio-bind add), read by `vfio-bind boot` at the same path.
    for _conf in /etc/vfio-bind.conf /etc/vfio-bind.conf.d/*.conf; do
        [[ -f $_conf ]] && inst_simple "$_conf"
    done
    inst_hook pre-udev 30 "$moddir/vfio-bind.sh"
    # devices that appear later (a VF created in the initramfs, a card plugged in)
    inst_rules 70-vfio-bind.rules
    # it runs the binary where this host has it; in the image that is /usr/sbin/vfio-bind
    for _conf in "$initdir"/{etc,lib,usr/lib}/udev/rules.d/70-vfio-bind.rules; do
        [[ -f $_conf && ! -L $_conf ]] || continue
        sed "s|$VFIO_BIND hotplug|/usr/sbin/vfio-bind hotplug|" "$_conf" >"$_conf.tmp" &&
            mv -f "$_conf.tmp" "$_conf"
    done
}
