// The SBI calling convention: a7 = extension, a6 = function, a0..a5 the
// arguments; the firmware returns an error in a0 and a value in a1.
#include "sbi.h"

struct sbiret sbi_call(long eid, long fid, long a0, long a1, long a2)
{
	register long r0 asm("a0") = a0;
	register long r1 asm("a1") = a1;
	register long r2 asm("a2") = a2;
	register long r6 asm("a6") = fid;
	register long r7 asm("a7") = eid;
	asm volatile("ecall" : "+r"(r0), "+r"(r1) : "r"(r2), "r"(r6), "r"(r7) : "memory");
	return (struct sbiret){ .error = r0, .value = r1 };
}

long sbi_spec_version(void)
{
	return sbi_call(SBI_EXT_BASE, 0, 0, 0, 0).value;
}

int sbi_probe(long eid)
{
	struct sbiret r = sbi_call(SBI_EXT_BASE, 3, eid, 0, 0);
	return r.error == SBI_SUCCESS && r.value != 0;
}

void sbi_console_putchar(int c)
{
	sbi_call(SBI_LEGACY_PUTCHAR, 0, c, 0, 0);
}

void sbi_set_timer(uint64_t stime)
{
	sbi_call(SBI_EXT_TIME, 0, (long)stime, 0, 0);
}

long sbi_hart_start(uint64_t hartid, uint64_t start, uint64_t opaque)
{
	return sbi_call(SBI_EXT_HSM, 0, hartid, start, opaque).error;
}

long sbi_hart_status(uint64_t hartid)
{
	struct sbiret r = sbi_call(SBI_EXT_HSM, 2, hartid, 0, 0);
	return r.error ? r.error : r.value;
}

// SRST system_reset (type SBI_RESET_*, reason 0 = none, 1 = system
// failure). It returns only when the firmware cannot do it.
long sbi_system_reset(long type, long reason)
{
	return sbi_call(SBI_EXT_SRST, 0, type, reason, 0).error;
}
