// Calls into the SBI firmware (OpenSBI). Extension and function numbers
// are from the RISC-V SBI specification v1.0.
#ifndef KERNEL_SBI_H
#define KERNEL_SBI_H

#include <stdint.h>

#define SBI_EXT_BASE   0x10
#define SBI_EXT_TIME   0x54494D45
#define SBI_EXT_HSM    0x48534D
#define SBI_EXT_SRST   0x53525354
#define SBI_LEGACY_PUTCHAR 0x01

#define SBI_SUCCESS            0
#define SBI_ERR_NOT_SUPPORTED  (-2)
#define SBI_ERR_ALREADY_AVAILABLE (-6)

#define SBI_RESET_SHUTDOWN     0        // SRST reset types
#define SBI_RESET_COLD_REBOOT  1

struct sbiret {
	long error;
	long value;
};

struct sbiret sbi_call(long eid, long fid, long a0, long a1, long a2);
long sbi_spec_version(void);
int sbi_probe(long eid);                  // 1 if the extension is present
void sbi_console_putchar(int c);          // legacy extension 0x01
void sbi_set_timer(uint64_t stime);
long sbi_hart_start(uint64_t hartid, uint64_t start, uint64_t opaque);
long sbi_hart_status(uint64_t hartid);
long sbi_system_reset(long type, long reason);  // returns only on failure

#endif
