// Shared by the device-tree reader's host tests (test_fdtmap.c, well-formed
// trees; test_fdtmap_bad.c, malformed ones): the bootinfo and error buffer
// every test reads into, loading a DTB fixture from build/dtb/ (or
// FDTMAP_DTB_DIR), reading it through fdtmap_check then fdtmap_read, and
// checking a failure's code and exact error text. Each test binary is one
// translation unit, so the statics below are private to it.
#ifndef HOST_FDTMAP_FIXTURES_H
#define HOST_FDTMAP_FIXTURES_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <libfdt.h>
#include "../../kernel/fdtmap.h"
#include "../../mm/errno.h"

#define MiB (1024ull * 1024)
#define GiB (1024 * MiB)

static struct bootinfo bi;
static char err[256];

// ---- loading and reading fixtures -----------------------------------------------

// A fixture in a malloc'd buffer of exactly its size (malloc aligns to 16).
static inline void *load(const char *name, size_t *len)
{
	const char *dir = getenv("FDTMAP_DTB_DIR");
	char path[512];
	FILE *f;
	void *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "build/dtb", name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s: run `make test-host` at the top of the tree", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc(n);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, n, f), n);
	fclose(f);
	*len = n;
	return buf;
}

// A fixture opened into a buffer with room to grow, for edits with libfdt.
static inline void *load_rw(const char *name, size_t room, size_t *len)
{
	size_t n;
	void *ro = load(name, &n), *rw = malloc(n + room);

	assert_non_null(rw);
	assert_int_equal(fdt_open_into(ro, rw, (int)(n + room)), 0);
	free(ro);
	*len = n + room;
	return rw;
}

// fdtmap_check (which must pass) then fdtmap_read; returns the latter.
static inline int read_buf(void *fdt, size_t len, uint64_t dtb_pa, uint64_t ks, uint64_t ke)
{
	int rc = fdtmap_check(fdt, len, err, sizeof(err));

	if (rc)
		fail_msg("fdtmap_check returned %d: %s", rc, err);
	return fdtmap_read(fdt, dtb_pa, ks, ke, &bi, err, sizeof(err));
}

static inline int read_fixture(const char *name, uint64_t dtb_pa, uint64_t ks, uint64_t ke)
{
	size_t len;
	void *fdt = load(name, &len);
	int rc = read_buf(fdt, len, dtb_pa, ks, ke);

	free(fdt);
	return rc;
}

static inline void expect_err(int rc, int want, const char *fragment)
{
	if (rc >= 0)
		fail_msg("succeeded; want %d with \"%s\"", want, fragment);
	if (rc != want)
		fail_msg("returned %d, want %d: %s", rc, want, err);
	if (!strstr(err, fragment))
		fail_msg("error \"%s\" lacks \"%s\"", err, fragment);
}

static inline void expect_fixture_err(const char *name, int want, const char *fragment)
{
	expect_err(read_fixture(name, 0, 0, 0), want, fragment);
}

#endif
