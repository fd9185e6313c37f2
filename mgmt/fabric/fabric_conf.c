/* The central side's configuration file: one "key value" per line, '#'
 * comments.  Keys: broker HOST:PORT, ca, cert, key (the central
 * identity's TLS files), keys (directory of <node>.hmac), images
 * (directory), image-bind ADDR, image-port N, image-url URL, ttl S,
 * period S. */
#include "fabric_conf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int set_broker(struct fabric_cfg *cfg, const char *v)
{
	const char *colon = strrchr(v, ':');
	char *host;

	if (!colon || colon == v)
		return 0;
	host = strndup(v, (size_t)(colon - v));
	cfg->host = host;
	cfg->port = atoi(colon + 1);
	return host && cfg->port > 0 && cfg->port < 65536;
}

static int set_key(struct fabric_cfg *cfg, const char *k, const char *v)
{
	const char **s = NULL;

	if (!strcmp(k, "broker"))
		return set_broker(cfg, v);
	if (!strcmp(k, "ttl"))
		return (cfg->ttl_s = atoi(v)) > 0;
	if (!strcmp(k, "period"))
		return (cfg->period_s = atoi(v)) > 0;
	if (!strcmp(k, "image-port"))
		return (cfg->image_port = atoi(v)) >= 0;
	if (!strcmp(k, "ca"))
		s = &cfg->cafile;
	else if (!strcmp(k, "cert"))
		s = &cfg->certfile;
	else if (!strcmp(k, "key"))
		s = &cfg->keyfile;
	else if (!strcmp(k, "keys"))
		s = &cfg->keys_dir;
	else if (!strcmp(k, "images"))
		s = &cfg->image_dir;
	else if (!strcmp(k, "image-bind"))
		s = &cfg->image_bind;
	else if (!strcmp(k, "image-url"))
		s = &cfg->image_url;
	if (!s)
		return 0;
	*s = strdup(v);
	return *s != NULL;
}

int fabric_conf_load(const char *path, struct fabric_cfg *cfg, char *err, size_t errlen)
{
	char line[1024], k[64], v[900];
	FILE *f = fopen(path, "r");
	int n = 0;

	memset(cfg, 0, sizeof(*cfg));
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return 0;
	}
	while (fgets(line, sizeof(line), f)) {
		n++;
		if (line[0] == '#' || sscanf(line, "%63s %899s", k, v) < 1)
			continue;
		if (sscanf(line, "%63s %899s", k, v) != 2 || !set_key(cfg, k, v)) {
			snprintf(err, errlen, "%s:%d: bad setting", path, n);
			fclose(f);
			return 0;
		}
	}
	fclose(f);
	if (!cfg->host || !cfg->cafile || !cfg->certfile || !cfg->keyfile || !cfg->keys_dir) {
		snprintf(err, errlen, "%s: broker, ca, cert, key and keys are required", path);
		return 0;
	}
	cfg->quiet = 1;
	return 1;
}
