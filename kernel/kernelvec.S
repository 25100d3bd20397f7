# The trap vector while the kernel runs: an interrupt or exception taken in
# S-mode. Push every caller-saved register on the current kernel stack,
# call kerneltrap() (trap.c), pop them and sret to where the trap hit.
# tp is not restored: kerneltrap may yield, and the thread may come back on
# another hart, whose id tp must keep holding.

	.text
	.globl kernelvec
	.balign 4                 # stvec direct mode needs the low bits clear
kernelvec:
	addi	sp, sp, -256
	sd	ra, 0(sp)
	sd	gp, 16(sp)
	sd	tp, 24(sp)
	sd	t0, 32(sp)
	sd	t1, 40(sp)
	sd	t2, 48(sp)
	.irp	n, 0,1,2,3,4,5,6,7
	sd	a\n, (56 + 8 * \n)(sp)
	.endr
	sd	t3, 120(sp)
	sd	t4, 128(sp)
	sd	t5, 136(sp)
	sd	t6, 144(sp)

	call	kerneltrap

	ld	ra, 0(sp)
	ld	gp, 16(sp)
	ld	t0, 32(sp)
	ld	t1, 40(sp)
	ld	t2, 48(sp)
	.irp	n, 0,1,2,3,4,5,6,7
	ld	a\n, (56 + 8 * \n)(sp)
	.endr
	ld	t3, 120(sp)
	ld	t4, 128(sp)
	ld	t5, 136(sp)
	ld	t6, 144(sp)
	addi	sp, sp, 256
	sret
