// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * floor SYSFS: the least work a boot pass can do to know every PCI function: list
 * SYSFS/bus/pci/devices and, per entry, one open + read + close of its uevent (which carries
 * DRIVER=, PCI_CLASS=, PCI_ID=, PCI_SUBSYS_ID= in one read). Nothing is parsed. Prints the number
 * of functions and bytes read. Built like build/vfio-bind (musl, static, -Os).
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char path[4096], buf[4096];
	unsigned long n = 0, bytes = 0;
	struct dirent *de;
	DIR *dir;
	int dfd;

	if (argc != 2) {
		fputs("usage: floor SYSFS\n", stderr);
		return 2;
	}
	snprintf(path, sizeof(path), "%s/bus/pci/devices", argv[1]);
	dir = opendir(path);
	if (!dir) {
		perror(path);
		return 1;
	}
	dfd = dirfd(dir);
	while ((de = readdir(dir))) {
		ssize_t r;
		int fd;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/uevent", de->d_name);
		fd = openat(dfd, path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			perror(path);
			return 1;
		}
		r = read(fd, buf, sizeof(buf));
		close(fd);
		if (r < 0) {
			perror(path);
			return 1;
		}
		bytes += r;
		n++;
	}
	closedir(dir);
	printf("%lu functions, %lu bytes\n", n, bytes);
	return 0;
}
