// SPDX-License-Identifier: GPL-2.0-or-later
#include "ctx.h"

int main(int argc, char **argv)
{
	return vfio_bind_main(argc, argv, &kernel_real);
}
