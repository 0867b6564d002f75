// usrsctp for Swift. pkg-config's -DINET -DINET6 are dropped by SwiftPM; Parley only uses
// AF_CONN sockets (SCTP over DTLS), which need neither.
#ifndef PARLEY_CUSRSCTP_SHIM_H
#define PARLEY_CUSRSCTP_SHIM_H

#include <sys/socket.h>
#include <usrsctp.h>

#endif
