// The few errno values mm/ returns, negated (0 is success, negative failure).
#ifndef MM_ERRNO_H
#define MM_ERRNO_H
#define ENOMEM      12
#define EBUSY       16
#define EINVAL      22
#define ENOSPC      28
#define EOPNOTSUPP  95
#endif
