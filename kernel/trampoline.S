# The page that switches between user and kernel address spaces. It is
# mapped at TRAMPOLINE in the kernel page table and in every user page table
# (without PTE_U), so the instructions around each satp write exist at the
# same address on both sides of the switch.
#
# uservec:  stvec while a process runs in U-mode. Saves the user registers
#           in the process's trap frame (mapped at TRAPFRAME in its page
#           table only), loads the kernel's sp, tp and satp from the trap
#           frame, and jumps to usertrap().
# userret:  userret(satp) from usertrapret(): switch to the user page table,
#           reload the user registers from TRAPFRAME, sret to U-mode.
# Trap-frame offsets follow struct trapframe (proc.h).

#define TRAPFRAME_VA 0x3fffffe000     /* TRAPFRAME: MAXVA - 2 pages; trap.c checks */

	.section .text.trampoline, "ax"
	.balign 4096
	.globl trampoline
trampoline:

# Every user register except a0, which serves as the trap-frame pointer.
.macro user_regs op
	\op ra, 40
	\op sp, 48
	\op gp, 56
	\op tp, 64
	\op t0, 72
	\op t1, 80
	\op t2, 88
	\op s0, 96
	\op s1, 104
	\op a1, 120
	\op a2, 128
	\op a3, 136
	\op a4, 144
	\op a5, 152
	\op a6, 160
	\op a7, 168
	\op s2, 176
	\op s3, 184
	\op s4, 192
	\op s5, 200
	\op s6, 208
	\op s7, 216
	\op s8, 224
	\op s9, 232
	\op s10, 240
	\op s11, 248
	\op t3, 256
	\op t4, 264
	\op t5, 272
	\op t6, 280
.endm
.macro tf_save reg, off
	sd	\reg, \off(a0)
.endm
.macro tf_load reg, off
	ld	\reg, \off(a0)
.endm

	.balign 4
	.globl uservec
uservec:
	csrw	sscratch, a0            # free a0 for the trap-frame address
	li	a0, TRAPFRAME_VA
	user_regs tf_save
	csrr	t0, sscratch
	sd	t0, 112(a0)             # the user's a0

	ld	sp, 8(a0)               # kernel_sp: this process's kernel stack
	ld	tp, 32(a0)              # kernel_hartid
	ld	t0, 16(a0)              # kernel_trap: usertrap()
	ld	t1, 0(a0)               # kernel_satp

	# Flush before and after: the kernel's direct map is global (PTE_G) and
	# overlaps user addresses, so no stale entry of either side may survive.
	sfence.vma zero, zero
	csrw	satp, t1
	sfence.vma zero, zero
	jr	t0                      # usertrap() does not return here

	.globl userret
userret:
	sfence.vma zero, zero
	csrw	satp, a0
	sfence.vma zero, zero
	li	a0, TRAPFRAME_VA
	user_regs tf_load
	ld	a0, 112(a0)             # last: a0 was the base register
	sret
