/* MMIO emulation: syndrome decoding and region dispatch.  Pure C over the
 * values read from ESR/FAR/HPFAR, so it is unit-tested and fuzzed on the host. */
#include "vm/mmio.h"
#include "arch/fault.h"

bool mmio_decode(u64 esr, u64 far, u64 hpfar, struct mmio_access *acc)
{
	u64 iss = esr & ESR_ISS_MASK;

	if (!(iss & DABT_ISV) || (iss & (DABT_FNV | DABT_S1PTW)))
		return false;
	acc->ipa = ipa_init(fault_ipa(hpfar, far));
	acc->size = (u8)(1u << FIELD_GET(DABT_SAS_MASK, iss));
	acc->reg = (u8)FIELD_GET(DABT_SRT_MASK, iss);
	acc->write = (iss & DABT_WNR) != 0;
	acc->sign_extend = (iss & DABT_SSE) != 0;
	acc->reg64 = (iss & DABT_SF) != 0;
	return true;
}

int mmio_register(struct mmio_region *table, u32 *count, ipaddr_t base, u64 size,
		  const struct mmio_ops *ops, void *dev)
{
	u64 b = ipa_addr(base);

	if (*count >= VM_MAX_MMIO_REGIONS || size == 0 || b + size < b)
		return -E_INVAL;
	for (u32 i = 0; i < *count; i++) {
		u64 ob = ipa_addr(table[i].base);
		if (b < ob + table[i].size && ob < b + size)
			return -E_EXIST;
	}
	table[*count] = (struct mmio_region){base, size, ops, dev};
	(*count)++;
	return 0;
}

const struct mmio_region *mmio_find(const struct mmio_region *table, u32 count, ipaddr_t ipa)
{
	u64 a = ipa_addr(ipa);

	/* Newest first: a VM's devices are attached after its vGIC and take
	 * most of the traffic (the UART above all).  Windows never overlap,
	 * so the order changes nothing but the time taken. */
	for (u32 i = count; i-- > 0;)
		if (a - ipa_addr(table[i].base) < table[i].size)
			return &table[i];
	return NULL;
}

enum mmio_result mmio_access_region(const struct mmio_region *r, struct vcpu *v,
				    const struct mmio_access *acc, u64 *val)
{
	u64 off = ipa_addr(acc->ipa) - ipa_addr(r->base);

	if (!(r->ops->widths & acc->size))
		return MMIO_BAD_WIDTH;
	if (!IS_ALIGNED(off, acc->size))
		return MMIO_MISALIGNED;
	if (off + acc->size > r->ops->impl_size) {
		if (!acc->write)
			*val = 0;
		return MMIO_DONE;
	}
	if (acc->write) /* only the bytes the guest stored */
		r->ops->write(r->dev, v, off, acc->size,
			      acc->size == 8 ? *val : *val & ((1UL << (acc->size * 8)) - 1));
	else
		*val = r->ops->read(r->dev, v, off, acc->size);
	return MMIO_DONE;
}

u64 mmio_load_result(const struct mmio_access *acc, u64 raw)
{
	unsigned bits = acc->size * 8;
	u64 v = bits == 64 ? raw : raw & ((1UL << bits) - 1);

	if (acc->sign_extend && bits < 64 && (v & (1UL << (bits - 1))))
		v |= ~0UL << bits;
	if (!acc->reg64)
		v &= 0xffffffffUL;
	return v;
}
