/* Ticket lock.  Needs the EL2 MMU on (exclusives on normal memory). */
#ifndef AETHER_SPINLOCK_H
#define AETHER_SPINLOCK_H

#include "types.h"

typedef struct {
	u32 next;
	u32 owner;
} spinlock_t;

#ifdef AETHER_HOST
static inline void spin_lock(spinlock_t *l)
{
	l->next++;
}
static inline void spin_unlock(spinlock_t *l)
{
	l->owner++;
}
#else
static inline void spin_lock(spinlock_t *l)
{
	u32 ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_ACQUIRE);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket)
		__asm__ volatile("wfe");
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->owner, l->owner + 1, __ATOMIC_RELEASE);
	__asm__ volatile("sev");
}
#endif

#endif
