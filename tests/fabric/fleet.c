/* fleet: many simulated workers in one process, each a full agent (its own
 * TLS client certificate, HMAC key, MQTT session and simulated node), for
 * the fleet simulation (tests/fabric/fleet.py).
 *
 *   fleet --pki DIR --broker HOST:PORT --first K --count N [--prefix f]
 *         [--period S] [--lifetime S]
 *
 * Workers are <prefix><number, 4 digits> from K to K+N-1, their
 * credentials in DIR/nodes/<id>/.  Runs until stdin closes, SIGTERM, or
 * the lifetime ends; prints "connected N" once all are connected. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <mosquitto.h>

#include "agent.h"

static volatile sig_atomic_t stop;

static void on_signal(int s)
{
	stop = 1;
}

struct worker {
	char id[FAB_ID_MAX];
	char ca[600], cert[600], key[600], hmac[600];
	struct mgmt *m;
	struct agent *a;
};

static int worker_init(struct worker *w, const char *pki, const char *prefix, long num,
		       const struct agent_cfg *base)
{
	struct agent_cfg cfg = *base;
	char err[256];

	snprintf(w->id, sizeof(w->id), "%s%04ld", prefix, num);
	snprintf(w->ca, sizeof(w->ca), "%s/ca.pem", pki);
	snprintf(w->cert, sizeof(w->cert), "%s/nodes/%s/%s.pem", pki, w->id, w->id);
	snprintf(w->key, sizeof(w->key), "%s/nodes/%s/%s.key", pki, w->id, w->id);
	snprintf(w->hmac, sizeof(w->hmac), "%s/nodes/%s/%s.hmac", pki, w->id, w->id);
	cfg.node = w->id;
	cfg.cafile = w->ca;
	cfg.certfile = w->cert;
	cfg.keyfile = w->key;
	if (!fab_key_load(w->hmac, cfg.key, err, sizeof(err)) ||
	    !(w->m = mgmt_open_sim(NULL, err, sizeof(err))) ||
	    !(cfg.mgmt = w->m, w->a = agent_new(&cfg, err, sizeof(err)))) {
		fprintf(stderr, "fleet: %s: %s\n", w->id, err);
		return 0;
	}
	return agent_start(w->a) == MOSQ_ERR_SUCCESS;
}

static void *stdin_watch(void *arg)
{
	char buf[64];

	while (fgets(buf, sizeof(buf), stdin))
		;
	stop = 1;
	return NULL;
}

int main(int argc, char **argv)
{
	struct agent_cfg base = {.period_s = 5, .keepalive_s = 30, .quiet = 1};
	const char *pki = NULL, *prefix = "f", *broker = NULL;
	long first = 1, count = 0, lifetime = 900;
	static char host[256];
	struct worker *w;
	int64_t end;
	pthread_t th;
	int all = 0;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--pki"))
			pki = argv[i + 1];
		else if (!strcmp(argv[i], "--broker"))
			broker = argv[i + 1];
		else if (!strcmp(argv[i], "--first"))
			first = atol(argv[i + 1]);
		else if (!strcmp(argv[i], "--count"))
			count = atol(argv[i + 1]);
		else if (!strcmp(argv[i], "--prefix"))
			prefix = argv[i + 1];
		else if (!strcmp(argv[i], "--period"))
			base.period_s = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--lifetime"))
			lifetime = atol(argv[i + 1]);
	}
	if (!pki || !broker || count <= 0 || count > 5000 || !strrchr(broker, ':')) {
		fprintf(stderr, "usage: fleet --pki DIR --broker HOST:PORT --first K --count N\n");
		return 2;
	}
	snprintf(host, sizeof(host), "%s", broker);
	*strrchr(host, ':') = '\0';
	base.host = host;
	base.port = atoi(strrchr(broker, ':') + 1);
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	mosquitto_lib_init();
	w = calloc((size_t)count, sizeof(*w));
	for (long i = 0; w && i < count && !stop; i++) {
		if (!worker_init(&w[i], pki, prefix, first + i, &base))
			return 1;
		usleep(2000); /* spread the TLS handshakes */
	}
	pthread_create(&th, NULL, stdin_watch, NULL);
	end = fab_mono_ms() + lifetime * 1000;
	while (!stop && fab_mono_ms() < end) {
		int up = 0;
		for (long i = 0; i < count; i++) {
			agent_tick(w[i].a);
			up += agent_connected(w[i].a);
		}
		if (up == count && !all) {
			printf("connected %d\n", up);
			all = 1;
		}
		usleep(200000);
	}
	for (long i = 0; i < count; i++) {
		agent_stop(w[i].a);
		agent_free(w[i].a);
		mgmt_close(w[i].m);
	}
	free(w);
	mosquitto_lib_cleanup();
	return 0;
}
