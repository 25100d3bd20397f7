// The host drivers' main: the arena, MM_ASSERT recovery and the command
// loop (driver.h). Every line of output is flushed at once, so a crash
// keeps everything printed before it.
#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include "driver.h"

unsigned char *arena;
phys_addr_t arena_phys;
uint64_t arena_size;

struct memmap driver_map;

static jmp_buf recover;
static int in_command;

void say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

void harness_assert(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	printf("assert: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" (%s:%d)\n", file, line);
	fflush(stdout);
	if (!in_command)
		exit(3);
	longjmp(recover, 1);
}

void harness_warn(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	printf("warn: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

void *harness_phys_to_virt(phys_addr_t pa)
{
	if (!arena || pa < arena_phys || pa - arena_phys > arena_size)
		harness_assert(__FILE__, __LINE__, "phys_to_virt(0x%lx): outside memory [0x%lx, 0x%lx)",
			       pa, arena_phys, arena_phys + arena_size);
	return arena + (pa - arena_phys);
}

phys_addr_t harness_virt_to_phys(const void *va)
{
	const unsigned char *p = va;
	if (!arena || p < arena || (uint64_t)(p - arena) > arena_size)
		harness_assert(__FILE__, __LINE__, "virt_to_phys(%p): outside the arena", va);
	return arena_phys + (phys_addr_t)(p - arena);
}

void driver_map_reset(void)
{
	memset(&driver_map, 0, sizeof(driver_map));
}

static void map_bank(const uint64_t *a)
{
	if (driver_map.nbanks == MEMMAP_MAX_BANKS) {
		say("driver: more than %d banks", MEMMAP_MAX_BANKS);
		exit(2);
	}
	driver_map.bank[driver_map.nbanks++] = (struct memmap_bank){ a[0], a[1], (int)a[2] };
	if ((int)a[2] + 1 > driver_map.nnodes)
		driver_map.nnodes = (int)a[2] + 1;
}

static void map_resv(const uint64_t *a)
{
	if (driver_map.nresv == MEMMAP_MAX_RESV) {
		say("driver: more than %d reservations", MEMMAP_MAX_RESV);
		exit(2);
	}
	struct memmap_resv *r = &driver_map.resv[driver_map.nresv++];
	memset(r, 0, sizeof(*r));
	r->base = a[0];
	r->size = a[1];
	r->origin = (uint8_t)a[2];
	r->flags = (uint8_t)a[3];         // MEMMAP_F_*; 0 when not given
}

static void set_arena(uint64_t base, uint64_t size)
{
	free(arena);
	arena = aligned_alloc(4096, (size + 4095) & ~4095ULL);
	if (!arena) {
		say("arena: cannot allocate 0x%lx bytes", size);
		exit(4);
	}
	memset(arena, 0, size);
	arena_phys = base;
	arena_size = size;
}

// Runs one command; 1 if its code fired MM_ASSERT.
static int run_one(const struct driver_cmd *c, const uint64_t *arg)
{
	if (setjmp(recover)) {
		in_command = 0;
		return 1;
	}
	in_command = 1;
	c->run(arg);
	in_command = 0;
	return 0;
}

static const struct driver_cmd *lookup(const char *name)
{
	for (const struct driver_cmd *c = driver_cmds; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

int main(void)
{
	char line[512];
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	while (fgets(line, sizeof(line), stdin)) {
		char *save, *name = strtok_r(line, " \t\n", &save);
		if (!name || name[0] == '#')
			continue;
		uint64_t arg[DRIVER_MAX_ARGS] = {0};
		int n = 0;
		for (char *t; n < DRIVER_MAX_ARGS && (t = strtok_r(NULL, " \t\n", &save)); n++)
			arg[n] = strtoull(t, NULL, 0);
		if (strcmp(name, "arena") == 0 && n == 2) {
			set_arena(arg[0], arg[1]);
			continue;
		}
		if (((strcmp(name, "bank") == 0 && n == 3) || (strcmp(name, "resv") == 0 && (n == 3 || n == 4)))
		    && !lookup(name)) {
			(name[0] == 'b' ? map_bank : map_resv)(arg);
			continue;
		}
		const struct driver_cmd *c = lookup(name);
		if (!c || n != c->nargs) {
			say("driver: bad command %s (%d numbers)", name, n);
			return 2;
		}
		if (run_one(c, arg))
			say("%s -> assert", name);
	}
	say("driver: end");
	return 0;
}
