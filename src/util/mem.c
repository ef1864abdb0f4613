/*
 * mem.c — tm_free: the one way a program gives back memory that the library
 * allocated for it (tm_shingle_text's array, ...), so that a program built
 * against another C runtime or allocator frees it in the library's heap.
 */
#include "tamis.h"

#include <stdlib.h>

void tm_free(void *p) {
    free(p);
}
