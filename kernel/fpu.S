# A user process's floating-point registers, saved and restored around its
# time in the kernel (trap.c). The kernel itself is built without the F and
# D extensions (-mabi=lp64), so it never touches these registers: only this
# file does, and it asks the assembler for D explicitly.
#
# struct fpstate { uint64 f[32]; uint64 fcsr; }   (proc.h)

.option arch, +d
.section .text
.globl fpu_save
.globl fpu_restore

# void fpu_save(struct fpstate *fp)
fpu_save:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fsd f\n, \n*8(a0)
	.endr
	frcsr t0
	sd t0, 32*8(a0)
	ret

# void fpu_restore(const struct fpstate *fp)
fpu_restore:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fld f\n, \n*8(a0)
	.endr
	ld t0, 32*8(a0)
	fscsr t0
	ret
