/* Sv39 page tables: see include/vm.h. */
#include "vm.h"
#include "pmm.h"

paddr_t kernel_root;

static inline uint64_t *table(paddr_t pa) { return (uint64_t *)PA2KVA(pa); }
static inline bool is_leaf(uint64_t pte) { return (pte & (PTE_R | PTE_W | PTE_X)) != 0; }
static inline bool is_lazy(uint64_t pte) { return (pte & PTE_USED) == PTE_LAZY; }

/*
 * Whether any of the 8 entries at e has a bit of mask: the table walks of
 * teardown and clone skip empty stretches 8 entries at a time (a small
 * program's address space is a few entries in 2000).  Right after a group
 * whose last entry is used they do not ask (a dense table pays nothing).
 */
static inline bool any8(const uint64_t *e, uint64_t mask)
{
	return ((e[0] | e[1] | e[2] | e[3] | e[4] | e[5] | e[6] | e[7]) & mask) != 0;
}

bool vm_user_range_ok(vaddr_t va, uint64_t len)
{
	return va >= USER_VA_MIN && len <= USER_VA_MAX && va <= USER_VA_MAX - len;
}

bool vm_user_access_ok(paddr_t root, vaddr_t va, int prot)
{
	uint64_t *pte;
	if (va < USER_VA_MIN || va >= USER_VA_MAX)
		return false;
	pte = vm_walk(root, va, false);
	if (!pte || (*pte & (PTE_V | PTE_U)) != (PTE_V | PTE_U))
		return false;
	return (!(prot & PROT_R) || (*pte & PTE_R)) && (!(prot & PROT_W) || (*pte & PTE_W)) &&
	       (!(prot & PROT_X) || (*pte & PTE_X));
}

uint64_t vm_prot_flags(int prot)
{
	uint64_t f = PTE_V | PTE_U | PTE_A;
	if (prot & PROT_R)
		f |= PTE_R;
	if (prot & PROT_W)
		f |= PTE_W | PTE_R | PTE_D;
	if (prot & PROT_X)
		f |= PTE_X;
	return f;
}

paddr_t vm_new_root(void)
{
	paddr_t root = pmm_alloc_dirty();
	if (!root)
		return 0;
	/* the user half empty, the kernel half the kernel's */
	memset(table(root), 0, 256 * sizeof(uint64_t));
	if (kernel_root)
		memcpy(table(root) + 256, table(kernel_root) + 256, 256 * sizeof(uint64_t));
	else
		memset(table(root) + 256, 0, 256 * sizeof(uint64_t));
	return root;
}

uint64_t *vm_walk(paddr_t root, vaddr_t va, bool alloc)
{
	uint64_t *t = table(root);
	for (int lvl = 2; lvl > 0; lvl--) {
		uint64_t *pte = &t[VPN(va, lvl)];
		if (*pte & PTE_V) {
			if (is_leaf(*pte))
				return NULL;    /* superpage: never in user space */
		} else {
			paddr_t pa;
			if (!alloc || !(pa = pmm_alloc()))
				return NULL;
			*pte = PA_PTE(pa) | PTE_V;
		}
		t = table(PTE_PA(*pte));
	}
	return &t[VPN(va, 0)];
}

int vm_map(paddr_t root, vaddr_t va, paddr_t pa, uint64_t flags)
{
	uint64_t *pte = vm_walk(root, va, true);
	if (!pte)
		return -E_NOMEM;
	if (*pte & PTE_USED)
		return -E_BUSY;
	if (pmm_is_ram(pa))
		pmm_ref(pa);
	*pte = PA_PTE(pa) | flags;
	return 0;
}

static void drop_leaf(uint64_t *pte)
{
	paddr_t pa = PTE_PA(*pte);
	if (pmm_is_ram(pa))
		pmm_unref(pa);
	*pte = 0;
}

/*
 * The leaf entry for va if its leaf table exists; otherwise NULL, and *next
 * is where the next table could begin (the next 2 MiB, or the next 1 GiB when
 * the middle table is missing too).  Range operations walk with it, so an
 * empty stretch costs one step per missing table, not one per page.
 */
static uint64_t *leaf_or_skip(paddr_t root, vaddr_t va, vaddr_t *next)
{
	uint64_t e2 = table(root)[VPN(va, 2)], e1;

	if (!(e2 & PTE_V) || is_leaf(e2)) {
		*next = ROUND_DOWN(va, 1ul << 30) + (1ul << 30);
		return NULL;
	}
	e1 = table(PTE_PA(e2))[VPN(va, 1)];
	if (!(e1 & PTE_V) || is_leaf(e1)) {
		*next = ROUND_DOWN(va, 1ul << 21) + (1ul << 21);
		return NULL;
	}
	return &table(PTE_PA(e1))[VPN(va, 0)];
}

