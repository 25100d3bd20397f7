// Leaving QEMU with a status a script can test.
// - virt: SBI SRST on QEMU ignores the reason and always exits 0
//   (shared/docs/platform.md), so a failure goes through the sifive,test
//   finisher that the device tree names.
// - sifive_u has no finisher, and OpenSBI 1.1 has no shutdown device
//   there: an SRST shutdown returns "not supported". It can reset the
//   machine (through gpio-restart), and QEMU started with -no-reboot (as
//   make qemu and the tests start it) then exits instead of rebooting,
//   with status 0 whatever the reason. So on such a machine a panic is
//   told from a clean halt by the console alone: its "panic:" lines, and
//   the line below saying that the exit status cannot carry it.
#include <stdint.h>
#include "console.h"
#include "riscv.h"
#include "sbi.h"

#define FINISHER_PASS 0x5555
#define FINISHER_FAIL 0x3333

static volatile uint32_t *finisher;

void power_init(uint64_t finisher_base)
{
	finisher = (volatile uint32_t *)(uintptr_t)finisher_base;
}

void power_off(int status)
{
	long reason = status != 0;      // SRST: 1 = system failure
	long e;

	if (finisher)
		*finisher = status ? (FINISHER_FAIL | ((uint32_t)status << 16)) : FINISHER_PASS;
	e = sbi_system_reset(SBI_RESET_SHUTDOWN, reason);
	if (status)
		printf("power: this machine cannot give QEMU a failure status (no sifive,test "
		       "finisher); QEMU will exit 0 after status %d\n", status);
	if (e == SBI_ERR_NOT_SUPPORTED)
		e = sbi_system_reset(SBI_RESET_COLD_REBOOT, reason);
	printf("power: the firmware can neither shut down nor reset the machine (SBI error %ld); "
	       "halting this hart\n", e);
	for (;;)
		wfi();
}
