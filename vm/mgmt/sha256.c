/* SHA-256 from FIPS 180-4 sections 4.1.2, 4.2.2, 5.1.1, 5.3.3 and 6.2.2. */
#include "vm/sha256.h"
#include "lib.h"

/* The first 32 bits of the fractional parts of the cube roots of the first
 * 64 primes (section 4.2.2). */
static const u32 K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
	0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
	0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
	0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
	0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
	0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
	0xc67178f2,
};

static inline u32 ror(u32 x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

static inline u32 be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

/* Section 6.2.2: one 512-bit block into the state.  The message schedule
 * is kept as a 16-word window, computed as it is consumed. */
static void sha256_block(u32 h[8], const u8 *blk)
{
	u32 w[16], a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];

	for (unsigned t = 0; t < 64; t++) {
		u32 wt;
		if (t < 16) {
			wt = be32(blk + 4 * t);
		} else {
			u32 w15 = w[(t - 15) & 15], w2 = w[(t - 2) & 15];
			u32 s0 = ror(w15, 7) ^ ror(w15, 18) ^ (w15 >> 3);
			u32 s1 = ror(w2, 17) ^ ror(w2, 19) ^ (w2 >> 10);
			wt = w[t & 15] + s0 + w[(t - 7) & 15] + s1;
		}
		w[t & 15] = wt;
		u32 t1 = hh + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[t] +
			 wt;
		u32 t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
		hh = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
	h[5] += f;
	h[6] += g;
	h[7] += hh;
}

void sha256_init(struct sha256 *s)
{
	/* Section 5.3.3: square roots of the first 8 primes. */
	static const u32 iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
				  0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

	memcpy(s->h, iv, sizeof(iv));
	s->total = 0;
	s->fill = 0;
}

void sha256_update(struct sha256 *s, const void *data, u64 len)
{
	const u8 *p = data;

	s->total += len;
	if (s->fill) {
		u64 n = MIN((u64)(SHA256_BLOCK - s->fill), len);
		memcpy(s->buf + s->fill, p, n);
		s->fill += (u32)n;
		p += n;
		len -= n;
		if (s->fill < SHA256_BLOCK)
			return;
		sha256_block(s->h, s->buf);
		s->fill = 0;
	}
	for (; len >= SHA256_BLOCK; p += SHA256_BLOCK, len -= SHA256_BLOCK)
		sha256_block(s->h, p);
	memcpy(s->buf, p, len);
	s->fill = (u32)len;
}

/* Section 5.1.1: a 1 bit, zeros, then the message length in bits. */
void sha256_final(struct sha256 *s, u8 out[SHA256_DIGEST])
{
	u64 bits = s->total * 8;

	s->buf[s->fill++] = 0x80;
	if (s->fill > SHA256_BLOCK - 8) {
		memset(s->buf + s->fill, 0, SHA256_BLOCK - s->fill);
		sha256_block(s->h, s->buf);
		s->fill = 0;
	}
	memset(s->buf + s->fill, 0, SHA256_BLOCK - 8 - s->fill);
	for (unsigned i = 0; i < 8; i++)
		s->buf[SHA256_BLOCK - 1 - i] = (u8)(bits >> (8 * i));
	sha256_block(s->h, s->buf);
	for (unsigned i = 0; i < 32; i++)
		out[i] = (u8)(s->h[i / 4] >> (24 - 8 * (i % 4)));
}

void sha256(const void *data, u64 len, u8 out[SHA256_DIGEST])
{
	struct sha256 s;

	sha256_init(&s);
	sha256_update(&s, data, len);
	sha256_final(&s, out);
}