/*
 * fn on every leaf entry of [va, va+len) whose leaf table exists, a table's
 * worth at a time (a missing table skips its 2 MiB, or 1 GiB, at a step);
 * stops at the first call that returns true and says whether one did.
 * Inline: each caller gets its own loop with fn in it.
 */
static inline bool each_entry(paddr_t root, vaddr_t va, uint64_t len, bool (*fn)(uint64_t *pte, int prot), int prot)
{
	for (vaddr_t a = va, next = 0; a < va + len;) {
		uint64_t *pte = leaf_or_skip(root, a, &next);
		if (!pte) {
			a = next;
			continue;
		}
		do {
			if (fn(pte++, prot))
				return true;
			a += PAGE_SIZE;
		} while (a < va + len && VPN(a, 0) != 0);
	}
	return false;
}

static bool unmap_one(uint64_t *pte, int prot)
{
	(void)prot;
	if (*pte & PTE_V)
		drop_leaf(pte);
	else
		*pte = 0;               /* a demand-zero page: no frame yet */
	return false;
}

int vm_unmap(paddr_t root, vaddr_t va, uint64_t len)
{
	each_entry(root, va, len, unmap_one, 0);
	return 0;
}

/* the entry pte with what prot allows (a demand-zero one stays so) */
static bool protect_one(uint64_t *pte, int prot)
{
	uint64_t f;
	if (is_lazy(*pte))
		*pte = (vm_prot_flags(prot) & ~PTE_V) | PTE_LAZY;
	if (!(*pte & PTE_V))
		return false;
	f = vm_prot_flags(prot) | (*pte & PTE_SHARED);
	/* a private page someone else also maps must copy on its first write */
	if ((prot & PROT_W) && !(f & PTE_SHARED) && pmm_refcount(PTE_PA(*pte)) > 1)
		f = (f & ~(PTE_W | PTE_D)) | PTE_COW;
	*pte = (*pte & ~0x3fful) | f;
	return false;
}

void vm_protect(paddr_t root, vaddr_t va, uint64_t len, int prot)
{
	each_entry(root, va, len, protect_one, prot);
}

static bool used(uint64_t *pte, int prot)
{
	(void)prot;
	return (*pte & PTE_USED) != 0;
}

int vm_map_anon(paddr_t root, vaddr_t va, uint64_t len, int prot)
{
	uint64_t flags = vm_prot_flags(prot);
	vaddr_t a;
	int err = 0;

	for (a = va; a < va + len; a += PAGE_SIZE) {
		uint64_t *pte = vm_walk(root, a, false);
		if (pte && (*pte & PTE_USED))
			return -E_BUSY;
	}
	for (a = va; a < va + len; a += PAGE_SIZE) {
		paddr_t pa = pmm_alloc();
		if (!pa) {
			err = -E_NOMEM;
			break;
		}
		err = vm_map(root, a, pa, flags);
		pmm_unref(pa);          /* the mapping holds the only reference */
		if (err)
			break;
	}
	if (err)
		vm_unmap(root, va, a - va);
	return err;
}

/*
 * Demand-zero: only the entries, the frames come on first touch
 * (vm_resolve_lazy, fault_in_user).  Tables may be allocated here: when one
 * cannot be, nothing stays mapped (the tables made so far stay, empty, until
 * the address space goes, as with vm_map).
 */
int vm_map_lazy(paddr_t root, vaddr_t va, uint64_t len, int prot)
{
	uint64_t lazy = (vm_prot_flags(prot) & ~PTE_V) | PTE_LAZY;
	vaddr_t a;

	if (each_entry(root, va, len, used, 0))
		return -E_BUSY;
	for (a = va; a < va + len; ) {
		uint64_t *pte = vm_walk(root, a, true);
		if (!pte) {
			vm_unmap(root, va, a - va);
			return -E_NOMEM;
		}
		/* the rest of this leaf table without walking again */
		do {
			*pte++ = lazy;
			a += PAGE_SIZE;
		} while (a < va + len && VPN(a, 0) != 0);
	}
	return 0;
}

/* the frame for the demand-zero entry *pte: zeroed, or not when the caller overwrites it all */
static int populate(uint64_t *pte, bool zero)
{
	paddr_t pa = zero ? pmm_alloc() : pmm_alloc_dirty();
	if (!pa)
		return -E_NOMEM;
	*pte = PA_PTE(pa) | (*pte & 0x3ff) | PTE_V;
	return 0;
}

