# RHEL, Fedora, CentOS Stream (grubby): add vfio.bind= to every installed kernel, then
# rebuild the initramfs so it holds the 59vfio-bind dracut module. Put your devices in
# vfio.bind= (see vfio-bind(7)). Intel machines also need intel_iommu=on on these kernels.
grubby --update-kernel=ALL --args="vfio.bind=10de:1c03,10de:10f1"
dracut -f --regenerate-all
# Undo: grubby --update-kernel=ALL --remove-args="vfio.bind"
