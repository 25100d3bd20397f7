// The user-level API: system calls (stubs in usys.S) and the small C
// library (ulib.c, printf.c, umalloc.c). The list and every signature are
// xv6-riscv's, so course programs build unchanged; bootreport, buddyinfo
// (kernel/bootreport.h) and fsinfo (kernel/fsinfo.h) are this kernel's
// three additions. pause, sbrklazy and SBRK_ERROR are the names xv6-riscv's
// programs use since 2025 (its sleep became pause, and sbrk got a lazy variant).
#ifndef USER_USER_H
#define USER_USER_H

struct stat;
struct bootreport;
struct buddyinfo;
struct fsinfo;

// system calls
int fork(void);
int exit(int) __attribute__((noreturn));
int wait(int*);
int pipe(int*);
int write(int, const void*, int);
int read(int, void*, int);
int close(int);
int kill(int);
int exec(const char*, char**);
int open(const char*, int);
int mknod(const char*, short, short);
int unlink(const char*);
int fstat(int fd, struct stat*);
int link(const char*, const char*);
int mkdir(const char*);
int chdir(const char*);
int dup(int);
int getpid(void);
char* sbrk(int);                      // the old break, or SBRK_ERROR
int sleep(int);
int pause(int);                       // sleep, under its newer name
int uptime(void);
int bootreport(struct bootreport*);   // 0, or -1 on a bad pointer
int buddyinfo(struct buddyinfo*);     // 0, or -1 on a bad pointer
int fsinfo(struct fsinfo*);           // 0, or -1 on a bad pointer

#define SBRK_ERROR ((char*)-1)

// ulib.c
int stat(const char*, struct stat*);
char* sbrklazy(int);                  // sbrk: this kernel has no lazy allocation
char* strcpy(char*, const char*);
void *memmove(void*, const void*, int);
char* strchr(const char*, char c);
int strcmp(const char*, const char*);
char* gets(char*, int max);
uint strlen(const char*);
void* memset(void*, int, uint);
int atoi(const char*);
int memcmp(const void *, const void *, uint);
void *memcpy(void *, const void *, uint);

// printf.c: %d %u %x %p %s %c %%, with l/ll, a width and the 0 and - flags
void fprintf(int, const char*, ...);
void printf(const char*, ...);

// umalloc.c
void* malloc(uint);
void free(void*);

#endif
