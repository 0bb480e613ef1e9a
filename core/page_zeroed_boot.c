// SPDX-License-Identifier: GPL-2.0
/*
 * Pages the allocator has not handed out since boot, so that a
 * hypervisor's list of boot-zeroed ranges can be trusted without a race.
 * The design is in <linux/page_zeroed_boot.h>.
 */
#define pr_fmt(fmt) "page_zeroed: " fmt

#include <linux/bitmap.h>
#include <linux/memblock.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/page_zeroed.h>
#include <linux/page_zeroed_boot.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include "internal.h"
#include "page_alloc.h"
#include "page_zeroed.h"

/**
 * struct page_zeroed_boot_tracker - pages never handed out since tracking began
 * @start_pfn: first page frame covered, a multiple of BITS_PER_LONG
 * @end_pfn: one past the last page frame covered
 * @untouched: bit n set while @start_pfn + n was not handed out
 * @bytes: size of @untouched
 * @from_memblock: @untouched is whole pages from memblock, not from slab
 */
struct page_zeroed_boot_tracker {
	unsigned long start_pfn;
	unsigned long end_pfn;
	unsigned long *untouched;
	size_t bytes;
	bool from_memblock;
};

DEFINE_STATIC_KEY_FALSE(page_zeroed_boot_key);

/* Readers: the allocation hook (RCU) and the claim (the mutex). */
static struct page_zeroed_boot_tracker __rcu *page_zeroed_boot_active;
static DEFINE_MUTEX(page_zeroed_boot_mutex);
static struct page_zeroed_boot_tracker page_zeroed_boot;
static bool page_zeroed_boot_requested __initdata;

/**
 * page_zeroed_boot_track_request - Ask for boot-time tracking of untouched pages
 *
 * For platform code that will later learn which memory was zero at boot
 * (e.g. Hyper-V with extended hypercalls).  Must be called before
 * mm_core_init(); page_zeroed_boot_track_stop() ends the tracking.
 */
void __init page_zeroed_boot_track_request(void)
{
	page_zeroed_boot_requested = true;
}

/*
 * mm_core_init(), right before memblock_free_all() and after every other
 * memblock allocation of mm_core_init(): what memblock still calls free is
 * exactly what is about to enter the allocator without the kernel having
 * written it.  The bitmap's own pages are allocated first, so they are not
 * counted.
 */
void __init page_zeroed_boot_track_init(void)
{
	struct page_zeroed_boot_tracker *t = &page_zeroed_boot;
	phys_addr_t start, end;
	unsigned long nr = 0;
	u64 i;

	if (!page_zeroed_boot_requested || page_poisoning_enabled_static())
		return;

	t->start_pfn = 0;
	t->end_pfn = PFN_DOWN(memblock_end_of_DRAM());
	t->bytes = PAGE_ALIGN(BITS_TO_LONGS(t->end_pfn) * sizeof(long));
	t->untouched = memblock_alloc(t->bytes, PAGE_SIZE);
	if (!t->untouched) {
		pr_warn("no memory to track untouched boot memory; boot-zeroed memory will not be used\n");
		return;
	}
	t->from_memblock = true;

	for_each_free_mem_range(i, NUMA_NO_NODE, MEMBLOCK_NONE, &start, &end, NULL) {
		unsigned long s = PFN_UP(start);
		unsigned long e = min(PFN_DOWN(end), t->end_pfn);

		if (s < e) {
			bitmap_set(t->untouched, s, e - s);
			nr += e - s;
		}
	}
	rcu_assign_pointer(page_zeroed_boot_active, t);
	static_branch_enable(&page_zeroed_boot_key);
	pr_info("tracking %lu pages the allocator has not handed out since boot\n", nr);
}

