#include "kernel/param.h"
#include "kernel/types.h"
#include "kernel/stat.h"
#include "user/user.h"
#include "kernel/fs.h"
#include "kernel/fcntl.h"
#include "kernel/syscall.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include "kernel/spinlock.h"
#include "kernel/sleeplock.h"
#include "kernel/file.h"
#include "kernel/bootreport.h"

// xv6check: written the way a student writes an xv6 lab program (xv6's
// indentation, its headers in its order, printf of struct fields, exit(0)
// at the end of main) to show that such programs build and run unchanged.
// It uses fstat, sbrk, sbrklazy, pause and pipe, the names xv6's kernel
// headers give user code (r_sp, major/minor/mkdev, memlayout.h's
// addresses, riscv.h's accessors and constants), and checks the
// memlayout.h addresses against the device tree the kernel read. The
// output is the same on every run and tests/boot/shelltest.py checks it
// line by line.

// Compile-time checks: each name exists, with xv6's type or value.
#define SAME_TYPE(a, b) __builtin_types_compatible_p(__typeof__(a), __typeof__(b))
_Static_assert(SAME_TYPE(r_sp(), uint64) && SAME_TYPE(r_ra(), uint64), "r_sp/r_ra");
_Static_assert(SAME_TYPE(r_tp(), uint64) && SAME_TYPE(r_sip(), uint64), "r_tp/r_sip");
_Static_assert(SAME_TYPE(r_stvec(), uint64) && SAME_TYPE(r_satp(), uint64), "r_stvec/r_satp");
_Static_assert(SAME_TYPE(r_stimecmp(), uint64), "r_stimecmp");
_Static_assert(SAME_TYPE(w_sip(0), void) && SAME_TYPE(w_satp(0), void), "w_sip/w_satp");
_Static_assert(SAME_TYPE(pte_t, uint64) && SAME_TYPE(pagetable_t, uint64 *), "pte_t");
_Static_assert(sizeof(uint8) == 1 && sizeof(uint16) == 2 && sizeof(uint32) == 4, "uintN");
_Static_assert(sizeof(uint64) == 8 && SAME_TYPE(pde_t, uint64), "uint64/pde_t");
_Static_assert(SSTATUS_UIE == 1 << 0 && SSTATUS_UPIE == 1 << 4, "SSTATUS_UIE/UPIE");
_Static_assert(SSTATUS_SIE == 1 << 1 && SSTATUS_SPIE == 1 << 5, "SSTATUS_SIE/SPIE");
_Static_assert(SAME_TYPE(mkdev(1, 2), uint), "mkdev gives a uint");
_Static_assert(LOGBLOCKS == LOGSIZE && LOGBLOCKS >= MAXOPBLOCKS, "LOGBLOCKS");
// QEMU's PLIC contexts: 2h is hart h's M-mode, 2h+1 its S-mode; per
// context an enable bitmap every 0x80 bytes and a threshold page.
_Static_assert(PLIC_PRIORITY == PLIC && PLIC_PENDING == PLIC + 0x1000, "PLIC_PRIORITY");
_Static_assert(PLIC_MENABLE(2) == PLIC + 0x2000 + 4 * 0x80, "PLIC_MENABLE");
_Static_assert(PLIC_SENABLE(2) == PLIC + 0x2000 + 5 * 0x80, "PLIC_SENABLE");
_Static_assert(PLIC_MPRIORITY(2) == PLIC + 0x200000 + 4 * 0x1000, "PLIC_MPRIORITY");
_Static_assert(PLIC_SPRIORITY(2) == PLIC + 0x200000 + 5 * 0x1000, "PLIC_SPRIORITY");
_Static_assert(PLIC_MCLAIM(2) == PLIC_MPRIORITY(2) + 4, "PLIC_MCLAIM");
_Static_assert(PLIC_SCLAIM(2) == PLIC_SPRIORITY(2) + 4, "PLIC_SCLAIM");
_Static_assert(TRAPFRAME == MAXVA - 2 * PGSIZE, "TRAPFRAME");
_Static_assert(KSTACK(0) == TRAMPOLINE - 2 * PGSIZE, "KSTACK");

// Compiled and assembled, never run: these touch S-mode CSRs, which trap
// in user mode.
__attribute__((used)) static void
smode_only(void)
{
  w_sip(r_sip() & ~SIE_SSIE);
  w_stvec(r_stvec());
  w_satp(r_satp());
  w_stimecmp(r_stimecmp());
  w_sstatus(r_sstatus() & ~(SSTATUS_UIE | SSTATUS_UPIE));
  sfence_vma();
}

char *msg = "ping from child\n";

void
check_fstat(void)
{
  struct stat st;
  char buf[100];
  int fd, i;

  for(i = 0; i < sizeof(buf); i++)
    buf[i] = 'a' + i % 26;
  fd = open("xv6check.tmp", O_CREATE | O_RDWR);
  if(fd < 0){
    printf("xv6check: cannot create xv6check.tmp\n");
    exit(1);
  }
  write(fd, buf, sizeof(buf));
  if(fstat(fd, &st) < 0){
    printf("xv6check: fstat failed\n");
    exit(1);
  }
  printf("fstat: file type %d nlink %d size %d\n", st.type, st.nlink, st.size);
  close(fd);
  unlink("xv6check.tmp");

  fd = open(".", O_RDONLY);
  fstat(fd, &st);
  printf("fstat: dir type %d\n", st.type);
  close(fd);
}

void
check_sbrk(void)
{
  char *old, *p;
  int i, sum;

  old = sbrk(0);
  p = sbrk(8192);
  if(p != old){
    printf("xv6check: sbrk returned %p, break was %p\n", p, old);
    exit(1);
  }
  sum = 0;
  for(i = 0; i < 8192; i++){
    if(p[i] != 0){
      printf("xv6check: new memory not zero\n");
      exit(1);
    }
    p[i] = i % 251;
    sum += p[i];
  }
  printf("sbrk: grew 8192 bytes, checksum %d\n", sum);
  sbrk(-8192);
  if(sbrk(0) != old){
    printf("xv6check: sbrk(-8192) did not give the memory back\n");
    exit(1);
  }
  printf("sbrk: shrank back\n");

  // xv6-riscv's names since 2025: SBRK_ERROR, and sbrklazy, which maps the
  // pages at once here.
  if(SBRK_ERROR != (char*)-1){
    printf("xv6check: SBRK_ERROR is %p\n", SBRK_ERROR);
    exit(1);
  }
  p = sbrklazy(4096);
  if(p == SBRK_ERROR || p != old || p[0] != 0 || p[4095] != 0){
    printf("xv6check: sbrklazy(4096) returned %p, break was %p\n", p, old);
    exit(1);
  }
  p[4095] = 1;
  if(sbrk(-4096) != old + 4096 || sbrk(0) != old){
    printf("xv6check: sbrk(-4096) after sbrklazy\n");
    exit(1);
  }
  printf("sbrklazy: grew and shrank back\n");
}

void
check_pause(void)
{
  int t0;

  t0 = uptime();
  if(pause(2) != 0 || uptime() - t0 < 2){
    printf("xv6check: pause(2) from tick %d returned at tick %d\n", t0, uptime());
    exit(1);
  }
  printf("pause: slept 2 ticks\n");
}

void
check_pipe(void)
{
  int p[2], n, total, status;
  char buf[64];

  if(pipe(p) < 0){
    printf("xv6check: pipe failed\n");
    exit(1);
  }
  if(fork() == 0){
    close(p[0]);
    write(p[1], msg, strlen(msg));
    close(p[1]);
    exit(7);
  }
  close(p[1]);
  total = 0;
  while((n = read(p[0], buf + total, sizeof(buf) - 1 - total)) > 0)
    total += n;
  buf[total] = 0;
  close(p[0]);
  wait(&status);
  printf("pipe: read %d bytes: %s", total, buf);
  printf("wait: child exit status %d\n", status);
}

