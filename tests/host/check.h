/* Minimal host unit-test harness.  Each TEST prints one "ok"/"FAIL" line that
 * the top-level runner counts; CHECK records a failure and keeps going so one
 * run shows every broken assertion. */
#ifndef AETHER_CHECK_H
#define AETHER_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failed_in_test;
static int check_tests_failed;
static int check_tests_run;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
			check_failed_in_test = 1;                                                  \
		}                                                                                  \
	} while (0)

#define CHECK_EQ(a, b)                                                                            \
	do {                                                                                      \
		unsigned long long check_a_ = (unsigned long long)(a);                            \
		unsigned long long check_b_ = (unsigned long long)(b);                            \
		if (check_a_ != check_b_) {                                                       \
			fprintf(stderr, "  %s:%d: %s == %s failed: 0x%llx != 0x%llx\n", __FILE__, \
				__LINE__, #a, #b, check_a_, check_b_);                            \
			check_failed_in_test = 1;                                                 \
		}                                                                                 \
	} while (0)

#define RUN_TEST(fn)                                                          \
	do {                                                                  \
		check_failed_in_test = 0;                                     \
		fn();                                                         \
		check_tests_run++;                                            \
		if (check_failed_in_test)                                     \
			check_tests_failed++;                                 \
		printf("%s %s\n", check_failed_in_test ? "FAIL" : "ok", #fn); \
	} while (0)

static inline int check_done(void)
{
	return check_tests_failed ? 1 : 0;
}

#endif
