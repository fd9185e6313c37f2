/* loader_plan() (vm/loader_plan.c): where each image format goes, and every
 * refusal.  Images are assembled here byte by byte from the ELF64 spec and
 * the arm64 booting.rst header layout. */
#include "check.h"
#include "vm/loader.h"

#define RAM 0x40000000UL
#define RAM_SIZE (64 * SZ_1M)
#define DTB (RAM + RAM_SIZE - SZ_2M)
#define IMG_MAX 0x4000

static u8 img[IMG_MAX];
static struct load_plan p;
static const char *err;

static void put(u64 off, u64 v, int n)
{
	for (int i = 0; i < n; i++)
		img[off + i] = (u8)(v >> (8 * i));
}

static int plan(u64 n, u64 initrd, u64 dtb, u64 ram, u64 ram_size)
{
	err = NULL;
	return loader_plan(img, n, initrd, dtb, ram, ram_size, &p, &err);
}

static int plan_std(u64 n)
{
	return plan(n, 0, 0x1000, RAM, RAM_SIZE);
}

/* Refused, with a message containing msg. */
static void refused(int ret, const char *msg)
{
	CHECK_EQ(ret, -E_INVAL);
	CHECK(err && strstr(err, msg));
	if (!err || !strstr(err, msg))
		fprintf(stderr, "  error: %s (wanted \"%s\")\n", err ? err : "(none)", msg);
}

/* ------------------------------------------------------------ images */

static void make_raw(void)
{
	memset(img, 0, sizeof(img));
	for (u32 i = 0; i < IMG_MAX; i++)
		img[i] = (u8)(i * 7 + 1);
}

static void make_linux(u64 text_offset, u64 image_size)
{
	memset(img, 0, sizeof(img));
	put(0, 0x14000010, 4); /* b +64 */
	put(8, text_offset, 8);
	put(16, image_size, 8);
	put(24, 0xa, 8);	/* flags: LE, 4K */
	put(56, 0x644d5241, 4); /* "ARM\x64" */
}

static void make_elf(u64 entry, u32 phnum)
{
	memset(img, 0, sizeof(img));
	put(0, 0x464c457f, 4); /* \x7fELF */
	img[4] = 2;	       /* ELFCLASS64 */
	img[5] = 1;	       /* ELFDATA2LSB */
	img[6] = 1;
	put(16, 2, 2);	 /* ET_EXEC */
	put(18, 183, 2); /* EM_AARCH64 */
	put(20, 1, 4);
	put(24, entry, 8);
	put(32, 64, 8); /* e_phoff */
	put(52, 64, 2);
	put(54, 56, 2); /* e_phentsize */
	put(56, phnum, 2);
}

static void phdr(u32 i, u32 type, u64 off, u64 paddr, u64 filesz, u64 memsz)
{
	u64 ph = 64 + 56 * (u64)i;

	put(ph, type, 4);
	put(ph + 4, 7, 4);
	put(ph + 8, off, 8);
	put(ph + 16, 0xffff000000000000UL | paddr, 8); /* vaddr: not used */
	put(ph + 24, paddr, 8);
	put(ph + 32, filesz, 8);
	put(ph + 40, memsz, 8);
	put(ph + 48, 0x1000, 8);
}

/* ------------------------------------------------------------ raw */

static void test_raw(void)
{
	make_raw();
	CHECK_EQ(plan_std(100), 0);
	CHECK_EQ(p.kind, IMAGE_RAW);
	CHECK_EQ(p.nr_segments, 1);
	CHECK_EQ(p.seg[0].file_off, 0);
	CHECK_EQ(p.seg[0].file_size, 100);
	CHECK_EQ(p.seg[0].mem_size, 100);
	CHECK_EQ(p.seg[0].ipa, RAM);
	CHECK_EQ(p.entry, RAM);
	CHECK_EQ(p.image_end, RAM + 100);
	CHECK_EQ(p.dtb_ipa, DTB);
	CHECK_EQ(p.initrd_ipa, 0);
	CHECK_EQ(p.initrd_size, 0);
	CHECK_EQ(p.initial_sp, DTB);
	CHECK(strcmp(image_kind_name(p.kind), "raw binary") == 0);
	refused(plan_std(0), "empty");
	/* Too short to be an ELF or an Image: raw, whatever it starts with. */
	make_elf(RAM, 1);
	CHECK_EQ(plan_std(63), 0);
	CHECK_EQ(p.kind, IMAGE_RAW);
	make_linux(0, 0);
	CHECK_EQ(plan_std(60), 0);
	CHECK_EQ(p.kind, IMAGE_RAW);
}

