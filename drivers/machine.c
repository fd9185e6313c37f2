/* The machine as its DTB described it: filled once by boot/platform.c
 * before anything else runs, then only read. */
#include "platform_info.h"

struct platform_info plat;
