HOST_TESTS += console
test_console_SRCS := tests/host/test_console.c lib/log.c lib/ratelimit.c lib/print.c
test_console_CFLAGS := -Dvsnprintf=aether_vsnprintf -Dsnprintf=aether_snprintf
