/* Image formats: arm64 Linux Image (Documentation/arch/arm64/booting.rst
 * header), ELF64 for AArch64 (PT_LOAD segments at their physical address),
 * otherwise a raw binary loaded at the start of RAM and entered there. */
#include "vm/loader.h"

#define IMAGE_MAGIC 0x644d5241 /* "ARM\x64" at byte 56 */
#define IMAGE_HDR_SIZE 64
#define IMAGE_LEGACY_TEXT_OFFSET 0x80000
#define ELF_HDR_SIZE 64
#define ELF_PHDR_SIZE 56
#define EM_AARCH64 183
#define PT_LOAD 1

static u64 le(const u8 *p, int n)
{
	u64 v = 0;

	for (int i = n - 1; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

const char *image_kind_name(enum image_kind k)
{
	return k == IMAGE_LINUX ? "arm64 Image" : k == IMAGE_ELF ? "ELF64" : "raw binary";
}

/* [ipa, ipa+size) inside [lo, hi), overflow-safe. */
static bool inside(u64 ipa, u64 size, u64 lo, u64 hi)
{
	return ipa >= lo && ipa <= hi && size <= hi - ipa;
}

static int plan_linux(const u8 *img, u64 n, u64 ram_ipa, struct load_plan *p, const char **err)
{
	u64 text_offset = le(img + 8, 8), image_size = le(img + 16, 8);

	if (image_size == 0) { /* pre-3.17 header: fixed offset, size unknown */
		text_offset = IMAGE_LEGACY_TEXT_OFFSET;
		image_size = n;
	}
	if (image_size < n || text_offset >= SZ_2M || !IS_ALIGNED(text_offset, 8)) {
		*err = "arm64 Image header has an invalid text_offset or image_size";
		return -E_INVAL;
	}
	p->seg[0] = (struct load_segment){0, n, image_size, ram_ipa + text_offset};
	p->nr_segments = 1;
	p->entry = ram_ipa + text_offset;
	return 0;
}

static int plan_elf_phdr(const u8 *ph, u64 n, struct load_plan *p, const char **err)
{
	u64 off = le(ph + 8, 8), paddr = le(ph + 24, 8);
	u64 filesz = le(ph + 32, 8), memsz = le(ph + 40, 8);

	if (le(ph, 4) != PT_LOAD || memsz == 0)
		return 0;
	if (p->nr_segments == LOADER_MAX_SEGMENTS) {
		*err = "ELF has more than 8 PT_LOAD segments";
		return -E_INVAL;
	}
	if (filesz > memsz || off > n || filesz > n - off) {
		*err = "ELF PT_LOAD segment lies outside the file";
		return -E_INVAL;
	}
	p->seg[p->nr_segments++] = (struct load_segment){off, filesz, memsz, paddr};
	return 0;
}

static int plan_elf(const u8 *img, u64 n, struct load_plan *p, const char **err)
{
	u64 phoff = le(img + 32, 8), phentsize = le(img + 54, 2), phnum = le(img + 56, 2);

	if (img[4] != 2 || img[5] != 1 || le(img + 18, 2) != EM_AARCH64) {
		*err = "ELF is not a little-endian ELF64 for AArch64";
		return -E_INVAL;
	}
	if (phentsize != ELF_PHDR_SIZE || phoff > n || phnum * ELF_PHDR_SIZE > n - phoff) {
		*err = "ELF program headers lie outside the file";
		return -E_INVAL;
	}
	for (u64 i = 0; i < phnum; i++)
		if (plan_elf_phdr(img + phoff + i * ELF_PHDR_SIZE, n, p, err))
			return -E_INVAL;
	if (!p->nr_segments) {
		*err = "ELF has no PT_LOAD segment";
		return -E_INVAL;
	}
	p->entry = le(img + 24, 8);
	return 0;
}

static int plan_kernel(const u8 *img, u64 n, u64 ram_ipa, struct load_plan *p, const char **err)
{
	if (n >= IMAGE_HDR_SIZE && le(img + 56, 4) == IMAGE_MAGIC) {
		p->kind = IMAGE_LINUX;
		return plan_linux(img, n, ram_ipa, p, err);
	}
	if (n >= ELF_HDR_SIZE && img[0] == 0x7f && img[1] == 'E' && img[2] == 'L' &&
	    img[3] == 'F') {
		p->kind = IMAGE_ELF;
		return plan_elf(img, n, p, err);
	}
	p->kind = IMAGE_RAW;
	p->seg[0] = (struct load_segment){0, n, n, ram_ipa};
	p->nr_segments = 1;
	p->entry = ram_ipa;
	return 0;
}

/* Kernel low in RAM; DTB in the top 2 MiB; initrd just below the DTB. */
static int plan_layout(u64 initrd_size, u64 dtb_size, u64 ram_ipa, u64 ram_size,
		       struct load_plan *p, const char **err)
{
	u64 ram_end = ram_ipa + ram_size, low = ram_end;

	if (dtb_size > GUEST_DTB_MAX || ram_size < 2 * SZ_2M) {
		*err = dtb_size > GUEST_DTB_MAX ? "device tree larger than 2 MiB"
						: "VM memory below 4 MiB";
		return -E_INVAL;
	}
	p->dtb_ipa = ram_end - SZ_2M;
	low = p->dtb_ipa;
	if (initrd_size) {
		if (initrd_size > p->dtb_ipa - ram_ipa) {
			*err = "initrd does not fit in VM memory";
			return -E_INVAL;
		}
		p->initrd_ipa = ALIGN_DOWN(p->dtb_ipa - initrd_size, PAGE_SIZE);
		p->initrd_size = initrd_size;
		low = p->initrd_ipa;
	}
	p->initial_sp = ALIGN_DOWN(low, 16);
	for (u32 i = 0; i < p->nr_segments; i++) {
		if (!inside(p->seg[i].ipa, p->seg[i].mem_size, ram_ipa, low)) {
			*err = "kernel does not fit in VM memory below the initrd and device tree";
			return -E_INVAL;
		}
		p->image_end = MAX(p->image_end, p->seg[i].ipa + p->seg[i].mem_size);
	}
	if (!inside(p->entry, 4, ram_ipa, low)) {
		*err = "entry point lies outside the loaded image's memory";
		return -E_INVAL;
	}
	return 0;
}

int loader_plan(const u8 *img, u64 img_size, u64 initrd_size, u64 dtb_size, u64 ram_ipa,
		u64 ram_size, struct load_plan *plan, const char **err)
{
	*plan = (struct load_plan){0};
	if (img_size == 0) {
		*err = "image is empty";
		return -E_INVAL;
	}
	if (ram_ipa + ram_size < ram_ipa) {
		*err = "VM memory wraps the address space";
		return -E_INVAL;
	}
	if (plan_kernel(img, img_size, ram_ipa, plan, err))
		return -E_INVAL;
	return plan_layout(initrd_size, dtb_size, ram_ipa, ram_size, plan, err);
}
