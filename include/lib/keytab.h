/* Tables sorted by a u32 key that is the first member of each entry (the
 * hypercall and system-register tables): the one binary search and the one
 * sortedness check for all of them.  Inline, so each use is specialised to
 * its entry size on the trap path. */
#ifndef AETHER_LIB_KEYTAB_H
#define AETHER_LIB_KEYTAB_H

#include "types.h"

/* The entry whose key is key, or NULL. */
static inline const void *keytab_find(const void *table, size_t n, size_t stride, u32 key)
{
	const u8 *base = table;
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		u32 k = *(const u32 *)(const void *)(base + mid * stride);
		if (k == key)
			return base + mid * stride;
		if (k < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Keys strictly increasing (checked once at boot). */
static inline bool keytab_sorted(const void *table, size_t n, size_t stride)
{
	const u8 *base = table;

	for (size_t i = 1; i < n; i++)
		if (*(const u32 *)(const void *)(base + (i - 1) * stride) >=
		    *(const u32 *)(const void *)(base + i * stride))
			return false;
	return true;
}

/* For a static array of entries whose first member, a u32, is the key. */
#define KEYTAB_CHECK(type, member)                                         \
	_Static_assert(__builtin_offsetof(type, member) == 0 &&            \
			       sizeof(((type *)0)->member) == sizeof(u32), \
		       #type ": the key must be its first member, a u32")
#define KEYTAB_FIND(tab, key) \
	((__typeof__(&(tab)[0]))keytab_find(tab, ARRAY_SIZE(tab), sizeof((tab)[0]), key))
#define KEYTAB_SORTED(tab) keytab_sorted(tab, ARRAY_SIZE(tab), sizeof((tab)[0]))

#endif
