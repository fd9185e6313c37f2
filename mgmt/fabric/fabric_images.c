/* Deploy images: stored on the central node under their SHA-256 and
 * served over HTTP (libmicrohttpd) to the worker a deploy names:
 *
 *   GET /fabric/images/<sha256>?node=<id>&t=<HMAC(worker key, "image:" sha256)>
 *
 * The token proves the URL came from a command signed for that worker; the
 * worker checks the digest of what it fetched before deploying it. */
#include "fabric_int.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <microhttpd.h>
#include <openssl/crypto.h>

#define IMG_PREFIX "/fabric/images/"

static void token_for(const struct fab_node *n, const char *hex, char out[FAB_MAC_HEX + 1])
{
	char msg[80];

	snprintf(msg, sizeof(msg), "image:%s", hex);
	fab_hmac_hex(n->key, msg, strlen(msg), out);
}

static enum MHD_Result answer(struct MHD_Connection *c, unsigned status, const char *text)
{
	struct MHD_Response *r =
		MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret = MHD_queue_response(c, status, r);

	MHD_destroy_response(r);
	return ret;
}

/* The file to send, or -1 (and *status) when the request is not allowed. */
static int open_image(struct fabric *f, struct MHD_Connection *c, const char *url, unsigned *status)
{
	const char *hex = url + strlen(IMG_PREFIX);
	const char *node = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "node");
	const char *t = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "t");
	char want[FAB_MAC_HEX + 1], path[700];
	uint8_t sha[32];
	struct fab_node *n;
	int ok;

	*status = MHD_HTTP_NOT_FOUND;
	if (strncmp(url, IMG_PREFIX, strlen(IMG_PREFIX)) != 0 || !fab_unhex(hex, sha, 32))
		return -1;
	*status = MHD_HTTP_FORBIDDEN;
	if (!node || !t || !fab_node_id_valid(node))
		return -1;
	pthread_mutex_lock(&f->lock);
	n = fab_node_find(f, node);
	if (n)
		token_for(n, hex, want);
	pthread_mutex_unlock(&f->lock);
	ok = n && strlen(t) == FAB_MAC_HEX && CRYPTO_memcmp(want, t, FAB_MAC_HEX) == 0;
	if (!ok)
		return -1;
	*status = MHD_HTTP_NOT_FOUND;
	snprintf(path, sizeof(path), "%s/%s.img", f->image_dir, hex);
	return open(path, O_RDONLY | O_CLOEXEC);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct fabric *f = cls;
	struct MHD_Response *r;
	enum MHD_Result ret;
	unsigned status;
	struct stat st;
	int fd;

	if (strcmp(method, "GET") != 0)
		return answer(c, MHD_HTTP_METHOD_NOT_ALLOWED, "GET only\n");
	fd = open_image(f, c, url, &status);
	if (fd < 0)
		return answer(c, status,
			      status == MHD_HTTP_FORBIDDEN ? "forbidden\n" : "no such image\n");
	if (fstat(fd, &st) != 0) {
		close(fd);
		return answer(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "stat failed\n");
	}
	r = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
	ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

int fab_images_start(struct fabric *f, char *err, size_t errlen)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(f->cfg.image_port)};
	const union MHD_DaemonInfo *info;
	struct MHD_Daemon *d;

	if (!f->cfg.image_bind)
		return 1;
	if (inet_pton(AF_INET, f->cfg.image_bind, &sa.sin_addr) != 1) {
		snprintf(err, errlen, "image server: bad address %s", f->cfg.image_bind);
		return 0;
	}
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL,
			     on_request, f, MHD_OPTION_SOCK_ADDR, &sa, MHD_OPTION_CONNECTION_LIMIT,
			     64u, MHD_OPTION_CONNECTION_TIMEOUT, 60u, MHD_OPTION_END);
	if (!d) {
		snprintf(err, errlen, "image server: cannot listen on %s:%d", f->cfg.image_bind,
			 f->cfg.image_port);
		return 0;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	f->image_port = info ? info->port : f->cfg.image_port;
	f->httpd = d;
	if (f->cfg.image_url)
		snprintf(f->image_url, sizeof(f->image_url), "%s", f->cfg.image_url);
	else
		snprintf(f->image_url, sizeof(f->image_url), "http://%s:%d", f->cfg.image_bind,
			 f->image_port);
	return 1;
}

void fab_images_stop(struct fabric *f)
{
	if (f->httpd)
		MHD_stop_daemon(f->httpd);
	f->httpd = NULL;
}

int fab_image_store(struct fabric *f, const void *data, size_t len, char hex[65])
{
	char path[700], tmp[720];
	uint8_t sha[32];
	FILE *out;
	int ok;

	fab_sha256(data, len, sha);
	fab_hex(sha, 32, hex);
	snprintf(path, sizeof(path), "%s/%s.img", f->image_dir, hex);
	snprintf(tmp, sizeof(tmp), "%s.%d.tmp", path, (int)getpid());
	out = fopen(tmp, "wb");
	if (!out)
		return 0;
	ok = fwrite(data, 1, len, out) == len;
	ok &= fclose(out) == 0;
	ok = ok && rename(tmp, path) == 0;
	if (!ok)
		unlink(tmp);
	return ok;
}

json_t *fab_image_spec(struct fabric *f, const struct fab_node *n, const char hex[65], size_t len)
{
	char url[512], t[FAB_MAC_HEX + 1];

	token_for(n, hex, t);
	snprintf(url, sizeof(url), "%s%s%s?node=%s&t=%s", f->image_url, IMG_PREFIX, hex, n->id, t);
	return json_pack("{s:s, s:s, s:I}", "url", url, "sha256", hex, "size", (json_int_t)len);
}
