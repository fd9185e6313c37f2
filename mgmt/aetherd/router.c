/* The route table: literal segments and {param} segments, matched on the
 * percent-decoded path libmicrohttpd gives.  A parameter must look like a
 * name ([A-Za-z0-9_.-], not starting with '.'), so "..", empty segments and
 * anything a filesystem would interpret never reach a handler. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aetherd.h"

#define MAX_ROUTES 128
#define MAX_SEGS 12

static const struct aetherd_route *routes[MAX_ROUTES];
static size_t nroutes;

void aetherd_routes_add(const struct aetherd_route *tbl, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (nroutes == MAX_ROUTES) {
			fprintf(stderr, "aetherd: route table full at %s\n", tbl[i].pattern);
			abort(); /* a build-time mistake, not input */
		}
		routes[nroutes++] = &tbl[i];
	}
}

static int valid_param(const char *s, size_t len)
{
	if (!len || len >= 64 || s[0] == '.')
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-' || c == '.'))
			return 0;
	}
	return 1;
}

/* Splits "/a/b/c" into segments; -1 for empty segments or too many. */
static int split(const char *url, const char *seg[], size_t len[])
{
	int n = 0;

	if (*url != '/')
		return -1;
	while (*url == '/') {
		const char *s = url + 1, *e = strchr(s, '/');
		size_t l = e ? (size_t)(e - s) : strlen(s);

		if (!l || n == MAX_SEGS)
			return -1;
		seg[n] = s;
		len[n++] = l;
		url = s + l;
	}
	return n;
}

/* Does the path match the pattern?  Fills r's parameters when it does. */
static int match(const char *pattern, const char *seg[], const size_t len[], int n,
		 struct api_req *r)
{
	const char *ps[MAX_SEGS];
	size_t pl[MAX_SEGS];
	int np = split(pattern, ps, pl), k = 0;

	if (np != n)
		return 0;
	for (int i = 0; i < n; i++) {
		if (ps[i][0] == '{') {
			if (!valid_param(seg[i], len[i]) || k == AETHERD_MAX_PARAMS)
				return 0;
			memcpy(r->params[k], seg[i], len[i]);
			r->params[k++][len[i]] = 0;
		} else if (pl[i] != len[i] || memcmp(ps[i], seg[i], len[i])) {
			return 0;
		}
	}
	r->nparams = k;
	return 1;
}

/* The route for method and url, or NULL: then *path_known says whether some
 * other method would match (405, with allow filled) or none (404). */
const struct aetherd_route *aetherd_route_match(const char *method, const char *url,
						struct api_req *r, char *allow, size_t allowlen,
						int *path_known)
{
	const char *seg[MAX_SEGS];
	size_t len[MAX_SEGS];
	int n = split(url, seg, len);

	*path_known = 0;
	allow[0] = 0;
	if (n < 0)
		return NULL;
	for (size_t i = 0; i < nroutes; i++) {
		if (!match(routes[i]->pattern, seg, len, n, r))
			continue;
		if (!strcmp(routes[i]->method, method))
			return routes[i];
		if (!strstr(allow, routes[i]->method))
			snprintf(allow + strlen(allow), allowlen - strlen(allow), "%s%s",
				 *path_known ? ", " : "", routes[i]->method);
		*path_known = 1;
	}
	return NULL;
}

const char *aetherd_param(const struct api_req *r, int i)
{
	return i < r->nparams ? r->params[i] : "";
}
