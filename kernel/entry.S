# OpenSBI enters here in S-mode with a0 = hart id, a1 = DTB physical address,
# paging off. Any hart may be the boot hart. The boot hart runs on boot_stack
# (outside .bss), clears .bss and calls kmain(hartid, dtb). Harts started
# later through SBI HSM enter at secondary_entry with a1 = their stack top.
#include "param.h"

	.section .text.entry
	.globl _start
_start:
	# OpenSBI 1.1's hart_start marks the target START_PENDING before it
	# stores the start address, so a secondary hart that wakes in between
	# arrives here, with the boot hart's a1. Only the first hart to get
	# here is the boot hart; a later one is a started secondary.
	la	t0, boot_claimed
	li	t1, 1
	amoswap.w.aq t1, t1, (t0)
	bnez	t1, late_secondary
	la	sp, boot_stack_top
	la	t0, _bss_start
	la	t1, _bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	call	kmain
3:	wfi
	j	3b

	.globl secondary_entry
	.balign 4
secondary_entry:
	mv	sp, a1
	call	secondary_main
4:	wfi
	j	4b

# A secondary that came in through _start: the boot hart filled cpus[]
# before starting any hart, so find a0's struct cpu there and enter as
# secondary_entry would have, on its own stack (smp.c checks the offsets).
late_secondary:
	la	t0, cpus
	la	t1, ncpu
	lw	t1, 0(t1)
5:	beqz	t1, 7f
	ld	t2, 0(t0)               # struct cpu *
	ld	t3, 0(t2)               # ->hartid
	beq	t3, a0, 6f
	addi	t0, t0, 8
	addi	t1, t1, -1
	j	5b
6:	ld	a1, 16(t2)              # ->stack
	li	t3, KSTACK_SIZE
	add	a1, a1, t3
	j	secondary_entry
7:	wfi                             # not a hart we know: stay out of the way
	j	7b

	.section .data
	.balign 4
boot_claimed:                           # in .data: .bss is cleared after the claim
	.word	0

	.section .bootstack, "aw", @nobits
	.balign 16
boot_stack:
	.space	KSTACK_SIZE
boot_stack_top:
