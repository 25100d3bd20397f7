#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "user/user.h"

// xv6check: written the way a student writes an xv6 lab program (xv6's
// indentation, its headers in its order, printf of struct fields, exit(0)
// at the end of main) to show that such programs build and run unchanged.
// It uses fstat, sbrk and pipe; the output is the same on every run and
// tests/boot/shelltest.py checks it line by line.

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

int
main(int argc, char *argv[])
{
  check_fstat();
  check_sbrk();
  check_pipe();
  printf("xv6check: ok\n");
  exit(0);
}
