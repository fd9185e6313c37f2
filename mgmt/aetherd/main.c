/* aetherd: options, the node handle and its lock, the HTTP daemon. */
#include <arpa/inet.h>
#include <getopt.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aetherd.h"
#include "events.h"

static struct mgmt *node;
static pthread_mutex_t node_lock = PTHREAD_MUTEX_INITIALIZER;
static size_t max_deploy = 96u << 20;
static volatile sig_atomic_t quit;

struct mgmt *aetherd_lock(void)
{
	pthread_mutex_lock(&node_lock);
	return node;
}

void aetherd_unlock(void)
{
	pthread_mutex_unlock(&node_lock);
}

size_t aetherd_max_deploy(void)
{
	return max_deploy;
}

int aetherd_find_vm(struct mgmt *m, const char *name, struct mgmt_vm_info *out)
{
	int id = mgmt_vm_by_name(m, name);

	return id < 0 ? id : mgmt_vm_info(m, (uint32_t)id, out) ?: id;
}

struct opts {
	const char *listen, *token_file, *web, *sim_spec, *port_file;
	int port, sim;
};

static void usage(void)
{
	fprintf(stderr,
		"usage: aetherd [--listen ADDR] [--port N] --token-file F [--web DIR]\n"
		"               [--sim[=SPEC] | --devmem] [--max-deploy-mib N] [--port-file F]\n");
	exit(2);
}

static void parse(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{"listen", 1, 0, 'l'},
		{"port", 1, 0, 'p'},
		{"token-file", 1, 0, 't'},
		{"web", 1, 0, 'w'},
		{"sim", 2, 0, 's'},
		{"devmem", 0, 0, 'd'},
		{"max-deploy-mib", 1, 0, 'm'},
		{"port-file", 1, 0, 'f'},
		{0, 0, 0, 0},
	};
	int c;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'l': o->listen = optarg; break;
		case 'p': o->port = atoi(optarg); break;
		case 't': o->token_file = optarg; break;
		case 'w': o->web = optarg; break;
		case 's':
			o->sim = 1;
			o->sim_spec = optarg;
			break;
		case 'd': o->sim = 0; break;
		case 'm': max_deploy = (size_t)strtoul(optarg, NULL, 10) << 20; break;
		case 'f': o->port_file = optarg; break;
		default: usage();
		}
	}
	if (!o->token_file || o->port < 0 || o->port > 65535 || !max_deploy)
		usage();
}

static int read_token(const char *path, char *tok, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return -1;
	n = fread(tok, 1, len - 1, f);
	fclose(f);
	tok[n] = 0;
	while (n && (tok[n - 1] == '\n' || tok[n - 1] == '\r' || tok[n - 1] == ' '))
		tok[--n] = 0;
	return aetherd_auth_init(tok);
}

static struct MHD_Daemon *start_http(const struct opts *o)
{
	static struct sockaddr_in sa;

	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)o->port);
	if (inet_pton(AF_INET, o->listen, &sa.sin_addr) != 1) {
		fprintf(stderr, "aetherd: bad listen address %s\n", o->listen);
		return NULL;
	}
	return MHD_start_daemon(
		MHD_USE_AUTO_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG, 0,
		NULL, NULL, aetherd_on_request, NULL, MHD_OPTION_SOCK_ADDR, &sa,
		MHD_OPTION_NOTIFY_COMPLETED, aetherd_on_completed, NULL,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)256, MHD_OPTION_CONNECTION_TIMEOUT,
		(unsigned)60, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)131072,
		MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1, MHD_OPTION_END);
}

static void on_signal(int sig)
{
	quit = 1;
}

static int open_node(const struct opts *o)
{
	char err[256] = "";

	node = o->sim ? mgmt_open_sim(o->sim_spec, err, sizeof(err))
		      : mgmt_open_devmem(err, sizeof(err));
	if (!node)
		fprintf(stderr, "aetherd: %s: %s\n", o->sim ? "sim node" : "management device",
			err);
	return node ? 0 : -1;
}

static void announce(struct MHD_Daemon *d, const struct opts *o)
{
	const union MHD_DaemonInfo *i = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	unsigned port = i ? i->port : (unsigned)o->port;

	printf("aetherd: listening on %s:%u (node: %s)\n", o->listen, port,
	       o->sim ? "simulated" : "/dev/mem mailbox");
	fflush(stdout);
	if (o->port_file) {
		FILE *f = fopen(o->port_file, "w");

		if (f) {
			fprintf(f, "%u\n", port);
			fclose(f);
		}
	}
}

int main(int argc, char **argv)
{
	struct opts o = {.listen = "0.0.0.0", .port = 8080, .web = NULL};
	static char token[512];
	struct MHD_Daemon *d;

	parse(argc, argv, &o);
	if (read_token(o.token_file, token, sizeof(token)) < 0) {
		fprintf(stderr, "aetherd: %s: no usable token (16 characters or more)\n",
			o.token_file);
		return 1;
	}
	memset(token, 0, sizeof(token)); /* only its digest is kept */
	if (o.web && aetherd_static_load(o.web) < 0)
		fprintf(stderr, "aetherd: cannot read the dashboard from %s\n", o.web);
	if (open_node(&o) < 0)
		return 1;
	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	d = start_http(&o);
	if (!d || aetherd_ticker_start() < 0) {
		fprintf(stderr, "aetherd: cannot listen on %s:%d\n", o.listen, o.port);
		return 1;
	}
	announce(d, &o);
	while (!quit)
		pause();
	aetherd_ticker_stop();
	aetherd_events_close_all();
	MHD_stop_daemon(d);
	mgmt_close(node);
	return 0;
}
