/* SHA-256 (FIPS 180-4), written for EL2: no library, no FP/SIMD, no
 * allocation.  EL2 hashes a deployed image itself rather than trusting the
 * digest the management VM computed. */
#ifndef AETHER_VM_SHA256_H
#define AETHER_VM_SHA256_H

#include "types.h"

#define SHA256_DIGEST 32
#define SHA256_BLOCK 64

struct sha256 {
	u32 h[8];
	u64 total; /* bytes hashed so far */
	u8 buf[SHA256_BLOCK];
	u32 fill; /* bytes waiting in buf */
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, u64 len);
void sha256_final(struct sha256 *s, u8 out[SHA256_DIGEST]);
/* One-shot convenience. */
void sha256(const void *data, u64 len, u8 out[SHA256_DIGEST]);

#endif
