/* The node table (lock held): provisioned workers, what their retained
 * status and telemetry last said, and when they were last heard from.
 *
 * A worker is provisioned when <keys_dir>/<id>.hmac exists: the table is
 * filled from that directory at start, and a status from a worker added
 * later loads its key then.  Messages from unprovisioned identities are
 * ignored (they could not be commanded anyway).
 *
 * reachable = the last status said "online" (the broker publishes the
 * worker's last will "offline" when its connection dies) and something
 * was heard within 3 telemetry periods (+ 5 s). */
#include "fabric_int.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>

static uint32_t hash_id(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	while (*s)
		h = (h ^ (uint8_t)*s++) * 16777619u;
	return h;
}

struct fab_node *fab_node_find(struct fabric *f, const char *id)
{
	for (uint32_t i = hash_id(id) % FAB_HASH, k = 0; k < FAB_HASH;
	     k++, i = (i + 1) % FAB_HASH) {
		int32_t v = f->hash[i];
		if (v == 0)
			return NULL;
		if (strcmp(f->nodes[v - 1].id, id) == 0)
			return &f->nodes[v - 1];
	}
	return NULL;
}

static struct fab_node *node_add(struct fabric *f, const char *id)
{
	char path[700], err[200];
	struct fab_node *n;
	uint32_t i;

	if (f->nr_nodes >= FAB_MAX_NODES || !fab_node_id_valid(id))
		return NULL;
	n = &f->nodes[f->nr_nodes];
	memset(n, 0, sizeof(*n));
	snprintf(path, sizeof(path), "%s/%s.hmac", f->keys_dir, id);
	if (!fab_key_load(path, n->key, err, sizeof(err)))
		return NULL;
	snprintf(n->id, sizeof(n->id), "%s", id);
	n->vms = json_array();
	for (i = hash_id(id) % FAB_HASH; f->hash[i]; i = (i + 1) % FAB_HASH)
		;
	f->hash[i] = (int32_t)++f->nr_nodes;
	return n;
}

struct fab_node *fab_node_get(struct fabric *f, const char *id)
{
	struct fab_node *n = fab_node_find(f, id);

	return n ? n : node_add(f, id);
}

void fab_nodes_load(struct fabric *f)
{
	DIR *d = opendir(f->keys_dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		char id[FAB_ID_MAX];
		size_t len = strlen(e->d_name);
		if (len < 6 || len - 5 >= FAB_ID_MAX || strcmp(e->d_name + len - 5, ".hmac") != 0)
			continue;
		memcpy(id, e->d_name, len - 5);
		id[len - 5] = '\0';
		if (!fab_node_find(f, id))
			node_add(f, id);
	}
	closedir(d);
}

static void seen(struct fab_node *n)
{
	n->last_seen = fab_mono_ms();
	n->last_seen_wall = fab_now_ms();
}

/* Keeps only the fields the API shows, so a worker cannot make the table
 * hold arbitrary documents. */
static json_t *vms_from(json_t *arr)
{
	json_t *out = json_array(), *vm;
	size_t i;

	json_array_foreach(arr, i, vm)
	{
		if (i >= 64 || !json_is_object(vm) || !json_is_string(json_object_get(vm, "name")))
			continue;
		json_array_append(out, vm);
	}
	return out;
}

/* A status carries no stats: keep each VM's last telemetry figures. */
static void keep_stats(json_t *vms, json_t *old)
{
	json_t *v, *o;
	size_t i, j;

	json_array_foreach(vms, i, v)
	{
		json_array_foreach(old, j, o)
		{
			if (json_equal(json_object_get(v, "name"), json_object_get(o, "name")) &&
			    json_object_get(o, "stats") && !json_object_get(v, "stats"))
				json_object_set(v, "stats", json_object_get(o, "stats"));
		}
	}
}

void fab_on_status(struct fabric *f, struct fab_node *n, json_t *doc)
{
	const char *state = json_string_value(json_object_get(doc, "state"));
	json_t *vms = json_object_get(doc, "vms"), *info = json_object_get(doc, "info");

	if (!state)
		return;
	n->online = strcmp(state, "online") == 0;
	if (n->online)
		seen(n);
	if (json_is_array(vms)) {
		json_t *fresh = vms_from(vms);
		keep_stats(fresh, n->vms);
		json_decref(n->vms);
		n->vms = fresh;
	}
	if (json_is_object(info)) {
		json_decref(n->info);
		n->info = json_incref(info);
	}
}

void fab_on_telemetry(struct fabric *f, struct fab_node *n, json_t *doc)
{
	json_t *vms = json_object_get(doc, "vms");

	seen(n);
	if (json_is_array(vms)) {
		json_decref(n->vms);
		n->vms = vms_from(vms);
	}
}

bool fab_node_reachable(struct fabric *f, const struct fab_node *n, int64_t now)
{
	int64_t window = (int64_t)f->cfg.period_s * 3000 + 5000;

	return n->online && n->last_seen && now - n->last_seen <= window;
}

json_t *fab_node_doc(struct fabric *f, const struct fab_node *n, int64_t now)
{
	json_t *d = json_pack("{s:s, s:b, s:s, s:O}", "node", n->id, "reachable",
			      fab_node_reachable(f, n, now), "state",
			      n->last_seen ? (n->online ? "online" : "offline") : "never-seen",
			      "vms", n->vms);

	json_object_set_new(d, "last_seen_ms",
			    n->last_seen ? json_integer(n->last_seen_wall) : json_null());
	json_object_set_new(d, "last_seen_ago_ms",
			    n->last_seen ? json_integer(now - n->last_seen) : json_null());
	json_object_set_new(d, "info", n->info ? json_incref(n->info) : json_null());
	return d;
}
