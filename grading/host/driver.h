// The command loop every lab's host driver shares. A driver reads one
// command a line from standard input ("alloc 100 8 0"), runs it against the
// student's mm/ code and prints what it observed, one line per fact, for the
// grader to compare. A command whose code fires MM_ASSERT prints
// "assert: <message>" and "<cmd> -> assert"; the loop goes on.
#ifndef GRADER_DRIVER_H
#define GRADER_DRIVER_H

#include <stdint.h>
#include "mm_env.h"

#define DRIVER_MAX_ARGS 8

struct driver_cmd {
	const char *name;
	int nargs;                              // numbers it takes
	void (*run)(const uint64_t *arg);
};

// The lab's commands, ended by an entry with name NULL. The harness adds
// "arena BASE SIZE": a fresh zeroed arena standing for [BASE, BASE+SIZE);
// "bank BASE SIZE NID" and "resv BASE SIZE ORIGIN [FLAGS]": a RAM bank and
// a reservation added to driver_map, the memory map an early_init takes.
extern const struct driver_cmd driver_cmds[];
extern struct memmap driver_map;

// Forget driver_map's banks and reservations (a lab's "reset" calls it).
void driver_map_reset(void);

// Physical memory, as the lab's commands see it.
extern unsigned char *arena;
extern phys_addr_t arena_phys;
extern uint64_t arena_size;

// Print one observation line (printf-like, newline added).
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
