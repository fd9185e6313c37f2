/* Host stand-in for the one thing vm/vgic*.c calls outside itself:
 * vcpu_kick().  Every kick is recorded, and a kick made while the VM's vgic
 * lock is held is counted as a violation (kicks must come after unlock).
 * Used by tests/host/test_vgic.c and tests/fuzz/fuzz_vgic.c, which declare
 * the accessors below themselves. */
#include "vm/vm.h"

#define FAKE_KICK_LOG 64

static unsigned kick_count[MAX_VCPUS_PER_VM];
static unsigned kick_total, kick_locked, kick_foreign;
static struct vcpu *kick_log[FAKE_KICK_LOG];

void fake_kick_reset(void);
unsigned fake_kick_total(void);
unsigned fake_kick_count(u32 id);
u32 fake_kick_mask(void);
unsigned fake_kick_locked(void);
unsigned fake_kick_foreign(void);
struct vcpu *fake_kick_nth(unsigned n);

void vcpu_kick(struct vcpu *v)
{
	struct vm *vm = v ? v->vm : NULL;

	if (!vm || v->id >= vm->nr_vcpus || &vm->vcpus[v->id] != v) {
		kick_foreign++;
		return;
	}
	if (vm->vgic.lock.next != vm->vgic.lock.owner)
		kick_locked++;
	if (kick_total < FAKE_KICK_LOG)
		kick_log[kick_total] = v;
	kick_total++;
	kick_count[v->id]++;
}

void fake_kick_reset(void)
{
	for (u32 i = 0; i < MAX_VCPUS_PER_VM; i++)
		kick_count[i] = 0;
	for (u32 i = 0; i < FAKE_KICK_LOG; i++)
		kick_log[i] = NULL;
	kick_total = kick_locked = kick_foreign = 0;
}

unsigned fake_kick_total(void)
{
	return kick_total;
}

unsigned fake_kick_count(u32 id)
{
	return id < MAX_VCPUS_PER_VM ? kick_count[id] : 0;
}

/* Bit n set when vCPU n was kicked at least once. */
u32 fake_kick_mask(void)
{
	u32 m = 0;

	for (u32 i = 0; i < MAX_VCPUS_PER_VM; i++)
		if (kick_count[i])
			m |= 1u << i;
	return m;
}

unsigned fake_kick_locked(void)
{
	return kick_locked;
}

/* Kicks of a vCPU that is not one of its VM's vCPUs (NULL included). */
unsigned fake_kick_foreign(void)
{
	return kick_foreign;
}

struct vcpu *fake_kick_nth(unsigned n)
{
	return n < FAKE_KICK_LOG ? kick_log[n] : NULL;
}
