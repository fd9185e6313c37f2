/* The real transport: the mailbox of include/aether_mgmt_abi.h reached
 * through /dev/mem in the management VM.
 *
 * Debian's kernel maps /dev/mem ranges as Device memory, and the
 * hypervisor's MMIO emulation refuses load/store pair and SIMD accesses,
 * so every access here is a single aligned 8-byte (window) or 4-byte
 * (doorbell registers) volatile load or store: never memcpy, which glibc
 * implements with pairs and vector registers. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mgmt_transport.h"

struct devmem {
	int fd;
	volatile uint32_t *regs; /* doorbell page */
	volatile uint64_t *win;	 /* window */
};

/* Completes the window stores before the doorbell store traps, and the
 * doorbell before the response is read. */
static inline void barrier_full(void)
{
#if defined(__aarch64__)
	__asm__ volatile("dsb sy" ::: "memory");
#else
	__sync_synchronize();
#endif
}

/* Copies len bytes into the window at a multiple of 8, zero-padding the
 * last word. */
static void win_put(volatile uint64_t *win, size_t off, const void *src, size_t len)
{
	const unsigned char *s = src;
	volatile uint64_t *w = win + off / 8;

	for (size_t i = 0; i < len; i += 8) {
		uint64_t v = 0;

		memcpy(&v, s + i, len - i < 8 ? len - i : 8);
		w[i / 8] = v;
	}
}

static void win_get(const volatile uint64_t *win, size_t off, void *dst, size_t len)
{
	unsigned char *d = dst;
	const volatile uint64_t *w = win + off / 8;

	for (size_t i = 0; i < len; i += 8) {
		uint64_t v = w[i / 8];

		memcpy(d + i, &v, len - i < 8 ? len - i : 8);
	}
}

static int devmem_exchange(struct devmem *d, struct mgmt *m, const struct mgmt_req *req,
			   const void *in, struct mgmt_resp *resp, void *out)
{
	win_put(d->win, MGMT_REQ_OFF, req, sizeof(*req));
	if (req->data_len)
		win_put(d->win, MGMT_DATA_OFF, in, req->data_len);
	barrier_full();
	d->regs[MGMT_REG_DOORBELL / 4] = req->seq; /* the one trap */
	barrier_full();
	win_get(d->win, MGMT_RESP_OFF, resp, sizeof(*resp));
	if (resp->data_len > MGMT_DATA_MAX) {
		snprintf(m->err, sizeof(m->err), "response claims %u bytes", resp->data_len);
		return MGMT_E_INVAL;
	}
	if (resp->data_len)
		win_get(d->win, MGMT_DATA_OFF, out, resp->data_len);
	return 0;
}

/* The mailbox holds one request at a time for the whole VM, but more than
 * one process may use it (aetherd and the fabric agent on a worker): an
 * exclusive flock on /dev/mem itself (one inode for every opener) spans
 * the request, the doorbell and the response, so no process reads another
 * one's response. */
static int devmem_lock(struct devmem *d, int op)
{
	while (flock(d->fd, op))
		if (errno != EINTR)
			return -1;
	return 0;
}

static int devmem_call(struct mgmt *m, const struct mgmt_req *req, const void *in,
		       struct mgmt_resp *resp, void *out)
{
	struct devmem *d = m->priv;
	int ret;

	if (devmem_lock(d, LOCK_EX)) {
		snprintf(m->err, sizeof(m->err), "flock of /dev/mem: %s", strerror(errno));
		return MGMT_E_INVAL;
	}
	ret = devmem_exchange(d, m, req, in, resp, out);
	devmem_lock(d, LOCK_UN);
	return ret;
}

static void devmem_close(struct mgmt *m)
{
	struct devmem *d = m->priv;

	munmap((void *)d->regs, MGMT_DOORBELL_SIZE);
	munmap((void *)d->win, MGMT_WINDOW_SIZE);
	close(d->fd);
	free(d);
}

static const struct mgmt_ops devmem_ops = {.call = devmem_call, .close = devmem_close};

static void *map(int fd, uint64_t pa, size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)pa);

	return p == MAP_FAILED ? NULL : p;
}

/* The device answers with its magic, version and window size, or this is
 * not the management VM. */
static int check_device(struct devmem *d, char *errbuf, size_t errlen)
{
	uint32_t magic = d->regs[MGMT_REG_MAGIC / 4];
	uint32_t ver = d->regs[MGMT_REG_VERSION / 4];
	uint32_t win = d->regs[MGMT_REG_WINDOW / 4];

	if (magic != MGMT_MAGIC || ver != MGMT_VERSION || win != MGMT_WINDOW_SIZE) {
		snprintf(errbuf, errlen,
			 "no management device at 0x%llx (magic 0x%x version %u window 0x%x)",
			 MGMT_DOORBELL_IPA, magic, ver, win);
		return -1;
	}
	return 0;
}

struct mgmt *mgmt_open_devmem(char *errbuf, size_t errlen)
{
	struct devmem *d = calloc(1, sizeof(*d));
	struct mgmt *m;

	if (!d)
		return NULL;
	d->fd = open("/dev/mem", O_RDWR | O_SYNC | O_CLOEXEC);
	if (d->fd < 0) {
		snprintf(errbuf, errlen, "/dev/mem: %s", strerror(errno));
		free(d);
		return NULL;
	}
	d->regs = map(d->fd, MGMT_DOORBELL_IPA, MGMT_DOORBELL_SIZE);
	d->win = map(d->fd, MGMT_WINDOW_IPA, MGMT_WINDOW_SIZE);
	if (!d->regs || !d->win || check_device(d, errbuf, errlen) < 0) {
		if (!d->regs || !d->win)
			snprintf(errbuf, errlen, "mmap of /dev/mem at 0x%llx/0x%llx: %s",
				 MGMT_DOORBELL_IPA, MGMT_WINDOW_IPA, strerror(errno));
		goto fail;
	}
	m = mgmt_alloc(&devmem_ops, d);
	if (m)
		return m;
	snprintf(errbuf, errlen, "out of memory");
fail:
	if (d->regs)
		munmap((void *)d->regs, MGMT_DOORBELL_SIZE);
	if (d->win)
		munmap((void *)d->win, MGMT_WINDOW_SIZE);
	close(d->fd);
	free(d);
	return NULL;
}
