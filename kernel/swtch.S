# swtch(struct context *from, struct context *to): a kernel context switch.
# Only the callee-saved registers need saving: the C caller has already
# saved every other register it cares about. Offsets follow struct context
# (proc.h): ra 0, sp 8, s0..s11 16..104.

	.text
	.globl swtch
	.balign 4
swtch:
	sd	ra, 0(a0)
	sd	sp, 8(a0)
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11
	sd	s\n, (16 + 8 * \n)(a0)
	.endr

	ld	ra, 0(a1)
	ld	sp, 8(a1)
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11
	ld	s\n, (16 + 8 * \n)(a1)
	.endr
	ret
