// The write-ahead log (log.c): makes each file-system operation atomic
// with respect to crashes. begin_op/end_op are declared in file.h.
#ifndef KERNEL_LOG_H
#define KERNEL_LOG_H

#include "fs.h"

struct buf;

// initlog - set up the log described by sb and replay a committed but
// uninstalled transaction left by a crash. Runs once, in process context.
void initlog(int dev, const struct superblock *sb);

// log_write - record that the caller changed b (which it holds locked):
// the block joins the current transaction and stays cached until it is
// installed. Use instead of bwrite inside begin_op/end_op.
void log_write(struct buf *b);

#endif
