/* vtcr_compute(): Stage-2 geometry and the VTCR_EL2 value for every PARange.
 * Expected field positions are written as literals from the Arm ARM
 * (D19.2 VTCR_EL2) rather than through the header's macros, so a wrong macro
 * fails here instead of agreeing with itself. */
#include "arch/vtcr.h"
#include "check.h"

#define T0SZ(v) ((v)&0x3f)
#define SL0(v) (((v) >> 6) & 0x3)
#define IRGN0(v) (((v) >> 8) & 0x3)
#define ORGN0(v) (((v) >> 10) & 0x3)
#define SH0(v) (((v) >> 12) & 0x3)
#define TG0(v) (((v) >> 14) & 0x3)
#define PS(v) (((v) >> 16) & 0x7)
#define VS(v) (((v) >> 19) & 0x1)

struct expect {
	u32 parange, want;
	u32 ipa_bits, start_level, root_pages, ps;
};

static void check_one(const struct expect *e)
{
	struct s2_cfg cfg = {0};
	int ret = vtcr_compute(e->parange, e->want, &cfg);

	CHECK_EQ(ret, 0);
	CHECK_EQ(cfg.ipa_bits, e->ipa_bits);
	CHECK_EQ(cfg.start_level, e->start_level);
	CHECK_EQ(cfg.root_pages, e->root_pages);
	CHECK_EQ(T0SZ(cfg.vtcr), 64 - e->ipa_bits);
	CHECK_EQ(SL0(cfg.vtcr), 2 - e->start_level); /* 4K: 0 = L2, 1 = L1, 2 = L0 */
	CHECK_EQ(PS(cfg.vtcr), e->ps);
	if (ret || cfg.ipa_bits != e->ipa_bits)
		fprintf(stderr, "  (parange %u want %u)\n", e->parange, e->want);
}

/* Each PARange, IPA as large as allowed. */
static void test_each_parange(void)
{
	static const struct expect e[] = {
		{0, 0, 32, 2, 4, 0}, /* 32 bits: L2 root, 2^11 entries = 4 tables */
		{1, 0, 36, 1, 1, 1}, /* 36: L1, 64 entries */
		{2, 0, 40, 1, 2, 2}, /* 40: L1, 1024 entries = 2 tables */
		{3, 0, 42, 1, 8, 3}, /* 42: L1, 8 tables */
		{4, 0, 44, 0, 1, 4}, /* 44: L1 would need 32 tables -> L0 */
		{5, 0, 48, 0, 1, 5}, /* 48: L0, 512 entries */
		{6, 0, 48, 0, 1, 5}, /* 52-bit PA used as 48 (no LPA2) */
		{7, 0, 48, 0, 1, 5}, /* future encodings only mean more PA */
		{15, 0, 48, 0, 1, 5},
	};
	u32 i;

	for (i = 0; i < ARRAY_SIZE(e); i++)
		check_one(&e[i]);
}

/* IPA = min(want, PA bits); the level and concatenation follow the IPA. */
static void test_ipa_clamp_and_levels(void)
{
	static const struct expect e[] = {
		{2, 36, 36, 1, 1, 2},			     /* smaller than PA: honoured */
		{2, 44, 40, 1, 2, 2},			     /* larger than PA: clamped */
		{5, 64, 48, 0, 1, 5},			     /* absurd want: clamped to 48 */
		{6, 52, 48, 0, 1, 5},  {5, 25, 25, 2, 1, 5}, /* smallest: L2, 16 entries */
		{5, 30, 30, 2, 1, 5},			     /* L2, 512 entries: one full table */
		{5, 31, 31, 2, 2, 5},			     /* first concatenation at L2 */
		{5, 34, 34, 2, 16, 5},			     /* the most L2 can take */
		{5, 35, 35, 1, 1, 5}, /* 32 L2 tables would be needed -> L1 */
		{5, 39, 39, 1, 1, 5}, /* L1, one full table */
		{5, 40, 40, 1, 2, 5},  {5, 43, 43, 1, 16, 5}, /* the most L1 can take */
		{5, 44, 44, 0, 1, 5},  {0, 40, 32, 2, 4, 0},
	};
	u32 i;

	for (i = 0; i < ARRAY_SIZE(e); i++)
		check_one(&e[i]);
}

