/*
 * The big kernel lock: one spin lock, taken at every entry from user mode
 * and dropped on the way out (switch.c), so kernel code runs on one hart at
 * a time.  Holds are short by rule: scripts/lockstat.sh measures the longest.
 */
#include "cpu.h"

static volatile uint32_t big_lock;
static volatile int lock_owner = -1;

#ifdef LOCK_STATS
/*
 * A LOCK_STATS build times every hold with the timebase and remembers the
 * longest and what held it: the trap's scause, and a7 for a kernel call
 * (lock_note, from the trap code); power-off prints it.
 */
static uint64_t lock_max, lock_max_cause, lock_max_a7;
static uint64_t lock_t0, lock_cause, lock_a7;

void lock_note(uint64_t cause, uint64_t a7)
{
	lock_cause = cause;
	lock_a7 = a7;
}

void lock_stats_print(void)
{
	kprintf("lockstat: longest hold %lu ticks of %lu Hz, by scause 0x%lx a7 %ld\n", (unsigned long)lock_max,
		(unsigned long)timebase_hz, (unsigned long)lock_max_cause, (long)lock_max_a7);
}
#endif

void kernel_lock(void)
{
	while (__atomic_exchange_n(&big_lock, 1, __ATOMIC_ACQUIRE))
		while (big_lock)
			;
	lock_owner = this_cpu()->c_id;
#ifdef LOCK_STATS
	lock_t0 = arch_time();
	lock_note(~0ull, ~0ull);         /* not a trap from user mode: boot, or back from idle */
#endif
}

void kernel_unlock(void)
{
#ifdef LOCK_STATS
	uint64_t held = arch_time() - lock_t0;
	if (held > lock_max) {
		lock_max = held;
		lock_max_cause = lock_cause;
		lock_max_a7 = lock_a7;
	}
#endif
	lock_owner = -1;
	__atomic_store_n(&big_lock, 0, __ATOMIC_RELEASE);
}
