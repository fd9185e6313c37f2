/* Per-CPU data: one struct percpu per physical CPU, found through
 * TPIDR_EL2 (this_cpu()). */
#include "arch/percpu.h"

struct percpu percpu_data[MAX_CPUS];
