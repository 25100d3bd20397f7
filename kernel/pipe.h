// Pipes (pipe.c): a bounded byte buffer between a reading and a writing
// struct file.
#ifndef KERNEL_PIPE_H
#define KERNEL_PIPE_H

#include "types.h"

struct file;
struct pipe;

// pipealloc - a new pipe and its two files: *rf reads, *wf writes.
// Return: 0, or -1 when out of files or memory (nothing is left allocated).
int pipealloc(struct file **rf, struct file **wf);
// pipeclose - close one end (writable: the write end); the pipe is freed
// when both are closed.
void pipeclose(struct pipe *pi, int writable);
// Copy n bytes from user address addr into the pipe, sleeping while it is
// full. Return: n, or -1 if the read end is closed or the process is
// killed before all are written, or if addr is bad before anything is.
int pipewrite(struct pipe *pi, uint64 addr, int n);
// Copy up to n bytes out to user address addr, sleeping while the pipe is
// empty and the write end is open. Return: the bytes read (0 at end of
// file), or -1 if killed while waiting or addr is bad.
int piperead(struct pipe *pi, uint64 addr, int n);

#endif
