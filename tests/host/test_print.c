/* lib/print.c, the hypervisor's vsnprintf.  Built with
 * -Dvsnprintf=aether_vsnprintf -Dsnprintf=aether_snprintf (objs_vm.mk), so
 * every snprintf/vsnprintf below is the one under test; __builtin_snprintf
 * is the C library's and serves as the reference where they must agree. */
#include <limits.h>
#include <stdarg.h>

#include "check.h"
#include "lib.h"

static char buf[256];

/* Without the format attribute, so odd formats can be tried on purpose. */
static int fmt(char *dst, size_t size, const char *f, ...)
{
	va_list ap;
	int n;

	va_start(ap, f);
	n = vsnprintf(dst, size, f, ap);
	va_end(ap);
	return n;
}

#define EXPECT(want, ...)                                                          \
	do {                                                                       \
		int n_ = snprintf(buf, sizeof(buf), __VA_ARGS__);                  \
		CHECK(strcmp(buf, want) == 0);                                     \
		CHECK_EQ(n_, strlen(want));                                        \
		if (strcmp(buf, want))                                             \
			fprintf(stderr, "  got \"%s\", want \"%s\"\n", buf, want); \
	} while (0)

static void test_integers(void)
{
	EXPECT("0 -1 42", "%d %d %i", 0, -1, 42);
	EXPECT("-2147483648 2147483647", "%d %d", INT_MIN, INT_MAX);
	EXPECT("4294967295 0", "%u %u", UINT_MAX, 0u);
	EXPECT("deadbeef DEADBEEF", "%x %X", 0xdeadbeefu, 0xdeadbeefu);
	EXPECT("ffffffffffffffff", "%lx", ~0UL);
	EXPECT("-9223372036854775808", "%ld", LONG_MIN);
	EXPECT("18446744073709551615", "%lu", ULONG_MAX);
	EXPECT("123456789012 1f", "%lld %llx", 123456789012LL, 31ULL);
	EXPECT("4096", "%zu", (size_t)4096);
	EXPECT("ffffffff", "%x", -1); /* an int's bits, not sign-extended */
}

static void test_strings_chars(void)
{
	const char *null = NULL;

	EXPECT("abc", "%s", "abc");
	EXPECT("(null)", "%s", null);
	EXPECT("[]", "[%s]", "");
	EXPECT("x", "%c", 'x');
	EXPECT("a%b", "a%%b");
	EXPECT("plain text", "plain text");
}

static void test_pointer(void)
{
	EXPECT("0x1234", "%p", (void *)0x1234);
	EXPECT("0xffff800000001000", "%p", (void *)0xffff800000001000UL);
	EXPECT("0x0", "%p", (void *)0);
}

static void test_width_and_padding(void)
{
	EXPECT("   42", "%5d", 42);
	EXPECT("42   |", "%-5d|", 42);
	EXPECT("00042", "%05d", 42);
	EXPECT("  -42", "%5d", -42);
	EXPECT("-0042", "%05d", -42);
	EXPECT("-42  |", "%-5d|", -42);
	EXPECT("-05", "%03d", -5);
	EXPECT("-5", "%02d", -5);
	EXPECT("-5", "%01d", -5);
	EXPECT("12345", "%3d", 12345);
	EXPECT("0000beef", "%08x", 0xbeefu);
	EXPECT("00000000deadbeef", "%016lx", 0xdeadbeefUL);
	EXPECT("      ab|ab      |", "%8s|%-8s|", "ab", "ab");
	EXPECT("  x|x  |", "%3c|%-3c|", 'x', 'x');
	EXPECT("  (null)", "%8s", (char *)NULL);
}

static void test_truncation(void)
{
	char small[8];

	memset(small, '#', sizeof(small));
	CHECK_EQ(snprintf(small, 5, "hello world"), 11);
	CHECK(strcmp(small, "hell") == 0);
	CHECK_EQ(small[5], '#');
	CHECK_EQ(snprintf(small, 6, "hello"), 5); /* exact fit */
	CHECK(strcmp(small, "hello") == 0);
	CHECK_EQ(snprintf(small, 1, "abc"), 3);
	CHECK_EQ(small[0], '\0');
	CHECK_EQ(snprintf(small, 4, "%d", 123456), 6);
	CHECK(strcmp(small, "123") == 0);
	CHECK_EQ(snprintf(small, 3, "%10d", 1), 10);
	CHECK(strcmp(small, "  ") == 0);
	CHECK_EQ(snprintf(small, 4, "%05d", -42), 5);
	CHECK(strcmp(small, "-00") == 0);
}

static void test_size_zero(void)
{
	char c = '#';

	CHECK_EQ(snprintf(&c, 0, "abc%d", 12), 5);
	CHECK_EQ(c, '#'); /* nothing written, not even the terminator */
	CHECK_EQ(snprintf(NULL, 0, "%s-%x", "abc", 0xffu), 6);
}

static void test_odd_formats(void)
{
	CHECK_EQ(fmt(buf, sizeof(buf), "%q"), 2);
	CHECK(strcmp(buf, "%q") == 0);
	CHECK_EQ(fmt(buf, sizeof(buf), "abc%"), 3);
	CHECK(strcmp(buf, "abc") == 0);
	CHECK_EQ(fmt(buf, sizeof(buf), "x%05"), 1);
	CHECK(strcmp(buf, "x") == 0);
	CHECK_EQ(fmt(buf, sizeof(buf), "%%d"), 2);
	CHECK(strcmp(buf, "%d") == 0);
	CHECK_EQ(fmt(buf, sizeof(buf), ""), 0);
	CHECK_EQ(buf[0], '\0');
}

/* Agreement with the C library over a spread of values and flags. */
static void test_matches_libc(void)
{
	static const char *const fmts[] = {
		"%d",	"%5d", "%-5d|", "%05d",	 "%12d", "%-12d|", "%012d", "%u",
		"%10u", "%x",  "%08x",	"%-8x|", "%X",	 "%1d",	   "%02x",
	};
	static const int vals[] = {0,	   1,	    -1,	     7,	      -7,     99,     -99,
				   100000, -100000, INT_MAX, INT_MIN, 0x7fff, -0x8000};
	char want[64];
	unsigned bad = 0;

	for (u32 f = 0; f < ARRAY_SIZE(fmts); f++) {
		for (u32 i = 0; i < ARRAY_SIZE(vals); i++) {
			int n = fmt(buf, sizeof(buf), fmts[f], vals[i]);
			int m = __builtin_snprintf(want, sizeof(want), fmts[f], vals[i]);

			if (n != m || strcmp(buf, want)) {
				fprintf(stderr, "  \"%s\" %d: \"%s\" vs libc \"%s\"\n", fmts[f],
					vals[i], buf, want);
				bad++;
			}
		}
	}
	CHECK_EQ(bad, 0);
}

int main(void)
{
	RUN_TEST(test_integers);
	RUN_TEST(test_strings_chars);
	RUN_TEST(test_pointer);
	RUN_TEST(test_width_and_padding);
	RUN_TEST(test_truncation);
	RUN_TEST(test_size_zero);
	RUN_TEST(test_odd_formats);
	RUN_TEST(test_matches_libc);
	return check_done();
}
