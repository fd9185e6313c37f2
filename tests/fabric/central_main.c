/* fabric-central: the central fabric library behind a line protocol on
 * stdin/stdout, for the host tests and the fleet simulation (aetherd puts
 * the same library behind HTTP).  One request per line, one answer line:
 *
 *   nodes | node ID | events | get CMDID | connected | count
 *   cmd NODE OP VM|- [ttl=S]             -> "<http status> <id or error>"
 *   deploy NODE VM KERNEL-FILE [BOOTARGS] -> same
 *   rtt COUNT WINDOW OP VM               -> {"n","median_ms","p99_ms","max_ms","failed"}
 *                                           (COUNT commands, round robin over
 *                                           reachable nodes, WINDOW in flight)
 *   quit
 *
 *   fabric-central --broker HOST:PORT --ca F --cert F --key F --keys DIR
 *                  --images DIR [--image-bind ADDR] [--image-url URL] [--ttl S]
 *                  [--period S] */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fabric.h"

static void print_json(json_t *j)
{
	char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;

	printf("%s\n", s ? s : "null");
	free(s);
	json_decref(j);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && n < (64L << 20) &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n)) &&
	    fread(buf, 1, (size_t)n, f) == (size_t)n)
		*len = (size_t)n;
	else {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

/* Reachable node ids into a freshly allocated array. */
static char **reachable_nodes(struct fabric *f, size_t *count)
{
	json_t *nodes = fabric_nodes_json(f), *n;
	char **ids = calloc(json_array_size(nodes) + 1, sizeof(*ids));
	size_t i, k = 0;

	json_array_foreach(nodes, i, n)
	{
		if (json_is_true(json_object_get(n, "reachable")))
			ids[k++] = strdup(json_string_value(json_object_get(n, "node")));
	}
	json_decref(nodes);
	*count = k;
	return ids;
}

/* Waits (bounded) for one command's outcome; its round trip or -1. */
static long long wait_outcome(struct fabric *f, const char *id, int64_t deadline)
{
	while (fab_mono_ms() < deadline) {
		json_t *c = fabric_command_json(f, id);
		const char *st = json_string_value(json_object_get(c, "state"));
		long long rtt = json_integer_value(json_object_get(c, "round_trip_ms"));
		int done = st && strcmp(st, "pending") != 0;
		int ok = st && !strcmp(st, "ok");
		json_decref(c);
		if (done)
			return ok ? rtt : -1;
		usleep(500);
	}
	return -1;
}

static void rtt_bench(struct fabric *f, long count, long window, const char *op, const char *vm)
{
	size_t nn = 0;
	char **nodes = reachable_nodes(f, &nn);
	long long *rtt = calloc((size_t)count + 1, sizeof(*rtt));
	char(*ids)[FAB_CMDID_MAX] = calloc((size_t)window + 1, FAB_CMDID_MAX);
	char err[200];
	long done = 0, failed = 0;
	int64_t deadline = fab_mono_ms() + 120000;

	if (!strcmp(vm, "-"))
		vm = NULL;

	for (long base = 0; nn && base < count && fab_mono_ms() < deadline; base += window) {
		long k = count - base < window ? count - base : window;
		for (long i = 0; i < k; i++)
			if (fabric_command(f, nodes[(size_t)(base + i) % nn], op, vm, NULL, 0,
					   ids[i], err, sizeof(err)) != 202)
				ids[i][0] = '\0';
		for (long i = 0; i < k; i++) {
			long long r = ids[i][0] ? wait_outcome(f, ids[i], deadline) : -1;
			if (r < 0)
				failed++;
			else
				rtt[done++] = r;
		}
	}
	qsort(rtt, (size_t)done, sizeof(*rtt), cmp_ll);
	printf("{\"n\":%ld,\"failed\":%ld,\"nodes\":%zu,\"median_ms\":%lld,\"p99_ms\":%lld,"
	       "\"max_ms\":%lld}\n",
	       done, failed, nn, done ? rtt[done / 2] : -1, done ? rtt[(done * 99) / 100] : -1,
	       done ? rtt[done - 1] : -1);
	for (size_t i = 0; i < nn; i++)
		free(nodes[i]);
	free(nodes);
	free(rtt);
	free(ids);
}

/* {"nodes","reachable","ms"}: ms = time to build the full node list. */
static void count_nodes(struct fabric *f)
{
	int64_t t0 = fab_mono_ms();
	json_t *nodes = fabric_nodes_json(f), *n;
	int64_t ms = fab_mono_ms() - t0;
	size_t i, up = 0;

	json_array_foreach(nodes, i, n)
	{
		up += json_is_true(json_object_get(n, "reachable"));
	}
	printf("{\"nodes\":%zu,\"reachable\":%zu,\"ms\":%lld}\n", json_array_size(nodes), up,
	       (long long)ms);
	json_decref(nodes);
}

static void do_cmd(struct fabric *f, char *rest, int deploy)
{
	char id[FAB_CMDID_MAX] = "", err[256] = "";
	char *node = strtok(rest, " "), *a = strtok(NULL, " "), *b = strtok(NULL, " ");
	char *c = strtok(NULL, "\n");
	int rc;

	if (!node || !a) {
		printf("400 usage\n");
		return;
	}
	if (deploy) {
		size_t len = 0;
		char *img = b ? slurp(b, &len) : NULL;
		rc = img ? fabric_deploy(f, node, a, img, len, NULL, 0, c, id, err, sizeof(err))
			 : 400;
		if (!img)
			snprintf(err, sizeof(err), "cannot read image");
		free(img);
	} else {
		char *ttl = c ? strstr(c, "ttl=") : NULL;
		rc = fabric_command(f, node, a, b && strcmp(b, "-") ? b : NULL, NULL,
				    ttl ? atoi(ttl + 4) : 0, id, err, sizeof(err));
	}
	printf("%d %s\n", rc, rc == 202 ? id : err);
}

static void serve(struct fabric *f)
{
	char line[4096];

	while (fgets(line, sizeof(line), stdin)) {
		char *nl = strchr(line, '\n'), *arg;
		long n1, n2;
		char op[16], vm[64];

		if (nl)
			*nl = '\0';
		arg = strchr(line, ' ');
		arg = arg ? arg + 1 : line + strlen(line);
		if (!strcmp(line, "quit"))
			break;
		else if (!strcmp(line, "nodes"))
			print_json(fabric_nodes_json(f));
		else if (!strncmp(line, "node ", 5))
			print_json(fabric_node_json(f, arg));
		else if (!strcmp(line, "events"))
			print_json(fabric_events_json(f));
		else if (!strncmp(line, "get ", 4))
			print_json(fabric_command_json(f, arg));
		else if (!strcmp(line, "count"))
			count_nodes(f);
		else if (!strcmp(line, "connected"))
			printf("%d\n", fabric_connected(f));
		else if (!strncmp(line, "cmd ", 4))
			do_cmd(f, arg, 0);
		else if (!strncmp(line, "deploy ", 7))
			do_cmd(f, arg, 1);
		else if (sscanf(line, "rtt %ld %ld %15s %63s", &n1, &n2, op, vm) == 4 && n1 > 0 &&
			 n1 <= 100000 && n2 > 0 && n2 <= 10000)
			rtt_bench(f, n1, n2, op, vm);
		else
			printf("400 unknown request\n");
		fflush(stdout);
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"broker", 1, 0, 'b'},	   {"ca", 1, 0, 'a'},	{"cert", 1, 0, 'c'},
		{"key", 1, 0, 'k'},	   {"keys", 1, 0, 'K'}, {"images", 1, 0, 'i'},
		{"image-bind", 1, 0, 'B'}, {"ttl", 1, 0, 't'},	{"period", 1, 0, 'p'},
		{"image-url", 1, 0, 'U'},  {0, 0, 0, 0}};
	struct fabric_cfg cfg = {.quiet = 1};
	static char host[256];
	char err[256], *colon;
	struct fabric *f;
	int o;

	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'b':
			snprintf(host, sizeof(host), "%s", optarg);
			colon = strrchr(host, ':');
			if (!colon)
				return 2;
			*colon = '\0';
			cfg.host = host;
			cfg.port = atoi(colon + 1);
			break;
		case 'a': cfg.cafile = optarg; break;
		case 'c': cfg.certfile = optarg; break;
		case 'k': cfg.keyfile = optarg; break;
		case 'K': cfg.keys_dir = optarg; break;
		case 'i': cfg.image_dir = optarg; break;
		case 'B': cfg.image_bind = optarg; break;
		case 'U': cfg.image_url = optarg; break;
		case 't': cfg.ttl_s = atoi(optarg); break;
		case 'p': cfg.period_s = atoi(optarg); break;
		default: return 2;
		}
	}
	if (!cfg.host || !cfg.cafile || !cfg.certfile || !cfg.keyfile || !cfg.keys_dir) {
		fprintf(stderr, "fabric-central: --broker --ca --cert --key --keys are required\n");
		return 2;
	}
	f = fabric_start(&cfg, err, sizeof(err));
	if (!f) {
		fprintf(stderr, "fabric-central: %s\n", err);
		return 1;
	}
	printf("ready image_port=%d\n", fabric_image_port(f));
	fflush(stdout);
	serve(f);
	fabric_stop(f);
	return 0;
}
