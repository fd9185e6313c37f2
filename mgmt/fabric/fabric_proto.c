/* Shared fabric conventions: see fabric_proto.h. */
#include "fabric_proto.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

int fab_node_id_valid(const char *id)
{
	size_t n = id ? strlen(id) : 0;

	if (n == 0 || n >= FAB_ID_MAX || id[0] == '-' || strcmp(id, FAB_CENTRAL) == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = id[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return 0;
	}
	return 1;
}

int fab_cmd_id_valid(const char *id)
{
	size_t n = id ? strlen(id) : 0;

	if (n == 0 || n >= FAB_CMDID_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = id[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return 0;
	}
	return 1;
}

void fab_topic(char *buf, size_t n, const char *node, const char *leaf)
{
	snprintf(buf, n, "%s/%s/%s", FAB_ROOT, node, leaf);
}

int fab_topic_node(const char *topic, const char *leaf, char node[FAB_ID_MAX])
{
	size_t root = strlen(FAB_ROOT), ll = strlen(leaf);
	const char *p, *slash;

	if (strncmp(topic, FAB_ROOT "/", root + 1) != 0)
		return 0;
	p = topic + root + 1;
	slash = strchr(p, '/');
	if (!slash || (size_t)(slash - p) >= FAB_ID_MAX)
		return 0;
	if (strncmp(slash + 1, leaf, ll) != 0 || slash[1 + ll] != '\0')
		return 0;
	memcpy(node, p, (size_t)(slash - p));
	node[slash - p] = '\0';
	return fab_node_id_valid(node);
}

int fab_key_load(const char *path, uint8_t key[FAB_KEY_BYTES], char *err, size_t errlen)
{
	char buf[FAB_KEY_BYTES * 2 + 8] = {0};
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return 0;
	}
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	if (n != FAB_KEY_BYTES * 2 || !fab_unhex(buf, key, FAB_KEY_BYTES)) {
		snprintf(err, errlen, "%s: not a %d-byte hex key", path, FAB_KEY_BYTES);
		return 0;
	}
	return 1;
}

void fab_hex(const uint8_t *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int fab_unhex(const char *hex, uint8_t *out, size_t n)
{
	if (!hex || strlen(hex) != 2 * n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return 0;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 1;
}

void fab_hmac_hex(const uint8_t key[FAB_KEY_BYTES], const void *data, size_t len,
		  char out[FAB_MAC_HEX + 1])
{
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;

	HMAC(EVP_sha256(), key, FAB_KEY_BYTES, data, len, md, &mdlen);
	fab_hex(md, 32, out);
}

int fab_hmac_check(const uint8_t key[FAB_KEY_BYTES], const void *data, size_t len, const char *mac)
{
	uint8_t want[32], md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;

	if (!fab_unhex(mac, want, sizeof(want)))
		return 0;
	if (!HMAC(EVP_sha256(), key, FAB_KEY_BYTES, data, len, md, &mdlen) || mdlen != 32)
		return 0;
	return CRYPTO_memcmp(want, md, 32) == 0;
}

void fab_sha256(const void *data, size_t len, uint8_t out[32])
{
	unsigned n = 0;

	EVP_Digest(data, len, out, &n, EVP_sha256(), NULL);
}

int fab_random_hex(char *out, size_t nbytes)
{
	uint8_t buf[64];

	if (nbytes > sizeof(buf) || RAND_bytes(buf, (int)nbytes) != 1)
		return 0;
	fab_hex(buf, nbytes, out);
	return 1;
}

static int64_t clock_ms(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t fab_now_ms(void)
{
	return clock_ms(CLOCK_REALTIME);
}

int64_t fab_mono_ms(void)
{
	return clock_ms(CLOCK_MONOTONIC);
}

static const char *const op_names[] = {
	[FAB_OP_LIST] = "list", [FAB_OP_START] = "start",     [FAB_OP_STOP] = "stop",
	[FAB_OP_KILL] = "kill", [FAB_OP_RESTART] = "restart", [FAB_OP_DEPLOY] = "deploy",
};

enum fab_op fab_op_parse(const char *name)
{
	for (unsigned i = 1; name && i < sizeof(op_names) / sizeof(op_names[0]); i++)
		if (strcmp(name, op_names[i]) == 0)
			return (enum fab_op)i;
	return FAB_OP_NONE;
}

const char *fab_op_name(enum fab_op op)
{
	if (op <= FAB_OP_NONE || op > FAB_OP_DEPLOY)
		return "none";
	return op_names[op];
}

uint32_t fab_op_mgmt(enum fab_op op)
{
	switch (op) {
	case FAB_OP_START: return MGMT_OP_VM_START;
	case FAB_OP_STOP: return MGMT_OP_VM_STOP;
	case FAB_OP_KILL: return MGMT_OP_VM_KILL;
	case FAB_OP_RESTART: return MGMT_OP_VM_RESTART;
	default: return 0;
	}
}

/* The same mapping as the local API (aetherd_http_status): a remote call
 * answers what the local one would have. */
int fab_http_status(int st)
{
	switch (st) {
	case MGMT_OK: return 200;
	case MGMT_E_INVAL:
	case MGMT_E_DIGEST:
	case MGMT_E_IMAGE: return 400;
	case MGMT_E_NOVM: return 404;
	case MGMT_E_STATE:
	case MGMT_E_PERM: return 409;
	case MGMT_E_TOOBIG: return 413;
	case MGMT_E_NOTSUP: return 501;
	default: return 502;
	}
}

const char *fab_status_name(int st)
{
	switch (st) {
	case MGMT_OK: return "ok";
	case MGMT_E_INVAL: return "invalid";
	case MGMT_E_NOVM: return "no-vm";
	case MGMT_E_STATE: return "bad-state";
	case MGMT_E_TOOBIG: return "too-big";
	case MGMT_E_DIGEST: return "digest-mismatch";
	case MGMT_E_IMAGE: return "bad-image";
	case MGMT_E_PERM: return "forbidden";
	case MGMT_E_NOTSUP: return "not-supported";
	default: return "error";
	}
}

const char *fab_state_name(uint32_t state)
{
	switch (state) {
	case MGMT_VM_EMPTY: return "empty";
	case MGMT_VM_RUNNING: return "running";
	case MGMT_VM_STOPPED: return "stopped";
	case MGMT_VM_CRASHED: return "crashed";
	case MGMT_VM_RESTARTING: return "restarting";
	default: return "unknown";
	}
}

json_t *fab_vm_json(const struct mgmt_vm_info *vm)
{
	char name[MGMT_NAME_MAX];

	memcpy(name, vm->name, sizeof(name));
	name[sizeof(name) - 1] = '\0';
	return json_pack("{s:I, s:s, s:s, s:b, s:b, s:I, s:I, s:I, s:I, s:I}", "id",
			 (json_int_t)vm->id, "name", name, "state", fab_state_name(vm->state),
			 "management", (vm->flags & MGMT_VMF_MANAGEMENT) != 0, "slot",
			 (vm->flags & MGMT_VMF_SLOT) != 0, "vcpus", (json_int_t)vm->nr_vcpus,
			 "memory_bytes", (json_int_t)vm->memory_bytes, "uptime_ns",
			 (json_int_t)vm->uptime_ns, "restarts", (json_int_t)vm->restarts,
			 "image_bytes", (json_int_t)vm->image_bytes);
}

json_t *fab_stats_json(const struct mgmt_vm_stats *st)
{
	uint64_t exits = 0, run = 0;

	for (unsigned i = 0; i < MGMT_EXIT_KINDS; i++)
		exits += st->exits[i];
	for (unsigned i = 0; i < st->nr_vcpus && i < MGMT_MAX_VCPUS; i++)
		run += st->vcpu_run_ns[i];
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "id", (json_int_t)st->id, "exits",
			 (json_int_t)exits, "stage2_faults", (json_int_t)st->stage2_faults,
			 "irqs_injected", (json_int_t)st->irqs_injected, "run_ns", (json_int_t)run,
			 "restarts", (json_int_t)st->restarts, "console_bytes",
			 (json_int_t)st->console_bytes);
}

json_t *fab_node_info_json(const struct mgmt_node_info *ni)
{
	char version[sizeof(ni->version) + 1] = {0};

	memcpy(version, ni->version, sizeof(ni->version));
	return json_pack("{s:I, s:I, s:I, s:I, s:s}", "cpus", (json_int_t)ni->cpus, "memory_bytes",
			 (json_int_t)ni->memory_bytes, "free_bytes", (json_int_t)ni->free_bytes,
			 "uptime_ns", (json_int_t)ni->uptime_ns, "version", version);
}
