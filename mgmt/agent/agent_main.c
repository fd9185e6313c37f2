/* aether-agent: the worker agent's command line.
 *
 *   aether-agent --node ID --broker HOST:PORT --ca CA.pem --cert NODE.pem
 *                --key NODE.key --hmac-key NODE.hmac
 *                [--sim SPEC | --devmem] [--state DIR] [--tmp DIR]
 *                [--fetch wget] [--period S] [--keepalive S]
 *                [--clock-cmdline] [--quiet]
 *
 * SIGTERM/SIGINT: publish "offline", disconnect, exit 0. */
#include "agent.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mosquitto.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: aether-agent --node ID --broker HOST:PORT --ca F --cert F --key F "
		"--hmac-key F [--sim SPEC|--devmem] [--state DIR] [--tmp DIR] [--fetch CMD] "
		"[--period S] [--keepalive S] [--clock-cmdline] [--quiet]\n");
	exit(2);
}

/* Boards without an RTC: the cluster passes the host's wall clock as
 * aether.epoch_ms=<ms> on the kernel command line; uptime advances it. */
static int64_t clock_from_cmdline(void)
{
	char buf[2048] = {0};
	double up = 0;
	long long epoch = 0;
	FILE *f = fopen("/proc/cmdline", "r");
	char *p;

	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = '\0';
		fclose(f);
	}
	p = strstr(buf, "aether.epoch_ms=");
	if (!p || sscanf(p + 16, "%lld", &epoch) != 1)
		return 0;
	f = fopen("/proc/uptime", "r");
	if (!f || fscanf(f, "%lf", &up) != 1)
		up = 0;
	if (f)
		fclose(f);
	return (int64_t)epoch + (int64_t)(up * 1000) - fab_now_ms();
}

static void parse_broker(const char *s, struct agent_cfg *cfg)
{
	static char host[256];
	const char *colon = strrchr(s, ':');

	if (!colon || colon == s || (size_t)(colon - s) >= sizeof(host))
		usage();
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	cfg->host = host;
	cfg->port = atoi(colon + 1);
	if (cfg->port <= 0 || cfg->port > 65535)
		usage();
}

static struct mgmt *parse_args(int argc, char **argv, struct agent_cfg *cfg)
{
	static const struct option opts[] = {{"node", 1, 0, 'n'},      {"broker", 1, 0, 'b'},
					     {"ca", 1, 0, 'a'},	       {"cert", 1, 0, 'c'},
					     {"key", 1, 0, 'k'},       {"hmac-key", 1, 0, 'h'},
					     {"sim", 2, 0, 's'},       {"devmem", 0, 0, 'd'},
					     {"state", 1, 0, 'S'},     {"tmp", 1, 0, 't'},
					     {"fetch", 1, 0, 'f'},     {"period", 1, 0, 'p'},
					     {"keepalive", 1, 0, 'K'}, {"clock-cmdline", 0, 0, 'C'},
					     {"quiet", 0, 0, 'q'},     {0, 0, 0, 0}};
	const char *sim = NULL, *keyfile = NULL;
	char err[256];
	int devmem = 0, o;
	struct mgmt *m;

	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'n': cfg->node = optarg; break;
		case 'b': parse_broker(optarg, cfg); break;
		case 'a': cfg->cafile = optarg; break;
		case 'c': cfg->certfile = optarg; break;
		case 'k': cfg->keyfile = optarg; break;
		case 'h': keyfile = optarg; break;
		case 's': sim = optarg; break;
		case 'd': devmem = 1; break;
		case 'S': cfg->state_dir = optarg; break;
		case 't': cfg->tmp_dir = optarg; break;
		case 'f': cfg->fetch_cmd = optarg; break;
		case 'p': cfg->period_s = atoi(optarg); break;
		case 'K': cfg->keepalive_s = atoi(optarg); break;
		case 'C': cfg->clock_offset_ms = clock_from_cmdline(); break;
		case 'q': cfg->quiet = 1; break;
		default: usage();
		}
	}
	if (!cfg->node || !cfg->host || !cfg->cafile || !cfg->certfile || !cfg->keyfile ||
	    !keyfile || cfg->period_s < 1 || cfg->period_s > 3600 || cfg->keepalive_s < 5 ||
	    cfg->keepalive_s > 600)
		usage();
	if (!fab_key_load(keyfile, cfg->key, err, sizeof(err))) {
		fprintf(stderr, "aether-agent: %s\n", err);
		exit(1);
	}
	m = devmem ? mgmt_open_devmem(err, sizeof(err)) : mgmt_open_sim(sim, err, sizeof(err));
	if (!m) {
		fprintf(stderr, "aether-agent: management interface: %s\n", err);
		exit(1);
	}
	return m;
}

int main(int argc, char **argv)
{
	struct agent_cfg cfg = {.period_s = 5, .keepalive_s = 10};
	struct agent *a;
	char err[256];
	int rc;

	setvbuf(stderr, NULL, _IOLBF, 0);
	cfg.mgmt = parse_args(argc, argv, &cfg);
	mosquitto_lib_init();
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGPIPE, SIG_IGN);
	a = agent_new(&cfg, err, sizeof(err));
	if (!a) {
		fprintf(stderr, "aether-agent: %s\n", err);
		return 1;
	}
	rc = agent_start(a);
	if (rc != MOSQ_ERR_SUCCESS) {
		fprintf(stderr, "aether-agent: cannot start: %s\n", mosquitto_strerror(rc));
		return 1;
	}
	fprintf(stderr, "aether-agent %s: broker %s:%d\n", cfg.node, cfg.host, cfg.port);
	while (!stop) {
		agent_tick(a);
		usleep(200000);
	}
	agent_stop(a);
	agent_free(a);
	mgmt_close(cfg.mgmt);
	mosquitto_lib_cleanup();
	return 0;
}
