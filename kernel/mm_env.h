// What mm/ cores may use, as the kernel supplies it (tests/host/mm_env.h is
// the host's). Paging is off or identity-mapped whenever mm/ runs, so a
// physical address is its own virtual address.
#ifndef KERNEL_MM_ENV_H
#define KERNEL_MM_ENV_H

#include <stdint.h>
#include "../mm/memmap.h"
#include "../mm/errno.h"

void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

// A broken invariant or a caller bug: panic with where and the values.
#define MM_ASSERT(cond, fmt, ...) do { \
	if (!(cond)) \
		panic("%s:%d: " fmt, __FILE__, __LINE__, ##__VA_ARGS__); \
} while (0)

// Linux's WARN: say it and carry on.
#define MM_WARN(fmt, ...) \
	printf("warning: %s:%d: " fmt "\n", __FILE__, __LINE__, ##__VA_ARGS__)

static inline void *mm_phys_to_virt(phys_addr_t pa) { return (void *)(uintptr_t)pa; }
static inline phys_addr_t mm_virt_to_phys(const void *va) { return (phys_addr_t)(uintptr_t)va; }

#define mm_memset __builtin_memset
#define mm_memcpy __builtin_memcpy
#define mm_memmove __builtin_memmove

#endif
