/* Shared by the libFuzzer harnesses: consume the fuzzer's bytes as
 * little-endian integers (zero once exhausted), and abort on a broken
 * invariant so libFuzzer records the input. */
#ifndef AETHER_FUZZ_INPUT_H
#define AETHER_FUZZ_INPUT_H

#include <stdio.h>
#include <stdlib.h>
#include "types.h"

#define FUZZ_ASSERT(c)                                                                            \
	do {                                                                                      \
		if (!(c)) {                                                                       \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #c); \
			abort();                                                                  \
		}                                                                                 \
	} while (0)

struct input {
	const u8 *d;
	size_t n;
};

static inline u64 take(struct input *in, unsigned bytes)
{
	u64 v = 0;

	for (unsigned i = 0; i < bytes && in->n; i++, in->n--)
		v |= (u64)*in->d++ << (8 * i);
	return v;
}

#endif
