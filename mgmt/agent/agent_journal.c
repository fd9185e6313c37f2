/* The journal of answered commands: see agent_journal.h.
 * File format: one line per entry, "<id> <nonce> <expires_ms> <reply JSON>". */
#include "agent_journal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void entry_set(struct journal_entry *e, const char *id, const char *nonce, int64_t exp,
		      const char *reply)
{
	snprintf(e->id, sizeof(e->id), "%s", id);
	snprintf(e->nonce, sizeof(e->nonce), "%s", nonce);
	e->expires_ms = exp;
	e->reply = strdup(reply);
}

/* Parses one line; 0 if it is not a well-formed, live entry. */
static int parse_line(char *line, int64_t now, struct journal_entry *e)
{
	char *id = strtok(line, " "), *nonce = strtok(NULL, " "), *exp = strtok(NULL, " ");
	char *reply = strtok(NULL, "\n");
	long long x;

	if (!id || !nonce || !exp || !reply || !fab_cmd_id_valid(id) ||
	    strlen(nonce) != FAB_NONCE_HEX)
		return 0;
	x = strtoll(exp, NULL, 10);
	if (x <= now)
		return 0;
	entry_set(e, id, nonce, x, reply);
	return e->reply != NULL;
}

void journal_init(struct journal *j, const char *path, int64_t now)
{
	char line[FAB_CMD_MAX * 2];
	FILE *f;

	j->e = calloc(JOURNAL_MAX, sizeof(*j->e));
	j->n = 0;
	if (!path || !j->e || !(f = fopen(path, "r")))
		return;
	while (j->n < JOURNAL_MAX && fgets(line, sizeof(line), f))
		if (parse_line(line, now, &j->e[j->n]))
			j->n++;
	fclose(f);
}

void journal_free(struct journal *j)
{
	for (unsigned i = 0; i < j->n; i++)
		free(j->e[i].reply);
	free(j->e);
	j->e = NULL;
	j->n = 0;
}

const struct journal_entry *journal_find_id(const struct journal *j, const char *id)
{
	for (unsigned i = 0; i < j->n; i++)
		if (strcmp(j->e[i].id, id) == 0)
			return &j->e[i];
	return NULL;
}

const struct journal_entry *journal_find_nonce(const struct journal *j, const char *nonce)
{
	for (unsigned i = 0; i < j->n; i++)
		if (strcmp(j->e[i].nonce, nonce) == 0)
			return &j->e[i];
	return NULL;
}

int journal_room(struct journal *j, int64_t now)
{
	unsigned out = 0;

	if (!j->e)
		return 0;
	for (unsigned i = 0; i < j->n; i++) {
		if (j->e[i].expires_ms <= now)
			free(j->e[i].reply);
		else
			j->e[out++] = j->e[i];
	}
	j->n = out;
	return j->n < JOURNAL_MAX;
}

/* Write to a temporary file and rename, so a crash leaves the old or the
 * new journal, never half of one. */
static void journal_save(const struct journal *j, const char *path)
{
	char tmp[600];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return;
	for (unsigned i = 0; i < j->n; i++)
		fprintf(f, "%s %s %lld %s\n", j->e[i].id, j->e[i].nonce,
			(long long)j->e[i].expires_ms, j->e[i].reply);
	if (fclose(f) == 0)
		rename(tmp, path);
}

void journal_add(struct journal *j, const char *path, const char *id, const char *nonce,
		 int64_t expires_ms, const char *reply)
{
	if (!j->e || j->n >= JOURNAL_MAX)
		return;
	entry_set(&j->e[j->n], id, nonce, expires_ms, reply);
	if (!j->e[j->n].reply)
		return;
	j->n++;
	if (path)
		journal_save(j, path);
}
