/*
 * Kernel object memory: power-of-two size classes from 32 to 2048 bytes carved
 * from pages (slabs), and whole pages above that.  A slab page goes back to the
 * page allocator as soon as its last object is freed, so the free-page count
 * returns exactly to where it was when everything is freed.  Big kernel lock held.
 */
#ifndef KALLOC_H
#define KALLOC_H
#include "kernel.h"

void *kzalloc(size_t size);   /* zeroed; NULL when out of memory or size > PAGE_SIZE */
void kfree(void *p);          /* NULL is ignored */
uint64_t kalloc_live(void);   /* objects currently allocated */
#endif
