/* The ticker: every 200 ms it polls the node for state changes and new
 * console output, every second for statistics, and publishes what changed
 * as events.  It also keeps the last HISTORY seconds of counters, so a
 * dashboard opened now can draw the last minutes at once. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "aetherd.h"
#include "events.h"

#define TICK_MS 200
#define TICKS_PER_STATS 5
#define HISTORY 600
#define HIST_VMS 16
#define CONSOLE_CHUNK 16384

struct seen {
	uint32_t state, restarts;
	uint64_t con_off;
	char name[MGMT_NAME_MAX];
	int valid;
};

struct sample {
	uint64_t t_ms;
	uint32_t n;
	uint64_t exits[HIST_VMS][MGMT_EXIT_KINDS];
	uint64_t irqs[HIST_VMS];
};

static struct seen seen[AETHERD_MAX_VMS];
static struct sample hist[HISTORY];
static unsigned hist_head, hist_count;
static pthread_mutex_t hist_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_t thread;
static volatile int stopping;

static uint64_t wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Events built under the node lock, published after it is released. */
struct pending {
	const char *type[AETHERD_MAX_VMS * 2 + 1];
	json_t *data[AETHERD_MAX_VMS * 2 + 1];
	int n;
};

static void add(struct pending *p, const char *type, json_t *j)
{
	if (p->n < (int)(sizeof(p->data) / sizeof(p->data[0])) && j) {
		p->type[p->n] = type;
		p->data[p->n++] = j;
	} else {
		json_decref(j);
	}
}

/* s: what the ticker knows of the VM at this position of the list. */
static void poll_console(struct mgmt *m, const struct mgmt_vm_info *v, struct seen *s,
			 struct pending *p)
{
	static unsigned char buf[CONSOLE_CHUNK];
	uint64_t first, next;
	size_t len, used;
	json_t *data;

	if (mgmt_console_read(m, v->id, s->con_off, buf, sizeof(buf), &first, &next, &len))
		return;
	if (!len) {
		if (first < s->con_off) /* the node's ring started again: follow it */
			s->con_off = first;
		return;
	}
	data = aetherd_console_string(buf, len, &used);
	s->con_off = first + used;
	add(p, "console",
	    json_pack("{s:s, s:I, s:I, s:o}", "name", v->name, "offset", (json_int_t)first, "next",
		      (json_int_t)(first + used), "data", data));
}

static void record(struct sample *smp, unsigned i, const struct mgmt_vm_stats *st)
{
	if (i >= HIST_VMS)
		return;
	memcpy(smp->exits[i], st->exits, sizeof(st->exits));
	smp->irqs[i] = st->irqs_injected;
	if (smp->n < i + 1)
		smp->n = i + 1;
}

static void poll_stats(struct mgmt *m, const struct mgmt_vm_info *v, int n, struct pending *p)
{
	json_t *vms = json_object();
	struct sample smp = {.t_ms = wall_ms()};

	for (int i = 0; i < n; i++) {
		struct mgmt_vm_stats st;

		if (mgmt_vm_stats(m, v[i].id, &st))
			continue;
		json_object_set_new(vms, v[i].name, aetherd_stats_json(&v[i], &st));
		record(&smp, (unsigned)i, &st);
	}
	pthread_mutex_lock(&hist_lock);
	hist[hist_head] = smp;
	hist_head = (hist_head + 1) % HISTORY;
	if (hist_count < HISTORY)
		hist_count++;
	pthread_mutex_unlock(&hist_lock);
	add(p, "stats", json_pack("{s:I, s:o}", "t", (json_int_t)smp.t_ms, "vms", vms));
}

static void tick(unsigned count)
{
	static struct mgmt_vm_info v[AETHERD_MAX_VMS];
	struct pending p = {.n = 0};
	struct mgmt *m = aetherd_lock();
	int n = mgmt_vm_list(m, v, AETHERD_MAX_VMS);

	for (int i = 0; i < n; i++) {
		struct seen *s = &seen[i];

		if (!s->valid || s->state != v[i].state || s->restarts != v[i].restarts)
			add(&p, "vm", aetherd_vm_json(&v[i], 0));
		s->valid = 1;
		s->state = v[i].state;
		s->restarts = v[i].restarts;
		memcpy(s->name, v[i].name, sizeof(s->name));
		poll_console(m, &v[i], s, &p);
	}
	if (n > 0 && count % TICKS_PER_STATS == 0)
		poll_stats(m, v, n, &p);
	aetherd_unlock();
	for (int i = 0; i < p.n; i++)
		aetherd_event_publish(p.type[i], p.data[i]);
}

static void *ticker(void *arg)
{
	for (unsigned count = 0; !stopping; count++) {
		tick(count);
		usleep(TICK_MS * 1000);
	}
	return NULL;
}

int aetherd_ticker_start(void)
{
	return pthread_create(&thread, NULL, ticker, NULL) ? -1 : 0;
}

void aetherd_ticker_stop(void)
{
	stopping = 1;
	pthread_join(thread, NULL);
}

static json_t *sample_json(const struct sample *smp)
{
	json_t *vms = json_object();

	for (unsigned i = 0; i < smp->n && i < HIST_VMS; i++) {
		json_t *ex = json_array();

		for (int k = 0; k < MGMT_EXIT_KINDS; k++)
			json_array_append_new(ex, json_integer((json_int_t)smp->exits[i][k]));
		if (seen[i].valid)
			json_object_set_new(vms, seen[i].name,
					    json_pack("{s:o, s:I}", "exits", ex, "irqs_injected",
						      (json_int_t)smp->irqs[i]));
		else
			json_decref(ex);
	}
	return json_pack("{s:I, s:o}", "t", (json_int_t)smp->t_ms, "vms", vms);
}

json_t *aetherd_history_json(void)
{
	json_t *kinds = json_array(), *samples = json_array();

	for (int k = 0; k < MGMT_EXIT_KINDS; k++)
		json_array_append_new(kinds, json_string(aetherd_exit_kinds[k]));
	pthread_mutex_lock(&hist_lock);
	for (unsigned i = 0; i < hist_count; i++)
		json_array_append_new(
			samples,
			sample_json(&hist[(hist_head + HISTORY - hist_count + i) % HISTORY]));
	pthread_mutex_unlock(&hist_lock);
	return json_pack("{s:i, s:o, s:o}", "interval_ms", TICK_MS * TICKS_PER_STATS, "kinds",
			 kinds, "samples", samples);
}

json_t *aetherd_hello_json(void)
{
	static struct mgmt_vm_info v[AETHERD_MAX_VMS];
	struct mgmt_node_info ni;
	struct mgmt *m = aetherd_lock();
	int rc = mgmt_node_info(m, &ni);
	int n = rc ? rc : mgmt_vm_list(m, v, AETHERD_MAX_VMS);
	json_t *vms = json_array();

	aetherd_unlock();
	for (int i = 0; i < n; i++)
		json_array_append_new(vms, aetherd_vm_json(&v[i], 0));
	return json_pack("{s:o, s:o}", "node", rc ? json_null() : aetherd_node_json(&ni), "vms",
			 vms);
}
