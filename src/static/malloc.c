// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * malloc(3), calloc(3), realloc(3) and free(3) for the static musl binary: musl's mallocng
 * (hardened against heap corruption in long-running processes, with out-of-band metadata,
 * groups and a size-class table) costs about 9 KiB; vfio-bind runs for a fraction of a second,
 * single-threaded. Power-of-two size classes with one free list each: a block of class c is
 * 2^c bytes, a 16-byte header in front (alignment as malloc's), cut from 256 KiB mappings and
 * reused through its class's list once freed. Blocks over 64 KiB (libkmod's decompressed
 * modules) are mappings of their own: free unmaps them, realloc moves them with mremap.
 * What is left of mallocng's hardening: a block's header carries a check word derived from its
 * address, and free and realloc stop the program (a trap) on a pointer that is not a live
 * block of this allocator, a block freed twice or a header overwritten by an overflow.
 * tests/unit/test-libc.c exercises it against random allocation sequences.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define HDR 16
#define MIN_CLASS 5		/* 32 bytes: 16 usable */
#define MAX_CLASS 16		/* 64 KiB */
#define ARENA (256 * 1024)

/* the usable size: 2^c - HDR for a class block, the mapping's length - HDR for a large one;
 * live: LIVE ^ the header's address while the block is allocated */
struct hdr {
	size_t size;
	size_t live;
};

#define LIVE 0x5646494f62696e64UL
#define IS_LIVE(h) ((h)->live == (LIVE ^ (size_t)(h)))

static void *free_list[MAX_CLASS + 1];
static char *arena, *arena_end;

static void *map(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

void *malloc(size_t n)
{
	struct hdr *h;
	int c = MIN_CLASS;

	if (n > ((size_t)1 << MAX_CLASS) - HDR) {
		size_t len = (n + HDR + 4095) & ~(size_t)4095;

		if (len < n || !(h = map(len))) {
			errno = ENOMEM;
			return NULL;
		}
		h->size = len - HDR;
		h->live = LIVE ^ (size_t)h;
		return h + 1;
	}
	while (((size_t)1 << c) - HDR < n)
		c++;
	h = free_list[c];
	if (h) {
		free_list[c] = *(void **)(h + 1);
		h->live = LIVE ^ (size_t)h;
		return h + 1;
	}
	if ((size_t)(arena_end - arena) < (size_t)1 << c) {
		if (!(arena = map(ARENA))) {
			arena_end = NULL;
			errno = ENOMEM;
			return NULL;
		}
		arena_end = arena + ARENA;
	}
	h = (struct hdr *)arena;
	arena += (size_t)1 << c;
	h->size = ((size_t)1 << c) - HDR;
	h->live = LIVE ^ (size_t)h;
	return h + 1;
}

void free(void *p)
{
	struct hdr *h = (struct hdr *)p - 1;
	int c;

	if (!p)
		return;
	if (!IS_LIVE(h))
		__builtin_trap();
	h->live = 0;
	if (h->size > ((size_t)1 << MAX_CLASS) - HDR) {
		munmap(h, h->size + HDR);
		return;
	}
	c = __builtin_ctzl(h->size + HDR);
	*(void **)p = free_list[c];
	free_list[c] = h;
}

void *calloc(size_t n, size_t size)
{
	void *p;

	if (size && n > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	p = malloc(n * size);
	return p ? memset(p, 0, n * size) : NULL;
}

void *realloc(void *p, size_t n)
{
	struct hdr *h = (struct hdr *)p - 1;
	void *q;

	if (!p)
		return malloc(n);
	if (!IS_LIVE(h))
		__builtin_trap();
	if (n <= h->size)
		return p;
	if (h->size > ((size_t)1 << MAX_CLASS) - HDR) {
		size_t len = (n + HDR + 4095) & ~(size_t)4095;

		if (len < n || (q = mremap(h, h->size + HDR, len, MREMAP_MAYMOVE)) == MAP_FAILED) {
			errno = ENOMEM;
			return NULL;
		}
		h = q;
		h->size = len - HDR;
		h->live = LIVE ^ (size_t)h;
		return h + 1;
	}
	q = malloc(n);
	if (!q)
		return NULL;
	memcpy(q, p, h->size);
	free(p);
	return q;
}