/**
 * page_zeroed_boot_track_start - Start tracking untouched pages of a range now
 * @start_pfn: first page frame
 * @nr_pages: number of page frames
 *
 * As page_zeroed_boot_track_init() does at boot, for a range: from now on
 * every page of it the allocator hands out loses its bit.  Meant for tests,
 * which play "boot" on a range they own; the caller vouches that the pages
 * of the range that are free, or that it frees without writing them, read
 * as what they read now.
 *
 * Context: process context, may sleep.
 * Return: 0, -EBUSY while another tracking is active, -EINVAL for a range
 * that wraps, -ENOMEM.
 */
int page_zeroed_boot_track_start(unsigned long start_pfn, unsigned long nr_pages)
{
	struct page_zeroed_boot_tracker *t;
	unsigned long end;
	int err = 0;

	if (!nr_pages || check_add_overflow(start_pfn, nr_pages, &end))
		return -EINVAL;
	t = kzalloc_obj(*t);
	if (!t)
		return -ENOMEM;
	t->start_pfn = ALIGN_DOWN(start_pfn, BITS_PER_LONG);
	t->end_pfn = end;
	t->untouched = bitmap_zalloc(end - t->start_pfn, GFP_KERNEL);
	if (!t->untouched) {
		kfree(t);
		return -ENOMEM;
	}
	t->bytes = BITS_TO_LONGS(end - t->start_pfn) * sizeof(long);
	bitmap_set(t->untouched, start_pfn - t->start_pfn, nr_pages);

	mutex_lock(&page_zeroed_boot_mutex);
	if (rcu_access_pointer(page_zeroed_boot_active)) {
		err = -EBUSY;
	} else {
		rcu_assign_pointer(page_zeroed_boot_active, t);
		static_branch_enable(&page_zeroed_boot_key);
	}
	mutex_unlock(&page_zeroed_boot_mutex);
	if (err) {
		bitmap_free(t->untouched);
		kfree(t);
	}
	return err;
}
EXPORT_SYMBOL_GPL(page_zeroed_boot_track_start);

/**
 * page_zeroed_boot_tracking - Whether untouched pages are being tracked
 *
 * Return: true between page_zeroed_boot_track_init() (when it was
 * requested) or page_zeroed_boot_track_start() and
 * page_zeroed_boot_track_stop().
 */
bool page_zeroed_boot_tracking(void)
{
	return rcu_access_pointer(page_zeroed_boot_active);
}
EXPORT_SYMBOL_GPL(page_zeroed_boot_tracking);

/*
 * post_alloc_hook(), before the caller can write the block.  Any context,
 * NMI included (alloc_pages_nolock()).  Bits of other blocks can share a
 * word, so partial words are cleared atomically; a whole word belongs to
 * this block alone.
 */
void __page_zeroed_boot_alloc(struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(page), end = pfn + (1UL << order);
	struct page_zeroed_boot_tracker *t;
	unsigned long i, last;

	rcu_read_lock();
	t = rcu_dereference(page_zeroed_boot_active);
	if (!t || pfn >= t->end_pfn || end <= t->start_pfn)
		goto out;
	i = max(pfn, t->start_pfn) - t->start_pfn;
	last = min(end, t->end_pfn) - t->start_pfn;
	while (i < last) {
		if (IS_ALIGNED(i, BITS_PER_LONG) && last - i >= BITS_PER_LONG) {
			WRITE_ONCE(t->untouched[i / BITS_PER_LONG], 0);
			i += BITS_PER_LONG;
		} else {
			clear_bit(i, t->untouched);
			i++;
		}
	}
out:
	rcu_read_unlock();
}

static bool page_zeroed_boot_untouched(struct page_zeroed_boot_tracker *t,
				       unsigned long pfn, unsigned int order)
{
	unsigned long off = pfn - t->start_pfn, end = off + (1UL << order);

	return find_next_zero_bit(t->untouched, end, off) >= end;
}

