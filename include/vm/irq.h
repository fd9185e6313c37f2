/* Physical interrupts taken at EL2 (vm/irq.c). */
#ifndef AETHER_VM_IRQ_H
#define AETHER_VM_IRQ_H

#include "types.h"

struct vcpu;

/* Handles every interrupt pending at this CPU; cur (may be NULL) is the
 * vCPU that was running. */
void irq_drain(struct vcpu *cur);
/* The exit short path: 1 when the one interrupt pending was cur's virtual
 * timer and it is now in a list register; 0 when irq_drain and the
 * general path must run (an interrupt it acknowledged is handled already). */
struct percpu;
u64 irq_vtimer_fast(struct vcpu *cur, struct percpu *pc); /* pc: this CPU */
/* An EL2 service takes a physical interrupt (set up at boot, before any
 * guest runs); -E_NOMEM when the table is full. */
int irq_claim(u32 intid, void (*handler)(void));

#endif
