// The host stand-in for physical memory: one page-aligned, zeroed block.
#include <stdlib.h>
#include "mm_env.h"

unsigned char *host_arena;
phys_addr_t host_arena_phys;
uint64_t host_arena_size;
int host_warn_count;

void host_arena_init(phys_addr_t phys, uint64_t size)
{
	host_arena_free();
	host_arena = aligned_alloc(4096, size);
	assert_non_null(host_arena);
	memset(host_arena, 0, size);
	host_arena_phys = phys;
	host_arena_size = size;
	host_warn_count = 0;
}

void host_arena_free(void)
{
	free(host_arena);
	host_arena = NULL;
	host_arena_size = 0;
}
