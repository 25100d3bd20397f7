// RISC-V privileged-architecture helpers: CSR access, counters, fences.
// Architecture-specific code lives here and in entry.S, nowhere else.
// User programs include it too: it offers every name xv6-riscv's riscv.h
// does except the M-mode ones (r_mhartid, r_mstatus/w_mstatus, MSTATUS_*,
// w_mepc, r_mie/w_mie, MIE_*, medeleg, mideleg, menvcfg, mcounteren,
// pmpcfg0/pmpaddr0). This kernel starts in S-mode under OpenSBI, which
// owns M-mode; an M-mode CSR access here is an illegal instruction.
// In user mode only r_sp, r_ra and r_tp work: an S-mode CSR access traps
// there, and so do the counters unless scounteren allows them (this kernel
// never sets it).
#ifndef KERNEL_RISCV_H
#define KERNEL_RISCV_H

#include <stdint.h>
#include "types.h"

// xv6 spells the CSR accessors with uint64; the kernel's C uses uint64_t.
_Static_assert(__builtin_types_compatible_p(uint64, uint64_t), "uint64 is not uint64_t");

#define csr_read(csr) ({ uint64 v_; \
	asm volatile("csrr %0, " #csr : "=r"(v_)); v_; })
#define csr_write(csr, val) \
	asm volatile("csrw " #csr ", %0" :: "r"((uint64)(val)))

static inline uint64 r_time(void)      { return csr_read(time); }
static inline uint64 r_cycle(void)     { return csr_read(cycle); }
static inline uint64 r_instret(void)   { return csr_read(instret); }
static inline uint64 r_tp(void)        { uint64 v; asm volatile("mv %0, tp" : "=r"(v)); return v; }
static inline void w_tp(uint64 v)      { asm volatile("mv tp, %0" :: "r"(v)); }
static inline uint64 r_sp(void)        { uint64 v; asm volatile("mv %0, sp" : "=r"(v)); return v; }
static inline uint64 r_ra(void)        { uint64 v; asm volatile("mv %0, ra" : "=r"(v)); return v; }
static inline void wfi(void)           { asm volatile("wfi"); }
static inline void sfence_vma(void)    { asm volatile("sfence.vma zero, zero"); }

#define SSTATUS_UIE  (1UL << 0)   // U-mode interrupts (the withdrawn N
#define SSTATUS_UPIE (1UL << 4)   //   extension): no hart here has them
#define SSTATUS_SIE  (1UL << 1)   // interrupts enabled in S-mode
#define SSTATUS_SPIE (1UL << 5)   // SIE before the trap; sret restores it
#define SSTATUS_SPP  (1UL << 8)   // the trap came from S-mode (0: from U-mode)
#define SSTATUS_FS       (3UL << 13)  // floating-point state: off, initial,
#define SSTATUS_FS_INIT  (1UL << 13)  //   clean or dirty (written since
#define SSTATUS_FS_CLEAN (2UL << 13)  //   the state was last clean)
#define SSTATUS_FS_DIRTY (3UL << 13)
static inline void intr_off(void) { asm volatile("csrc sstatus, %0" :: "r"(SSTATUS_SIE)); }
static inline void intr_on(void)  { asm volatile("csrs sstatus, %0" :: "r"(SSTATUS_SIE)); }
static inline int intr_get(void)  { return (csr_read(sstatus) & SSTATUS_SIE) != 0; }

// Supervisor interrupt-enable/pending bits and the scause codes we take.
#define SIE_SSIE (1UL << 1)       // software (IPIs)
#define SIE_STIE (1UL << 5)       // timer
#define SIE_SEIE (1UL << 9)       // external, through the PLIC
#define SCAUSE_INTR       (1UL << 63)
#define SCAUSE_SOFT       1
#define SCAUSE_TIMER      5
#define SCAUSE_EXTERNAL   9
#define SCAUSE_ECALL_U    8
#define SCAUSE_LOAD_PAGE_FAULT  13
#define SCAUSE_STORE_PAGE_FAULT 15

static inline uint64 r_sstatus(void)     { return csr_read(sstatus); }
static inline void w_sstatus(uint64 v)   { csr_write(sstatus, v); }
static inline uint64 r_sie(void)         { return csr_read(sie); }
static inline void w_sie(uint64 v)       { csr_write(sie, v); }
// Only SSIP is writable in sip; clear_sip clears bits without a read.
static inline uint64 r_sip(void)         { return csr_read(sip); }
static inline void w_sip(uint64 v)       { csr_write(sip, v); }
static inline void clear_sip(uint64 bits) { asm volatile("csrc sip, %0" :: "r"(bits)); }
static inline uint64 r_sepc(void)        { return csr_read(sepc); }
static inline void w_sepc(uint64 v)      { csr_write(sepc, v); }
static inline uint64 r_scause(void)      { return csr_read(scause); }
static inline uint64 r_stval(void)       { return csr_read(stval); }
static inline uint64 r_stvec(void)       { return csr_read(stvec); }
static inline void w_stvec(uint64 v)     { csr_write(stvec, v); }
static inline uint64 r_satp(void)        { return csr_read(satp); }
// A new satp takes effect only after sfence_vma (kvm.c does both).
static inline void w_satp(uint64 v)      { csr_write(satp, v); }
// Sstc's stimecmp (CSR 0x14d); older assemblers do not know its name.
static inline uint64 r_stimecmp(void)    { return csr_read(0x14d); }
static inline void w_stimecmp(uint64 v)  { csr_write(0x14d, v); }

// Sv39 page-table entries.
#define SATP_SV39  (8UL << 60)
#define MAKE_SATP(pt) (SATP_SV39 | ((uint64)(pt) >> 12))
#define PTE_V (1UL << 0)
#define PTE_R (1UL << 1)
#define PTE_W (1UL << 2)
#define PTE_X (1UL << 3)
#define PTE_U (1UL << 4)
#define PTE_G (1UL << 5)
#define PTE_A (1UL << 6)
#define PTE_D (1UL << 7)
#define PA2PTE(pa) ((((uint64)(pa)) >> 12) << 10)
#define PTE2PA(pte) (((pte) >> 10) << 12)


// Pages and the Sv39 address space (xv6-riscv's names; user code uses them).
#define PGSIZE 4096
#define PGSHIFT 12
#define PGROUNDUP(sz)  (((sz)+PGSIZE-1) & ~(PGSIZE-1))
#define PGROUNDDOWN(a) (((a)) & ~(PGSIZE-1))
#define PXMASK          0x1FF
#define PXSHIFT(level)  (PGSHIFT+(9*(level)))
#define PX(level, va) ((((uint64) (va)) >> PXSHIFT(level)) & PXMASK)
// One beyond the highest possible virtual address: one bit less than Sv39
// allows, so addresses need no sign extension.
#define MAXVA (1L << (9 + 9 + 9 + 12 - 1))
#define PTE_FLAGS(pte) ((pte) & 0x3FF)

typedef uint64 pte_t;
typedef uint64 *pagetable_t;     // 512 PTEs

#endif
