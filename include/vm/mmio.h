/* Emulated MMIO: a per-VM registry of IPA windows with read/write callbacks,
 * and the decoding of a Stage-2 data abort into an access description. */
#ifndef AETHER_VM_MMIO_H
#define AETHER_VM_MMIO_H

#include "types.h"

#define VM_MAX_MMIO_REGIONS 8

struct vcpu;

/* One decoded guest load or store, from ESR_EL2 ISS (Arm ARM D17.2.40). */
struct mmio_access {
	ipaddr_t ipa;
	u8 size; /* bytes: 1, 2, 4 or 8 */
	u8 reg;	 /* Rt; 31 means xzr */
	bool write;
	bool sign_extend;
	bool reg64; /* SF: destination is an X register */
};

struct mmio_ops {
	u64 (*read)(void *dev, struct vcpu *v, u64 off, unsigned size);
	void (*write)(void *dev, struct vcpu *v, u64 off, unsigned size, u64 val);
	u8 widths;     /* allowed access sizes: bit n set = 2^n bytes allowed */
	u64 impl_size; /* bytes of implemented registers; beyond reads 0, writes ignored */
};

struct mmio_region {
	ipaddr_t base;
	u64 size;
	const struct mmio_ops *ops;
	void *dev;
};

enum mmio_result {
	MMIO_DONE = 0,
	MMIO_NO_REGION, /* nothing behind this IPA */
	MMIO_BAD_WIDTH,
	MMIO_MISALIGNED,
};

#define MMIO_W8 BIT(0)
#define MMIO_W16 BIT(1)
#define MMIO_W32 BIT(2)
#define MMIO_W64 BIT(3)

/* Decodes a data abort syndrome; false when the access cannot be emulated
 * (no valid instruction syndrome, FAR not valid, or a walk fault). */
bool mmio_decode(u64 esr, u64 far, u64 hpfar, struct mmio_access *acc);

int mmio_register(struct mmio_region *table, u32 *count, ipaddr_t base, u64 size,
		  const struct mmio_ops *ops, void *dev);
const struct mmio_region *mmio_find(const struct mmio_region *table, u32 count, ipaddr_t ipa);
/* Checks width, then alignment, then range, then calls the device. */
enum mmio_result mmio_access_region(const struct mmio_region *r, struct vcpu *v,
				    const struct mmio_access *acc, u64 *val);
/* Value written back to Rt for a load of acc->size bytes. */
u64 mmio_load_result(const struct mmio_access *acc, u64 raw);

#endif