static void test_raw_too_big(void)
{
	make_raw();
	/* 4 MiB of RAM leaves 2 MiB below the DTB. */
	CHECK_EQ(plan(SZ_2M, 0, 0x1000, RAM, 4 * SZ_1M), 0);
	refused(plan(SZ_2M + 1, 0, 0x1000, RAM, 4 * SZ_1M), "kernel does not fit");
}

/* ------------------------------------------------------------ ELF */

static void test_elf(void)
{
	make_elf(RAM + 0x80000, 4);
	phdr(0, 1, 0x1000, RAM + 0x80000, 0x200, 0x200);
	phdr(1, 4, 0x1200, 0, 0x10, 0x10);		  /* PT_NOTE: skipped */
	phdr(2, 1, 0x1200, RAM + 0x100000, 0x10, 0x5000); /* with BSS */
	phdr(3, 1, 0, RAM + 0x900000, 0, 0);		  /* empty: skipped */
	CHECK_EQ(plan_std(0x1400), 0);
	CHECK_EQ(p.kind, IMAGE_ELF);
	CHECK_EQ(p.nr_segments, 2);
	CHECK_EQ(p.seg[0].file_off, 0x1000);
	CHECK_EQ(p.seg[0].file_size, 0x200);
	CHECK_EQ(p.seg[0].mem_size, 0x200);
	CHECK_EQ(p.seg[0].ipa, RAM + 0x80000);
	CHECK_EQ(p.seg[1].file_off, 0x1200);
	CHECK_EQ(p.seg[1].file_size, 0x10);
	CHECK_EQ(p.seg[1].mem_size, 0x5000);
	CHECK_EQ(p.seg[1].ipa, RAM + 0x100000);
	CHECK_EQ(p.entry, RAM + 0x80000);
	CHECK_EQ(p.image_end, RAM + 0x105000);
	CHECK(strcmp(image_kind_name(p.kind), "ELF64") == 0);
}

static void test_elf_placement_refused(void)
{
	make_elf(RAM + 0x1000, 1);
	phdr(0, 1, 0x100, RAM - 0x1000, 0x100, 0x2000); /* starts below RAM */
	refused(plan_std(0x1000), "kernel does not fit");
	phdr(0, 1, 0x100, DTB - 0x1000, 0x100, 0x1001); /* BSS reaches the DTB */
	refused(plan_std(0x1000), "kernel does not fit");
	phdr(0, 1, 0x100, DTB - 0x1000, 0x100, 0x1000); /* ends at the DTB: fine */
	put(24, DTB - 0x1000, 8);
	CHECK_EQ(plan_std(0x1000), 0);
	phdr(0, 1, 0x100, ~0UL - 0xff, 0x100, 0x200); /* wraps */
	refused(plan_std(0x1000), "kernel does not fit");
	phdr(0, 1, 0x100, RAM, 0x100, 0x100);
	put(24, RAM - 4, 8);
	refused(plan_std(0x1000), "entry point");
	put(24, DTB - 2, 8); /* inside RAM, but in the DTB's 2 MiB */
	refused(plan_std(0x1000), "entry point");
	put(24, DTB - 4, 8);
	CHECK_EQ(plan_std(0x1000), 0);
}

static void test_elf_malformed(void)
{
	make_elf(RAM, 2);
	phdr(0, 1, 0x200, RAM, 0x100, 0x100);
	phdr(1, 1, 0x300, RAM + 0x1000, 0x100, 0x100);
	CHECK_EQ(plan_std(0x400), 0);
	refused(plan_std(64 + 56 * 2 - 1), "program headers lie outside"); /* truncated */
	put(32, 0x400, 8);
	refused(plan_std(0x400), "program headers lie outside");
	put(32, ~0UL - 8, 8);
	refused(plan_std(0x400), "program headers lie outside");
	put(32, 64, 8);
	put(54, 64, 2); /* e_phentsize */
	refused(plan_std(0x400), "program headers lie outside");
	put(54, 56, 2);
	refused(plan_std(0x3ff), "outside the file");  /* segment 1 data cut */
	phdr(1, 1, 0x300, RAM + 0x1000, 0x101, 0x100); /* filesz > memsz */
	refused(plan_std(0x1000), "outside the file");
	phdr(1, 1, ~0UL, RAM + 0x1000, 0x10, 0x100);
	refused(plan_std(0x1000), "outside the file");
	phdr(1, 6, 0, 0, 0, 0);
	phdr(0, 2, 0x200, RAM, 0x100, 0x100);
	refused(plan_std(0x400), "no PT_LOAD");
}