/**
 * page_zeroed_boot_claim - Mark the untouched free blocks of a zeroed range
 * @start_pfn: first page frame of a range the hypervisor says reads as zero
 * @nr_pages: number of page frames
 *
 * Marks known-zero every free buddy block that lies wholly inside the range
 * and none of whose pages was handed out since tracking began.  Such a
 * block was not written since the hypervisor's answer, so the answer still
 * holds.  Parts of the range without memory, or outside the tracked
 * memory, are skipped; ranges may overlap.  The test and the mark happen
 * under zone->lock, so a block allocated concurrently is either still free
 * (and its mark is consumed by that allocation) or not on the lists.
 *
 * Context: process context; takes zone->lock.
 * Return: the number of pages marked; 0 without tracking or without a
 * registered source (page_zeroed_source_get()).
 */
unsigned long page_zeroed_boot_claim(unsigned long start_pfn,
				     unsigned long nr_pages)
{
	struct page_zeroed_boot_tracker *t;
	unsigned long pfn, end, marked = 0;

	if (check_add_overflow(start_pfn, nr_pages, &end)) {
		page_zeroed_reject(1);
		pr_warn_ratelimited("%ps: boot-zeroed range pfn %#lx + %#lx wraps: ignored\n",
				    __builtin_return_address(0), start_pfn, nr_pages);
		return 0;
	}

	mutex_lock(&page_zeroed_boot_mutex);
	t = rcu_dereference_protected(page_zeroed_boot_active,
				      lockdep_is_held(&page_zeroed_boot_mutex));
	if (!t || !page_zeroed_active())
		goto out;
	pfn = max(start_pfn, t->start_pfn);
	end = min(end, t->end_pfn);

	while (pfn < end) {
		/* Lock one MAX_PAGE_ORDER chunk at a time. */
		unsigned long stop = min(end, ALIGN(pfn + 1, MAX_ORDER_NR_PAGES));
		struct page *page = pfn_to_online_page(pfn);
		unsigned long flags;
		struct zone *zone;

		if (!page) {
			pfn++;
			continue;
		}
		zone = page_zone(page);
		spin_lock_irqsave(&zone->lock, flags);
		for (; pfn < stop; pfn++) {
			unsigned int order;

			page = pfn_to_online_page(pfn);
			if (!page || page_zone(page) != zone || !PageBuddy(page))
				continue;
			order = buddy_order(page);
			if (pfn + (1UL << order) <= end && !PageZeroed(page) &&
			    page_zeroed_boot_untouched(t, pfn, order) &&
			    page_zeroed_claim(order, PAGE_ZEROED_RANGE)) {
				__SetPageZeroed(page);
				marked += 1UL << order;
			}
			pfn += (1UL << order) - 1;
		}
		spin_unlock_irqrestore(&zone->lock, flags);
		cond_resched();
	}
out:
	mutex_unlock(&page_zeroed_boot_mutex);
	return marked;
}
EXPORT_SYMBOL_GPL(page_zeroed_boot_claim);

/**
 * page_zeroed_boot_track_stop - End the tracking of untouched pages
 *
 * Turns the allocation hook off and frees the bitmap.  Call it once the
 * hypervisor's answer was claimed, or when there will be none.
 *
 * Context: process context, may sleep.
 */
void page_zeroed_boot_track_stop(void)
{
	struct page_zeroed_boot_tracker *t;

	mutex_lock(&page_zeroed_boot_mutex);
	t = rcu_replace_pointer(page_zeroed_boot_active, NULL,
				lockdep_is_held(&page_zeroed_boot_mutex));
	if (t)
		static_branch_disable(&page_zeroed_boot_key);
	mutex_unlock(&page_zeroed_boot_mutex);
	if (!t)
		return;

	/* The allocation hook reads the bitmap under RCU. */
	synchronize_rcu();
	if (t->from_memblock) {
		free_reserved_area(t->untouched, (void *)t->untouched + t->bytes,
				   -1, NULL);
		t->untouched = NULL;
		return;
	}
	bitmap_free(t->untouched);
	kfree(t);
}
EXPORT_SYMBOL_GPL(page_zeroed_boot_track_stop);
