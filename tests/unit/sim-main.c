// SPDX-License-Identifier: GPL-2.0-or-later
/* vfio-bind with the simulated kernel: the same program, run by the unit tests. */
#include "sim-kernel.h"

int main(int argc, char **argv)
{
	return vfio_bind_main(argc, argv, &kernel_sim);
}
