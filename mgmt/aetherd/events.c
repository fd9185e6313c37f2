/* GET /api/v1/events: server-sent events.
 *
 * Each client is a callback response.  When its queue is empty the
 * callback suspends the connection (libmicrohttpd then stops polling it:
 * no busy loop); publishing an event appends to every queue and resumes
 * the suspended ones.  A client that does not read has its queue capped
 * and is dropped. */
#define _GNU_SOURCE /* asprintf */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aetherd.h"
#include "events.h"

#define QUEUE_MAX (4u << 20)

struct sse_client {
	struct MHD_Connection *conn;
	char *buf;
	size_t len, cap;
	int suspended, dead;
	struct sse_client *next;
};

static pthread_mutex_t sse_lock = PTHREAD_MUTEX_INITIALIZER;
static struct sse_client *clients;
static int nclients;

int aetherd_event_clients(void)
{
	pthread_mutex_lock(&sse_lock);
	int n = nclients;
	pthread_mutex_unlock(&sse_lock);
	return n;
}

static ssize_t sse_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct sse_client *c = cls;
	size_t n;

	pthread_mutex_lock(&sse_lock);
	if (c->dead) {
		pthread_mutex_unlock(&sse_lock);
		return MHD_CONTENT_READER_END_OF_STREAM;
	}
	if (!c->len) {
		c->suspended = 1;
		MHD_suspend_connection(c->conn);
		pthread_mutex_unlock(&sse_lock);
		return 0;
	}
	n = c->len < max ? c->len : max;
	memcpy(buf, c->buf, n);
	memmove(c->buf, c->buf + n, c->len - n);
	c->len -= n;
	pthread_mutex_unlock(&sse_lock);
	return (ssize_t)n;
}

static void sse_free(void *cls)
{
	struct sse_client *c = cls, **pp;

	pthread_mutex_lock(&sse_lock);
	for (pp = &clients; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			nclients--;
			break;
		}
	pthread_mutex_unlock(&sse_lock);
	free(c->buf);
	free(c);
}

static void enqueue(struct sse_client *c, const char *s, size_t len)
{
	if (c->dead)
		return;
	if (c->len + len > QUEUE_MAX) {
		c->dead = 1; /* a reader this far behind is gone or hostile */
		return;
	}
	if (c->len + len > c->cap) {
		size_t cap = c->cap ? c->cap : 8192;
		char *n;

		while (cap < c->len + len)
			cap *= 2;
		n = realloc(c->buf, cap);
		if (!n) {
			c->dead = 1;
			return;
		}
		c->buf = n;
		c->cap = cap;
	}
	memcpy(c->buf + c->len, s, len);
	c->len += len;
}

static char *format_event(const char *type, json_t *data, size_t *len)
{
	char *js = json_dumps(data, JSON_COMPACT | JSON_ENSURE_ASCII), *out = NULL;
	int n;

	if (!js)
		return NULL;
	n = asprintf(&out, "event: %s\ndata: %s\n\n", type, js);
	free(js);
	if (n < 0)
		return NULL;
	*len = (size_t)n;
	return out;
}

/* Appends text to every client's queue and wakes the suspended ones.  The
 * resume happens after sse_lock is released: a suspended connection cannot
 * go away meanwhile, and libmicrohttpd's own locks are never taken under
 * ours. */
static void broadcast(const char *s, size_t len)
{
	struct MHD_Connection *wake[256];
	int nwake = 0;

	pthread_mutex_lock(&sse_lock);
	for (struct sse_client *c = clients; c; c = c->next) {
		enqueue(c, s, len);
		if (c->suspended && nwake < 256) {
			c->suspended = 0;
			wake[nwake++] = c->conn;
		}
	}
	pthread_mutex_unlock(&sse_lock);
	for (int i = 0; i < nwake; i++)
		MHD_resume_connection(wake[i]);
}

void aetherd_event_publish(const char *type, json_t *data)
{
	size_t len;
	char *s = data ? format_event(type, data, &len) : NULL;

	json_decref(data);
	if (!s)
		return;
	broadcast(s, len);
	free(s);
}

enum MHD_Result aetherd_events_open(struct api_req *r)
{
	struct sse_client *c = calloc(1, sizeof(*c));
	json_t *hello = aetherd_hello_json();
	struct MHD_Response *resp;
	size_t len = 0;
	char *s = hello ? format_event("hello", hello, &len) : NULL;
	enum MHD_Result ret;

	json_decref(hello);
	if (!c || !s) {
		free(c);
		free(s);
		return aetherd_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "out of memory");
	}
	c->conn = r->conn;
	enqueue(c, "retry: 2000\n\n", 13);
	enqueue(c, s, len);
	free(s);
	resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16384, sse_read, c, sse_free);
	if (!resp) {
		free(c->buf);
		free(c);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/event-stream");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	pthread_mutex_lock(&sse_lock);
	c->next = clients;
	clients = c;
	nclients++;
	pthread_mutex_unlock(&sse_lock);
	ret = MHD_queue_response(r->conn, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	r->responded = 1;
	return ret;
}

/* At shutdown: end every stream so the daemon can stop. */
void aetherd_events_close_all(void)
{
	broadcast("", 0);
	pthread_mutex_lock(&sse_lock);
	for (struct sse_client *c = clients; c; c = c->next)
		c->dead = 1;
	pthread_mutex_unlock(&sse_lock);
	broadcast("", 0);
}
