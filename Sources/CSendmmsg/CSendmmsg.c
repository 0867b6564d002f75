#define _GNU_SOURCE
#include <stddef.h>
#include <sys/socket.h>
#include "CSendmmsg.h"

_Static_assert(sizeof(struct parley_mmsghdr) == sizeof(struct mmsghdr), "mmsghdr layout");
_Static_assert(offsetof(struct parley_mmsghdr, msg_len) == offsetof(struct mmsghdr, msg_len), "mmsghdr layout");

int parley_sendmmsg(int descriptor, struct parley_mmsghdr *messages, unsigned int count, int flags) {
    return sendmmsg(descriptor, (struct mmsghdr *)messages, count, flags);
}
