# OpenSBI enters here in S-mode with a0 = hart id, a1 = DTB physical address,
# paging off. Any hart may be the boot hart. The boot hart runs on boot_stack
# (outside .bss), clears .bss and calls kmain(hartid, dtb). Harts started
# later through SBI HSM enter at secondary_entry with a1 = their stack top.
#include "param.h"

	.section .text.entry
	.globl _start
_start:
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

	.section .bootstack, "aw", @nobits
	.balign 16
boot_stack:
	.space	KSTACK_SIZE
boot_stack_top:
