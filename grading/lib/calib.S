// The grader's calibration payload: OpenSBI enters it at 0x80200000 in
// S-mode; it counts down a fixed number of iterations and then stops QEMU
// through virt's sifive,test finisher (0x100000). Its wall time says how
// fast this machine runs QEMU right now, which scales every timeout.
	.section .text
	.globl _start
_start:
	li	t0, 400000000
1:	addi	t0, t0, -1
	bnez	t0, 1b
	li	t1, 0x100000
	li	t2, 0x5555
	sw	t2, 0(t1)
2:	wfi
	j	2b
