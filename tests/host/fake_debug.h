/* A CPU's debug registers for host tests (tests/host/fake_debug.c): six
 * breakpoints and four watchpoints, as QEMU's cortex-a57 has; the
 * arch_debug_* calls act on fake_dbg_cpu and MDCR_EL2.TDA (fake_dbg_trap). */
#ifndef AETHER_FAKE_DEBUG_H
#define AETHER_FAKE_DEBUG_H

#include "arch/debug.h"

#define FAKE_BRPS 6
#define FAKE_WRPS 4
extern struct arch_debug_regs fake_dbg_cpu;
extern bool fake_dbg_trap;
extern unsigned fake_dbg_loads, fake_dbg_saves;
void fake_debug_reset(void);

#endif
