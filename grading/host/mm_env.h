// What mm/ cores may use, as the grader's host drivers supply it. Physical
// memory is a page-aligned arena at a chosen physical base (harness.c).
// MM_ASSERT does not abort: it prints "assert: <message>" and returns to the
// driver's command loop, which reports the command as having asserted. The
// grader never trusts what this prints about passing; it compares what the
// driver observed with what it expects.
#ifndef GRADER_MM_ENV_H
#define GRADER_MM_ENV_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "../../mm/memmap.h"
#include "../../mm/errno.h"

void harness_assert(const char *file, int line, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 3, 4)));
void harness_warn(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void *harness_phys_to_virt(phys_addr_t pa);
phys_addr_t harness_virt_to_phys(const void *va);

#define MM_ASSERT(cond, fmt, ...) do { \
	if (!(cond)) \
		harness_assert(__FILE__, __LINE__, fmt, ##__VA_ARGS__); \
} while (0)
#define MM_WARN(fmt, ...) harness_warn(__FILE__, __LINE__, fmt, ##__VA_ARGS__)

static inline void *mm_phys_to_virt(phys_addr_t pa) { return harness_phys_to_virt(pa); }
static inline phys_addr_t mm_virt_to_phys(const void *va) { return harness_virt_to_phys(va); }

#define mm_memset memset
#define mm_memcpy memcpy
#define mm_memmove memmove

#endif
