// libsrtp2 for Swift. The crypto-policy setters for AES_CM_128_HMAC_SHA1_80 are macros;
// wrap the ones Parley uses as functions.
#ifndef PARLEY_CSRTP_SHIM_H
#define PARLEY_CSRTP_SHIM_H

#include <srtp2/srtp.h>

static inline void parley_srtp_policy_aes_cm_128_hmac_sha1_80(srtp_crypto_policy_t *policy) {
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(policy);
}

#endif
