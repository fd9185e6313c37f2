/* The dashboard's files, read once at start-up into memory and served by
 * exact name: a URL never becomes a filesystem path, so there is nothing
 * to traverse.  They are public (they hold no data); the page takes the
 * API token from the URL fragment (#token=...), which browsers never send. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "aetherd.h"

#define MAX_FILES 32
#define MAX_FILE_SIZE (8u << 20)

struct file {
	char url[80];
	const char *type;
	char *data;
	size_t len;
};

static struct file files[MAX_FILES];
static int nfiles;

static const char *type_of(const char *name)
{
	static const char *const map[][2] = {
		{".html", "text/html; charset=utf-8"},
		{".js", "text/javascript; charset=utf-8"},
		{".css", "text/css; charset=utf-8"},
		{".svg", "image/svg+xml"},
		{".png", "image/png"},
		{".ico", "image/x-icon"},
		{".map", "application/json"},
	};
	const char *dot = strrchr(name, '.');

	for (size_t i = 0; dot && i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(dot, map[i][0]))
			return map[i][1];
	return "application/octet-stream";
}

static int load(const char *dir, const char *name)
{
	struct file *f = &files[nfiles];
	char path[512];
	FILE *fp;
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (stat(path, &st) || !S_ISREG(st.st_mode) || st.st_size > MAX_FILE_SIZE)
		return 0;
	fp = fopen(path, "rb");
	if (!fp)
		return -1;
	f->data = malloc((size_t)st.st_size + 1);
	f->len = f->data ? fread(f->data, 1, (size_t)st.st_size, fp) : 0;
	fclose(fp);
	if (!f->data || f->len != (size_t)st.st_size)
		return -1;
	snprintf(f->url, sizeof(f->url), "/%s", name);
	f->type = type_of(name);
	nfiles++;
	return 0;
}

int aetherd_static_load(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return -1;
	while ((e = readdir(d)) && nfiles < MAX_FILES)
		if (e->d_name[0] != '.' && strlen(e->d_name) < 70 && load(dir, e->d_name) < 0) {
			closedir(d);
			return -1;
		}
	closedir(d);
	return 0;
}

static enum MHD_Result plain(struct MHD_Connection *c, unsigned status, const char *msg)
{
	struct MHD_Response *r =
		MHD_create_response_from_buffer(strlen(msg), (void *)msg, MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

enum MHD_Result aetherd_static_serve(struct MHD_Connection *c, const char *method, const char *url)
{
	const char *want = strcmp(url, "/") ? url : "/index.html";
	struct MHD_Response *r;
	enum MHD_Result ret;

	if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		return plain(c, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed\n");
	for (int i = 0; i < nfiles; i++) {
		if (strcmp(files[i].url, want))
			continue;
		r = MHD_create_response_from_buffer(files[i].len, files[i].data,
						    MHD_RESPMEM_PERSISTENT);
		if (!r)
			return MHD_NO;
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, files[i].type);
		MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
		MHD_add_response_header(r, "X-Frame-Options", "DENY");
		MHD_add_response_header(r, "Content-Security-Policy",
					"default-src 'self'; style-src 'self' 'unsafe-inline'; "
					"img-src 'self' data:; frame-ancestors 'none'");
		MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
		ret = MHD_queue_response(c, MHD_HTTP_OK, r);
		MHD_destroy_response(r);
		return ret;
	}
	return plain(c, MHD_HTTP_NOT_FOUND, "not found\n");
}
