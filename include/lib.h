/* The few C library routines EL2 needs, implemented in arch/arm64/string.c
 * (GCC may emit calls to memcpy/memset/memmove/memcmp even when freestanding). */
#ifndef AETHER_LIB_H
#define AETHER_LIB_H

#include "types.h"
#include <stdarg.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);

/* Formatted output: %s %c %d %i %u %x %X %p %%, with l/ll/z length,
 * width, '0' padding and '-' alignment.  Returns the length the full
 * output would have had (like C99 snprintf). */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
