/* Basic fixed-width types and the three address spaces the hypervisor juggles.
 *
 * Physical addresses, guest intermediate physical addresses (IPAs) and
 * hypervisor virtual addresses are distinct struct types so that passing one
 * where another is expected is a compile error, not a silent isolation bug.
 * Conversions are explicit and live here. */
#ifndef AETHER_TYPES_H
#define AETHER_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t s64;

typedef struct {
	u64 pa;
} paddr_t; /* host physical address */
typedef struct {
	u64 ipa;
} ipaddr_t; /* guest intermediate physical address */
typedef struct {
	uintptr_t va;
} vaddr_t; /* hypervisor virtual address */

static inline paddr_t pa_init(u64 v)
{
	return (paddr_t){v};
}
static inline u64 pa_addr(paddr_t p)
{
	return p.pa;
}
static inline paddr_t pa_add(paddr_t p, u64 off)
{
	return (paddr_t){p.pa + off};
}

static inline ipaddr_t ipa_init(u64 v)
{
	return (ipaddr_t){v};
}
static inline u64 ipa_addr(ipaddr_t i)
{
	return i.ipa;
}
static inline ipaddr_t ipa_add(ipaddr_t i, u64 off)
{
	return (ipaddr_t){i.ipa + off};
}

static inline vaddr_t va_init(uintptr_t v)
{
	return (vaddr_t){v};
}
static inline uintptr_t va_addr(vaddr_t v)
{
	return v.va;
}

/* EL2 runs with an identity Stage-1 map (VA == PA) over RAM, and host unit
 * tests treat host pointers as "physical" memory, so the conversion is the
 * identity in both worlds.  Keeping it a function marks every place that
 * relies on it. */
static inline void *pa_to_ptr(paddr_t p)
{
	return (void *)(uintptr_t)p.pa;
}
static inline paddr_t ptr_to_pa(const void *p)
{
	return (paddr_t){(u64)(uintptr_t)p};
}

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define SZ_1K 0x400UL
#define SZ_4K 0x1000UL
#define SZ_64K 0x10000UL
#define SZ_1M 0x100000UL
#define SZ_2M 0x200000UL
#define SZ_1G 0x40000000UL

#define ALIGN_UP(x, a) (((x) + ((a)-1)) & ~((u64)(a)-1))
#define ALIGN_DOWN(x, a) ((x) & ~((u64)(a)-1))
#define IS_ALIGNED(x, a) (((x) & ((u64)(a)-1)) == 0)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define BIT(n) (1UL << (n))
/* Mask of bits hi..lo inclusive. */
#define GENMASK(hi, lo) ((~0UL >> (63 - (hi))) & (~0UL << (lo)))
#define FIELD_GET(mask, v) (((v) & (mask)) >> __builtin_ctzl(mask))
#define FIELD_PREP(mask, v) (((u64)(v) << __builtin_ctzl(mask)) & (mask))

#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

#define unlikely(x) __builtin_expect(!!(x), 0)
/* Built for size, out of the hot paths' way (idle loops, rare cases). */
#define __cold __attribute__((cold))
#define likely(x) __builtin_expect(!!(x), 1)

/* Error codes used across the core (negative return values). */
#define E_OK 0
#define E_INVAL 1
#define E_NOMEM 2
#define E_RANGE 3
#define E_EXIST 4
#define E_NOENT 5
#define E_BUSY 6
#define E_PERM 7

#endif