int vm_resolve_lazy(paddr_t root, vaddr_t va, int access)
{
	uint64_t *pte;
	if (va < USER_VA_MIN || va >= USER_VA_MAX)
		return -E_FAULT;
	pte = vm_walk(root, va, false);
	if (!pte || !is_lazy(*pte) || ((access & PROT_W) && !(*pte & PTE_W)) ||
	    ((access & PROT_X) && !(*pte & PTE_X)) || ((access & PROT_R) && !(*pte & PTE_R)))
		return -E_FAULT;
	return populate(pte, true);
}

static void free_level(paddr_t t, int lvl)
{
	uint64_t *e = table(t);
	bool dense = false;
	for (int g = 0; g < 512; g += 8) {
		if (!dense && !any8(&e[g], PTE_V))
			continue;
		dense = (e[g + 7] & PTE_V) != 0;
		for (int i = g; i < g + 8; i++) {
			if (!(e[i] & PTE_V))
				continue;
			if (lvl == 0)
				drop_leaf(&e[i]);
			else
				free_level(PTE_PA(e[i]), lvl - 1);
		}
	}
	pmm_unref(t);
}

bool vm_free_some(paddr_t root, int budget)
{
	uint64_t *e2 = table(root);
	for (int i = 0; i < 256; i++) {
		uint64_t *e1;
		if (!(i & 7) && !any8(&e2[i], PTE_V)) {
			i += 7;
			continue;
		}
		if (!(e2[i] & PTE_V))
			continue;
		e1 = table(PTE_PA(e2[i]));
		for (int j = 0; j < 512; j++) {
			if (!(j & 7) && !any8(&e1[j], PTE_V)) {
				j += 7;
				continue;
			}
			if (!(e1[j] & PTE_V))
				continue;
			if (budget-- <= 0)
				return false;           /* the entries freed so far are cleared: resume here */
			free_level(PTE_PA(e1[j]), 0);
			e1[j] = 0;
		}
		pmm_unref(PTE_PA(e2[i]));
		e2[i] = 0;
	}
	pmm_unref(root);
	return true;
}

void vm_free_root(paddr_t root)
{
	vm_free_some(root, INT32_MAX);
}

/* the entries of one leaf table s0 (covering the 2 MiB at va) into dst */
static int clone_leaf_table(paddr_t dst, uint64_t *s0, vaddr_t va)
{
	uint64_t *d0 = NULL;
	bool dense = false;

	for (int g = 0; g < 512; g += 8) {
		if (!dense && !any8(&s0[g], PTE_USED))
			continue;
		dense = (s0[g + 7] & PTE_USED) != 0;
		for (int k = g; k < g + 8; k++) {
			uint64_t pte = s0[k];
			if (!(pte & PTE_V)) {
				if (!(pte & PTE_LAZY))
					continue;
				/* demand-zero: each side gets its own frame later */
				if (!d0 && !(d0 = vm_walk(dst, va, true)))
					return -E_NOMEM;
				d0[k] = pte;
				continue;
			}
			if (!d0 && !(d0 = vm_walk(dst, va, true)))
				return -E_NOMEM;
			if ((pte & PTE_W) && !(pte & PTE_SHARED)) {
				pte = (pte & ~(PTE_W | PTE_D)) | PTE_COW;
				s0[k] = pte;
			}
			if (pmm_is_ram(PTE_PA(pte)))
				pmm_ref(PTE_PA(pte));
			d0[k] = pte;
		}
	}
	return 0;
}

/*
 * Clone the user half of src into the empty dst.  Private writable pages
 * become read-only + COW in both; shared pages stay shared and writable.
 * Cost grows with the number of mapped pages, never with their bytes.
 */
int vm_clone_cow(paddr_t dst, paddr_t src)
{
	uint64_t *s2 = table(src);
	for (int i = 0; i < 256; i++) {
		if (!(i & 7) && !any8(&s2[i], PTE_V)) {
			i += 7;
			continue;
		}
		if (!(s2[i] & PTE_V))
			continue;
		uint64_t *s1 = table(PTE_PA(s2[i]));
		for (int j = 0; j < 512; j++) {
			int err;
			if (!(j & 7) && !any8(&s1[j], PTE_V)) {
				j += 7;
				continue;
			}
			if (!(s1[j] & PTE_V))
				continue;
			err = clone_leaf_table(dst, table(PTE_PA(s1[j])), ((vaddr_t)i << 30) | ((vaddr_t)j << 21));
			if (err)
				return err;
		}
	}
	return 0;
}

