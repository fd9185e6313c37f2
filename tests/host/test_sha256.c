/* SHA-256 (vm/mgmt/sha256.c): FIPS 180-4 / NIST example vectors, split
 * updates at every boundary, and agreement with coreutils' sha256sum on
 * pseudo-random inputs of every length around the padding edges. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "vm/sha256.h"

static void hex(const u8 *d, char out[65])
{
	for (int i = 0; i < 32; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static void check_hex(const void *msg, size_t len, const char *want)
{
	u8 d[32];
	char got[65];

	sha256(msg, len, d);
	hex(d, got);
	if (strcmp(got, want))
		fprintf(stderr, "  len %zu: got %s want %s\n", len, got, want);
	CHECK(strcmp(got, want) == 0);
}

static void test_vectors(void)
{
	check_hex("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	check_hex("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	check_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	check_hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnop"
		  "jklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
		  112, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
	char *a = malloc(1000000);
	memset(a, 'a', 1000000);
	check_hex(a, 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(a);
}

/* Feeding the same bytes in two pieces, cut anywhere, gives one digest. */
static void test_split_updates(void)
{
	u8 msg[200], one[32], two[32];
	struct sha256 s;

	for (unsigned i = 0; i < sizeof(msg); i++)
		msg[i] = (u8)(i * 131 + 7);
	sha256(msg, sizeof(msg), one);
	for (unsigned cut = 0; cut <= sizeof(msg); cut++) {
		sha256_init(&s);
		sha256_update(&s, msg, cut);
		sha256_update(&s, msg + cut, sizeof(msg) - cut);
		sha256_final(&s, two);
		CHECK(memcmp(one, two, 32) == 0);
	}
	/* byte by byte */
	sha256_init(&s);
	for (unsigned i = 0; i < sizeof(msg); i++)
		sha256_update(&s, msg + i, 1);
	sha256_final(&s, two);
	CHECK(memcmp(one, two, 32) == 0);
}

static int sha256sum(const u8 *buf, size_t len, char out[65])
{
	char path[] = "/tmp/aether_sha256_XXXXXX", cmd[128];
	int fd = mkstemp(path);
	FILE *p;
	int ok;

	if (fd < 0 || write(fd, buf, len) != (ssize_t)len)
		return -1;
	close(fd);
	snprintf(cmd, sizeof(cmd), "sha256sum %s", path);
	p = popen(cmd, "r");
	ok = p && fscanf(p, "%64s", out) == 1;
	if (p)
		pclose(p);
	unlink(path);
	return ok ? 0 : -1;
}

static void test_against_sha256sum(void)
{
	static const size_t lens[] = {1,   55,	56,  57,   63,	 64,   65,    119,   120,
				      127, 128, 129, 1000, 4095, 4096, 65537, 300001};
	u8 *buf = malloc(300001);
	u32 x = 12345;

	for (size_t i = 0; i < 300001; i++) {
		x = x * 1103515245 + 12345;
		buf[i] = (u8)(x >> 16);
	}
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		char want[65] = "", got[65];
		u8 d[32];
		CHECK(sha256sum(buf, lens[i], want) == 0);
		sha256(buf, lens[i], d);
		hex(d, got);
		if (strcmp(got, want))
			fprintf(stderr, "  len %zu: got %s, sha256sum %s\n", lens[i], got, want);
		CHECK(strcmp(got, want) == 0);
	}
	free(buf);
}

int main(void)
{
	RUN_TEST(test_vectors);
	RUN_TEST(test_split_updates);
	RUN_TEST(test_against_sha256sum);
	return check_done();
}