static void test_elf_not_aarch64(void)
{
	make_elf(RAM, 1);
	phdr(0, 1, 0x200, RAM, 0x100, 0x100);
	CHECK_EQ(plan_std(0x400), 0);
	put(18, 62, 2); /* EM_X86_64 */
	refused(plan_std(0x400), "not a little-endian ELF64 for AArch64");
	put(18, 183, 2);
	img[4] = 1; /* ELFCLASS32 */
	refused(plan_std(0x400), "not a little-endian ELF64");
	img[4] = 2;
	img[5] = 2; /* big-endian */
	refused(plan_std(0x400), "not a little-endian ELF64");
}

static void test_elf_segment_limit(void)
{
	make_elf(RAM, 9);
	for (u32 i = 0; i < 9; i++)
		phdr(i, 1, 0x1000, RAM + i * 0x10000, 0x10, 0x10);
	refused(plan_std(0x2000), "more than 8");
	put(56, 8, 2);
	CHECK_EQ(plan_std(0x2000), 0);
	CHECK_EQ(p.nr_segments, 8);
	CHECK_EQ(p.image_end, RAM + 7 * 0x10000 + 0x10);
	/* Non-LOAD headers do not count against the limit. */
	put(56, 10, 2);
	phdr(8, 4, 0, 0, 0, 0);
	phdr(9, 0x6474e551, 0, 0, 0, 0); /* PT_GNU_STACK */
	CHECK_EQ(plan_std(0x2000), 0);
}

/* ------------------------------------------------------------ arm64 Image */

static void test_linux_image(void)
{
	make_linux(0x80000, 0x300000);
	CHECK_EQ(plan_std(0x1000), 0);
	CHECK_EQ(p.kind, IMAGE_LINUX);
	CHECK_EQ(p.nr_segments, 1);
	CHECK_EQ(p.seg[0].file_off, 0);
	CHECK_EQ(p.seg[0].file_size, 0x1000);
	CHECK_EQ(p.seg[0].mem_size, 0x300000); /* image_size covers the BSS */
	CHECK_EQ(p.seg[0].ipa, RAM + 0x80000);
	CHECK_EQ(p.entry, RAM + 0x80000);
	CHECK_EQ(p.image_end, RAM + 0x380000);
	CHECK(strcmp(image_kind_name(p.kind), "arm64 Image") == 0);
	make_linux(0, 0x1000);
	CHECK_EQ(plan_std(0x1000), 0);
	CHECK_EQ(p.entry, RAM);
	CHECK_EQ(p.seg[0].ipa, RAM);
	make_linux(0x1ffff8, 0x1000); /* the largest text_offset */
	CHECK_EQ(plan_std(0x1000), 0);
	CHECK_EQ(p.entry, RAM + 0x1ffff8);
}

static void test_linux_legacy(void)
{
	/* image_size 0: pre-3.17, text_offset is 0x80000 whatever it says. */
	make_linux(0x1234, 0);
	CHECK_EQ(plan_std(0x1000), 0);
	CHECK_EQ(p.kind, IMAGE_LINUX);
	CHECK_EQ(p.entry, RAM + 0x80000);
	CHECK_EQ(p.seg[0].ipa, RAM + 0x80000);
	CHECK_EQ(p.seg[0].mem_size, 0x1000);
	CHECK_EQ(p.image_end, RAM + 0x81000);
}

static void test_linux_refused(void)
{
	make_linux(0x200000, 0x10000);
	refused(plan_std(0x1000), "invalid text_offset or image_size");
	make_linux(0x80004, 0x10000);
	refused(plan_std(0x1000), "invalid text_offset or image_size");
	make_linux(~0UL, 0x10000);
	refused(plan_std(0x1000), "invalid text_offset or image_size");
	make_linux(0, 0xfff); /* smaller than the file */
	refused(plan_std(0x1000), "invalid text_offset or image_size");
	make_linux(0x80000, RAM_SIZE); /* runs into the DTB */
	refused(plan_std(0x1000), "kernel does not fit");
	make_linux(0x80000, ~0UL);
	refused(plan_std(0x1000), "kernel does not fit");
}

/* ------------------------------------------------------------ layout */

