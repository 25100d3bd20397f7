// What mm/ cores may use, as the host tests supply it. "Physical memory" is
// a malloc'd, page-aligned arena (tests/host/arena.c) that stands at a
// chosen physical base, so the cores run unchanged under ASan and UBSan.
// MM_ASSERT goes through cmocka's mock_assert, so a test can expect it with
// expect_assert_failure(); anywhere else it fails the running test.
#ifndef HOST_MM_ENV_H
#define HOST_MM_ENV_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "../../mm/memmap.h"
#include "../../mm/errno.h"

extern unsigned char *host_arena;       // virtual base of the arena
extern phys_addr_t host_arena_phys;     // physical address it stands for
extern uint64_t host_arena_size;
extern int host_warn_count;             // MM_WARNs since the last arena_init

// Map [phys, phys+size) to a fresh zero-filled, page-aligned arena.
void host_arena_init(phys_addr_t phys, uint64_t size);
void host_arena_free(void);

#define MM_ASSERT(cond, fmt, ...) do { \
	if (!(cond)) { \
		fprintf(stderr, "MM_ASSERT %s:%d: " fmt "\n", __FILE__, __LINE__, ##__VA_ARGS__); \
		mock_assert(0, #cond, __FILE__, __LINE__); \
	} \
} while (0)

#define MM_WARN(fmt, ...) do { \
	host_warn_count++; \
	if (getenv("MM_VERBOSE")) \
		fprintf(stderr, "warning: %s:%d: " fmt "\n", __FILE__, __LINE__, ##__VA_ARGS__); \
} while (0)

static inline void *mm_phys_to_virt(phys_addr_t pa)
{
	if (pa < host_arena_phys || pa > host_arena_phys + host_arena_size)
		mock_assert(0, "phys_to_virt: address outside the arena", __FILE__, __LINE__);
	return host_arena + (pa - host_arena_phys);
}

static inline phys_addr_t mm_virt_to_phys(const void *va)
{
	const unsigned char *p = va;
	if (p < host_arena || p > host_arena + host_arena_size)
		mock_assert(0, "virt_to_phys: pointer outside the arena", __FILE__, __LINE__);
	return host_arena_phys + (phys_addr_t)(p - host_arena);
}

#define mm_memset memset
#define mm_memcpy memcpy
#define mm_memmove memmove

#endif
