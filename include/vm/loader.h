/* Guest image loading.  loader_plan() is pure: it decides where everything
 * goes and rejects images that do not fit, without touching guest memory, so
 * the build tool runs the very same checks on the host before anything boots. */
#ifndef AETHER_VM_LOADER_H
#define AETHER_VM_LOADER_H

#include "types.h"

#define LOADER_MAX_SEGMENTS 8
#define GUEST_DTB_MAX SZ_2M /* arm64 boot protocol limit */

enum image_kind { IMAGE_RAW = 0, IMAGE_LINUX, IMAGE_ELF };

struct load_segment {
	u64 file_off;
	u64 file_size;
	u64 mem_size; /* bytes past file_size are zeroed */
	u64 ipa;
};

struct load_plan {
	enum image_kind kind;
	u32 nr_segments;
	struct load_segment seg[LOADER_MAX_SEGMENTS];
	u64 entry;
	u64 image_end; /* highest IPA used by the kernel, incl. BSS */
	u64 dtb_ipa;
	u64 initrd_ipa; /* 0 when there is no initrd */
	u64 initrd_size;
	u64 initial_sp; /* SP_EL1 at entry: below the initrd and the DTB */
};

/* Returns 0, or -E_INVAL with *err naming the problem. */
int loader_plan(const u8 *img, u64 img_size, u64 initrd_size, u64 dtb_size, u64 ram_ipa,
		u64 ram_size, struct load_plan *plan, const char **err);
const char *image_kind_name(enum image_kind k);

#endif