static void test_rejects(void)
{
	struct s2_cfg cfg = {0};

	CHECK_EQ(vtcr_compute(16, 0, &cfg), -E_INVAL); /* not a 4-bit field */
	CHECK_EQ(vtcr_compute(0xffffffffU, 0, &cfg), -E_INVAL);
	CHECK_EQ(vtcr_compute(5, 24, &cfg), -E_INVAL); /* below T0SZ 39 */
	CHECK_EQ(vtcr_compute(5, 1, &cfg), -E_INVAL);
	CHECK_EQ(vtcr_compute(5, 0, NULL), -E_INVAL);
	CHECK_EQ(vtcr_compute(5, 25, &cfg), 0);
}

/* The whole register for a 40-bit IPA on a 40-bit PA CPU, bit by bit. */
static void test_vtcr_bit_layout(void)
{
	struct s2_cfg cfg = {0};

	CHECK_EQ(vtcr_compute(2, 40, &cfg), 0);
	/* T0SZ 24 | SL0 1 << 6 | IRGN0 WBWA << 8 | ORGN0 WBWA << 10 |
	 * SH0 inner << 12 | TG0 4K | PS 2 << 16 | RES1 bit 31 */
	CHECK_EQ(cfg.vtcr, 0x18UL | (1UL << 6) | (1UL << 8) | (1UL << 10) | (3UL << 12) |
				   (0UL << 14) | (2UL << 16) | (1UL << 31));
	CHECK_EQ(cfg.vtcr, 0x80023558UL);
	CHECK_EQ(IRGN0(cfg.vtcr), 1);
	CHECK_EQ(ORGN0(cfg.vtcr), 1);
	CHECK_EQ(SH0(cfg.vtcr), 3);
	CHECK_EQ(TG0(cfg.vtcr), 0);
	CHECK_EQ(VS(cfg.vtcr), 0);
}

/* Properties over every input: nothing outside the defined fields, and the
 * start level is the one that needs the fewest levels. */
static void test_all_inputs_consistent(void)
{
	u32 parange, want;

	for (parange = 0; parange <= 15; parange++) {
		for (want = 0; want <= 64; want++) {
			struct s2_cfg cfg = {0};
			u32 pa = parange >= 5 ? 48 : (u32[]){32, 36, 40, 42, 44}[parange];
			u32 shift, bits;

			if (vtcr_compute(parange, want, &cfg)) {
				CHECK(want && want < 25);
				continue;
			}
			CHECK(cfg.ipa_bits <= pa);
			CHECK(cfg.ipa_bits == (want ? (want < pa ? want : pa) : pa));
			CHECK(cfg.start_level <= 2);
			shift = 12 + 9 * (3 - cfg.start_level);
			bits = cfg.ipa_bits - shift;
			CHECK(bits >= 1 && bits <= 13);
			CHECK_EQ(cfg.root_pages, bits <= 9 ? 1 : 1U << (bits - 9));
			/* One level deeper would need more than 16 tables. */
			if (cfg.start_level < 2)
				CHECK(cfg.ipa_bits - (shift - 9) > 13);
			CHECK_EQ(cfg.vtcr & ~0x800fffffUL, 0); /* RES0 bits 63:32, 30:20 */
			CHECK(cfg.vtcr & (1UL << 31));
			CHECK(PS(cfg.vtcr) <= 5);
		}
	}
}

int main(void)
{
	RUN_TEST(test_each_parange);
	RUN_TEST(test_ipa_clamp_and_levels);
	RUN_TEST(test_rejects);
	RUN_TEST(test_vtcr_bit_layout);
	RUN_TEST(test_all_inputs_consistent);
	return check_done();
}