static void test_initrd(void)
{
	make_raw();
	CHECK_EQ(plan(0x1000, 0x123456, 0x8000, RAM, RAM_SIZE), 0);
	CHECK_EQ(p.dtb_ipa, DTB);
	CHECK_EQ(p.initrd_ipa, 0x43cdc000UL); /* page below DTB - size */
	CHECK_EQ(p.initrd_size, 0x123456);
	CHECK(p.initrd_ipa + p.initrd_size <= p.dtb_ipa);
	CHECK_EQ(p.initial_sp, 0x43cdc000UL);
	/* Filling all RAM below the DTB leaves no room for the kernel. */
	refused(plan(0x1000, DTB - RAM, 0x8000, RAM, RAM_SIZE), "kernel does not fit");
	refused(plan(0x1000, DTB - RAM + 1, 0x8000, RAM, RAM_SIZE), "initrd does not fit");
	refused(plan(0x1000, ~0UL, 0x8000, RAM, RAM_SIZE), "initrd does not fit");
}

static void test_kernel_initrd_overlap(void)
{
	/* 4 MiB: DTB at +2 MiB, a 2 MiB - 4 KiB initrd at +4 KiB. */
	make_raw();
	CHECK_EQ(plan(0x1000, SZ_2M - 0x1000, 0x1000, RAM, 4 * SZ_1M), 0);
	CHECK_EQ(p.initrd_ipa, RAM + 0x1000);
	CHECK_EQ(p.initial_sp, RAM + 0x1000);
	refused(plan(0x1001, SZ_2M - 0x1000, 0x1000, RAM, 4 * SZ_1M), "kernel does not fit");
	make_linux(0x80000, 0x1000);
	refused(plan(0x1000, SZ_2M - 0x80000, 0x1000, RAM, 4 * SZ_1M), "kernel does not fit");
	CHECK_EQ(plan(0x1000, SZ_2M - 0x81000, 0x1000, RAM, 4 * SZ_1M), 0);
}

static void test_dtb_and_ram_limits(void)
{
	make_raw();
	CHECK_EQ(plan(0x1000, 0, SZ_2M, RAM, RAM_SIZE), 0);
	refused(plan(0x1000, 0, SZ_2M + 1, RAM, RAM_SIZE), "device tree larger than 2 MiB");
	CHECK_EQ(plan(0x1000, 0, 0x1000, RAM, 4 * SZ_1M), 0);
	refused(plan(0x1000, 0, 0x1000, RAM, 4 * SZ_1M - 1), "below 4 MiB");
	refused(plan(0x1000, 0, 0x1000, RAM, 0), "below 4 MiB");
	refused(plan(0x1000, 0, 0x1000, 0xfffffffffff00000UL, 4 * SZ_1M), "wraps");
	refused(plan(0x1000, 0, 0x1000, 1, ~0UL), "wraps");
	/* RAM may start at IPA 0. */
	CHECK_EQ(plan(0x1000, 0, 0x1000, 0, 4 * SZ_1M), 0);
	CHECK_EQ(p.entry, 0);
	CHECK_EQ(p.dtb_ipa, SZ_2M);
}

static void test_stack(void)
{
	make_raw();
	/* RAM size not a multiple of 16: SP rounds down below the DTB. */
	CHECK_EQ(plan(0x1000, 0, 0x1000, RAM, 4 * SZ_1M + 8), 0);
	CHECK_EQ(p.dtb_ipa, RAM + SZ_2M + 8);
	CHECK_EQ(p.initial_sp, RAM + SZ_2M);
	CHECK_EQ(plan(0x1000, 0x10, 0x1000, RAM, RAM_SIZE), 0);
	CHECK(p.initial_sp <= p.initrd_ipa);
	CHECK(p.initial_sp <= p.dtb_ipa);
	CHECK_EQ(p.initial_sp & 15, 0);
	CHECK(p.initial_sp > p.image_end);
}

int main(void)
{
	RUN_TEST(test_raw);
	RUN_TEST(test_raw_too_big);
	RUN_TEST(test_elf);
	RUN_TEST(test_elf_placement_refused);
	RUN_TEST(test_elf_malformed);
	RUN_TEST(test_elf_not_aarch64);
	RUN_TEST(test_elf_segment_limit);
	RUN_TEST(test_linux_image);
	RUN_TEST(test_linux_legacy);
	RUN_TEST(test_linux_refused);
	RUN_TEST(test_initrd);
	RUN_TEST(test_kernel_initrd_overlap);
	RUN_TEST(test_dtb_and_ram_limits);
	RUN_TEST(test_stack);
	return check_done();
}