struct bootreport br;    // 20 KiB: too big for the one-page stack

// The return address as r_ra() reads it on entry, before any call.
__attribute__((noinline)) uint64
caller_ra(void)
{
  uint64 ra = r_ra();
  if(ra != (uint64)__builtin_return_address(0)){
    printf("xv6check: r_ra() gave %p, the return address is %p\n",
           (void*)ra, __builtin_return_address(0));
    exit(1);
  }
  return ra;
}

// exec leaves the break at the top of the stack: the stack is the
// USERSTACK pages below sbrk(0), before any sbrk.
void
check_sp(void)
{
  uint64 top, sp;

  top = (uint64)sbrk(0);
  sp = r_sp();
  if(sp >= top || sp < top - USERSTACK*PGSIZE){
    printf("xv6check: r_sp() %p is outside the stack [%p, %p)\n",
           (void*)sp, (void*)(top - USERSTACK*PGSIZE), (void*)top);
    exit(1);
  }
  caller_ra();
  printf("r_sp: inside the stack\n");
}

void
check_dev(void)
{
  uint majors[] = { 0, 1, 7, 0x1234, 0xFFFF };
  uint minors[] = { 0, 1, 9, 0x8000, 0xFFFF };
  int i, j;
  uint d;

  for(i = 0; i < sizeof(majors)/sizeof(majors[0]); i++){
    for(j = 0; j < sizeof(minors)/sizeof(minors[0]); j++){
      d = mkdev(majors[i], minors[j]);
      if(major(d) != majors[i] || minor(d) != minors[j] ||
         d != (majors[i] << 16 | minors[j])){
        printf("xv6check: mkdev(%x, %x) = %x: major %x minor %x\n",
               majors[i], minors[j], d, major(d), minor(d));
        exit(1);
      }
    }
  }
  printf("mkdev: major and minor round trip\n");
}

// memlayout.h's fixed addresses are QEMU virt's; the kernel took the real
// ones from the device tree, and bootreport() returns them.
void
check_memlayout(void)
{
  if(bootreport(&br) < 0){
    printf("xv6check: bootreport failed\n");
    exit(1);
  }
  if(!br.uart.present || br.uart.base != UART0 || br.uart.irq != UART0_IRQ){
    printf("xv6check: device tree uart at %p irq %d, UART0 %p irq %d\n",
           (void*)br.uart.base, br.uart.irq, (void*)UART0, UART0_IRQ);
    exit(1);
  }
  if(!br.virtio0.present || br.virtio0.base != VIRTIO0 || br.virtio0.irq != VIRTIO0_IRQ){
    printf("xv6check: device tree virtio at %p irq %d, VIRTIO0 %p irq %d\n",
           (void*)br.virtio0.base, br.virtio0.irq, (void*)VIRTIO0, VIRTIO0_IRQ);
    exit(1);
  }
  if(!br.plic.present || br.plic.base != PLIC || br.plic.size < PLIC_SCLAIM(0) + 4 - PLIC){
    printf("xv6check: device tree plic at %p size %p, PLIC %p\n",
           (void*)br.plic.base, (void*)br.plic.size, (void*)PLIC);
    exit(1);
  }
  if(br.nbanks < 1 || br.bank[0].base != KERNBASE ||
     br.bank[0].base + br.bank[0].size < PHYSTOP){
    printf("xv6check: first RAM bank [%p, +%p), KERNBASE %p PHYSTOP %p\n",
           (void*)br.bank[0].base, (void*)br.bank[0].size, (void*)KERNBASE, (void*)PHYSTOP);
    exit(1);
  }
  printf("memlayout: UART0 VIRTIO0 PLIC KERNBASE as in the device tree\n");
}

int
main(int argc, char *argv[])
{
  check_sp();
  check_dev();
  check_memlayout();
  check_fstat();
  check_sbrk();
  check_pipe();
  check_pause();
  printf("xv6check: ok\n");
  exit(0);
}