int vm_resolve_cow(paddr_t root, vaddr_t va)
{
	uint64_t *pte = vm_walk(root, ROUND_DOWN(va, PAGE_SIZE), false);
	paddr_t old, copy;

	if (!pte || !(*pte & PTE_V) || !(*pte & PTE_COW))
		return -E_FAULT;
	old = PTE_PA(*pte);
	if (pmm_refcount(old) == 1) {
		/* last sharer: take the page over */
		*pte = (*pte & ~PTE_COW) | PTE_W | PTE_D;
		return 0;
	}
	copy = pmm_alloc_dirty();       /* overwritten whole just below */
	if (!copy)
		return -E_NOMEM;
	memcpy(PA2KVA(copy), PA2KVA(old), PAGE_SIZE);
	*pte = PA_PTE(copy) | ((*pte & 0x3ff & ~PTE_COW) | PTE_W | PTE_D);
	pmm_unref(old);
	return 1;
}

/*
 * Fault in user byte va for the kernel as the user's own access (write or
 * read) would, and give its kernel address in *p: a write to a COW page
 * copies it first, a demand-zero page gets its frame (not zeroed if full:
 * the caller overwrites the whole page at once).  -E_FAULT if the access is
 * not allowed, -E_NOMEM if no frame is free.
 */
static int fault_in_user(paddr_t root, vaddr_t va, bool write, bool full, char **p)
{
	uint64_t *pte;
	int err;

	if (va < USER_VA_MIN || va >= USER_VA_MAX)
		return -E_FAULT;
	pte = vm_walk(root, va, false);
	if (!pte)
		return -E_FAULT;
	/* the usual case first: present, user, readable, and writable if need be */
	if ((*pte & (PTE_V | PTE_U | PTE_R)) == (PTE_V | PTE_U | PTE_R) && (!write || (*pte & PTE_W))) {
		*p = (char *)PA2KVA(PTE_PA(*pte)) + (va & PAGE_MASK);
		return 0;
	}
	if (!(*pte & PTE_U) || !(*pte & PTE_R))
		return -E_FAULT;
	if (is_lazy(*pte)) {
		if (write && !(*pte & PTE_W))
			return -E_FAULT;
		if ((err = populate(pte, !(write && full))))
			return err;
	} else if (!(*pte & PTE_V)) {
		return -E_FAULT;
	} else if (write && !(*pte & PTE_W)) {
		if (!(*pte & PTE_COW))
			return -E_FAULT;
		if ((err = vm_resolve_cow(root, va)) < 0)
			return err;
		if (err)
			vm_flush_root(root);     /* other harts may still map the old frame */
		/* taken over in place: a stale read-only entry anywhere only faults once more */
	}
	*p = (char *)PA2KVA(PTE_PA(*pte)) + (va & PAGE_MASK);
	return 0;
}

int copy_from_user(paddr_t root, void *dst, vaddr_t src, uint64_t len)
{
	char *d = dst;
	while (len) {
		uint64_t n = MIN(len, PAGE_SIZE - (src & PAGE_MASK));
		char *s;
		int err = fault_in_user(root, src, false, false, &s);
		if (err)
			return err;
		memcpy(d, s, n);
		d += n;
		src += n;
		len -= n;
	}
	return 0;
}

int copy_to_user(paddr_t root, vaddr_t dst, const void *src, uint64_t len)
{
	const char *s = src;
	while (len) {
		uint64_t n = MIN(len, PAGE_SIZE - (dst & PAGE_MASK));
		char *d;
		int err = fault_in_user(root, dst, true, n == PAGE_SIZE, &d);
		if (err)
			return err;
		memcpy(d, s, n);
		d += n;
		dst += n;
		s += n;
		len -= n;
	}
	return 0;
}

/*
 * Page by page of the destination, each from at most two source pieces,
 * which are found first: a destination page taken unzeroed is always
 * overwritten whole.
 */
int copy_user_to_user(paddr_t droot, vaddr_t dst, paddr_t sroot, vaddr_t src, uint64_t len)
{
	while (len) {
		uint64_t n = MIN(len, PAGE_SIZE - (dst & PAGE_MASK));
		uint64_t n1 = MIN(n, PAGE_SIZE - (src & PAGE_MASK));
		char *s1, *s2 = NULL, *d;
		int err = fault_in_user(sroot, src, false, false, &s1);
		if (!err && n1 < n)
			err = fault_in_user(sroot, src + n1, false, false, &s2);
		if (!err)
			err = fault_in_user(droot, dst, true, n == PAGE_SIZE, &d);
		if (err)
			return err;
		memcpy(d, s1, n1);
		if (n1 < n)
			memcpy(d + n1, s2, n - n1);
		src += n;
		dst += n;
		len -= n;
	}
	return 0;
}
