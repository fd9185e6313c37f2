/* libFuzzer harness for loader_plan() (vm/loader_plan.c).
 *
 * Input: 18 bytes of layout (flags, initrd size, DTB size, RAM base and
 * size), then the image.  The image is copied into a buffer of exactly its
 * size so ASan flags any read past it.  RAM starts page aligned, as it does
 * for every VM (the build tool only produces 2 MiB aligned RAM).  When the
 * plan is accepted it must be safe to carry out:
 *   - 1..8 segments, each read from inside the image, no larger in the file
 *     than in memory, and placed inside RAM below the initrd and the DTB;
 *   - the entry point's word inside that same memory;
 *   - the DTB in the last 2 MiB of RAM, the initrd page aligned between the
 *     kernel and the DTB, the stack 16-byte aligned below both;
 *   - image_end the end of the highest segment.
 * A refusal always names its reason. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm/loader.h"
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define LAYOUT_BYTES 18

/* [a, a + n) inside [lo, hi), computed without overflow. */
static bool within(u64 a, u64 n, u64 lo, u64 hi)
{
	return a >= lo && a <= hi && n <= hi - a;
}

static void check_segments(const struct load_plan *p, u64 img_size, u64 ram, u64 low)
{
	u64 end = 0;

	FUZZ_ASSERT(p->nr_segments >= 1 && p->nr_segments <= LOADER_MAX_SEGMENTS);
	for (u32 i = 0; i < p->nr_segments; i++) {
		const struct load_segment *s = &p->seg[i];

		FUZZ_ASSERT(s->file_off <= img_size && s->file_size <= img_size - s->file_off);
		FUZZ_ASSERT(s->file_size <= s->mem_size);
		FUZZ_ASSERT(within(s->ipa, s->mem_size, ram, low));
		end = MAX(end, s->ipa + s->mem_size);
	}
	FUZZ_ASSERT(p->image_end == end);
	FUZZ_ASSERT(within(p->entry, 4, ram, low));
}

static void check_plan(const struct load_plan *p, u64 img_size, u64 initrd, u64 dtb, u64 ram,
		       u64 ram_size)
{
	u64 low;

	FUZZ_ASSERT(ram + ram_size > ram && ram_size >= 4 * SZ_1M && dtb <= SZ_2M);
	FUZZ_ASSERT(p->dtb_ipa == ram + ram_size - SZ_2M);
	low = p->dtb_ipa;
	FUZZ_ASSERT(p->initrd_size == initrd);
	if (initrd) {
		FUZZ_ASSERT(IS_ALIGNED(p->initrd_ipa, PAGE_SIZE));
		FUZZ_ASSERT(within(p->initrd_ipa, initrd, ram, p->dtb_ipa));
		low = p->initrd_ipa;
	} else {
		FUZZ_ASSERT(p->initrd_ipa == 0);
	}
	FUZZ_ASSERT(IS_ALIGNED(p->initial_sp, 16) && p->initial_sp <= low);
	FUZZ_ASSERT(p->initial_sp >= ram);
	check_segments(p, img_size, ram, low);
	FUZZ_ASSERT(p->kind == IMAGE_RAW || p->kind == IMAGE_LINUX || p->kind == IMAGE_ELF);
	if (p->kind == IMAGE_RAW)
		FUZZ_ASSERT(p->nr_segments == 1 && p->entry == ram &&
			    p->seg[0].file_size == img_size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = {data, size};
	u64 flags = take(&in, 1);
	u64 initrd = take(&in, 4) << (flags & 1 ? 12 : 0);
	u64 dtb = take(&in, 3);
	u64 ram = flags & 2 ? take(&in, 5) << 12 : (take(&in, 5) & 0xffff) << 21;
	u64 ram_size = flags & 4 ? take(&in, 5) : (take(&in, 5) & 0x3fff) << 21;
	struct load_plan plan;
	const char *err = NULL;
	u8 *img;
	int ret;

	if (size < LAYOUT_BYTES)
		return 0;
	if (flags & 8)
		ram = (~0UL - ram) & ~0xfffUL; /* near the top of the address space */
	img = malloc(in.n ? in.n : 1);
	memcpy(img, in.d, in.n);
	ret = loader_plan(img, in.n, initrd, dtb, ram, ram_size, &plan, &err);
	if (ret == 0)
		check_plan(&plan, in.n, initrd, dtb, ram, ram_size);
	else
		FUZZ_ASSERT(ret == -E_INVAL && err && *err);
	free(img);
	return 0;
}
