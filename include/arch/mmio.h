/* Device register accesses of an explicit width.  Drivers go through these
 * rather than dereferencing volatile pointers themselves, so the width of
 * every access is visible at the call and host unit tests (AETHER_HOST) can
 * put a model of the device behind them. */
#ifndef AETHER_ARCH_MMIO_H
#define AETHER_ARCH_MMIO_H

#include "types.h"

#ifdef AETHER_HOST
u8 mmio_read8(uintptr_t addr);
u32 mmio_read32(uintptr_t addr);
void mmio_write8(uintptr_t addr, u8 v);
void mmio_write32(uintptr_t addr, u32 v);
#else
static inline u8 mmio_read8(uintptr_t addr)
{
	return *(volatile u8 *)addr;
}
static inline u32 mmio_read32(uintptr_t addr)
{
	return *(volatile u32 *)addr;
}
static inline void mmio_write8(uintptr_t addr, u8 v)
{
	*(volatile u8 *)addr = v;
}
static inline void mmio_write32(uintptr_t addr, u32 v)
{
	*(volatile u32 *)addr = v;
}
#endif

#endif
