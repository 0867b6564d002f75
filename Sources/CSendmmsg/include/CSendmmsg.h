#ifndef PARLEY_CSENDMMSG_H
#define PARLEY_CSENDMMSG_H

#include <sys/socket.h>

/// `struct mmsghdr` of sendmmsg(2). Glibc declares it only under _GNU_SOURCE, which Swift's
/// Glibc module is not built with, so it is mirrored here (the .c file checks the layout).
struct parley_mmsghdr {
    struct msghdr msg_hdr;
    unsigned int msg_len;
};

/// sendmmsg(2): sends up to `count` datagrams in one system call. Returns how many went out, or
/// -1 with errno set when the first one could not.
int parley_sendmmsg(int descriptor, struct parley_mmsghdr *messages, unsigned int count, int flags);

#endif
