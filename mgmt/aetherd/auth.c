/* Bearer-token authentication of every /api/ request.  The token is kept
 * only as its SHA-256; a candidate is hashed and compared in constant time,
 * so neither its content nor its length shows in the timing. */
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "aetherd.h"

static unsigned char token_md[32];
static int token_set;

static int sha256(const void *p, size_t len, unsigned char md[32])
{
	unsigned int n = 0;

	return EVP_Digest(p, len, md, &n, EVP_sha256(), NULL) && n == 32;
}

int aetherd_auth_init(const char *token)
{
	if (!token || strlen(token) < 16)
		return -1;
	token_set = sha256(token, strlen(token), token_md);
	return token_set ? 0 : -1;
}

int aetherd_auth_ok(struct MHD_Connection *c)
{
	const char *h =
		MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	unsigned char md[32];

	if (!token_set || !h || strncasecmp(h, "Bearer ", 7))
		return 0;
	h += 7;
	while (*h == ' ')
		h++;
	if (!sha256(h, strlen(h), md))
		return 0;
	return CRYPTO_memcmp(md, token_md, sizeof(md)) == 0;
}
