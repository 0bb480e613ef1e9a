// SPDX-License-Identifier: GPL-2.0
/*
 * Memory a hypervisor says reads as zero now: mark the free blocks inside
 * it, asking and marking under the same zone->lock hold.  The design is in
 * <linux/page_zeroed_boot.h>.
 */
#define pr_fmt(fmt) "page_zeroed: " fmt

#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/page-isolation.h>
#include <linux/page_zeroed.h>
#include <linux/page_zeroed_boot.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "internal.h"
#include "page_zeroed.h"

static int page_zeroed_range_cmp(const void *a, const void *b)
{
	const struct page_zeroed_pfn_range *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return 0;
}

/* Sort, drop empty ranges, merge overlapping and adjacent ones. */
static unsigned int page_zeroed_merge_ranges(struct page_zeroed_pfn_range *r,
					     unsigned int n)
{
	unsigned int i, out = 0;

	sort(r, n, sizeof(*r), page_zeroed_range_cmp, NULL);
	for (i = 0; i < n; i++) {
		if (r[i].start >= r[i].end)
			continue;
		if (out && r[i].start <= r[out - 1].end) {
			r[out - 1].end = max(r[out - 1].end, r[i].end);
			continue;
		}
		r[out++] = r[i];
	}
	return out;
}

/* Whether [pfn, end) lies wholly inside one of the @n sorted, merged ranges. */
static bool page_zeroed_in_ranges(const struct page_zeroed_pfn_range *r,
				  unsigned int n, u64 pfn, u64 end)
{
	unsigned int lo = 0, hi = n;

	/* The last range that starts at or before pfn */
	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (r[mid].start <= pfn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo && end <= r[lo - 1].end;
}

/* zone->lock held: mark the free blocks of @zone inside the ranges. */
static unsigned long page_zeroed_mark_zone(struct zone *zone,
					   const struct page_zeroed_pfn_range *r,
					   unsigned int n)
{
	unsigned long marked = 0;
	unsigned int order;
	int mt;

	lockdep_assert_held(&zone->lock);
	for (order = 0; order < NR_PAGE_ORDERS; order++) {
		for (mt = 0; mt < MIGRATE_TYPES; mt++) {
			struct list_head *list = &zone->free_area[order].free_list[mt];
			struct page *page;

			/* Isolated blocks are on their way out of the allocator. */
			if (is_migrate_isolate(mt))
				continue;
			list_for_each_entry(page, list, buddy_list) {
				u64 pfn = page_to_pfn(page);

				if (PageZeroed(page) ||
				    !page_zeroed_in_ranges(r, n, pfn, pfn + (1UL << order)))
					continue;
				if (!page_zeroed_claim(order, PAGE_ZEROED_RANGE))
					return marked;
				__SetPageZeroed(page);
				marked += 1UL << order;
			}
		}
	}
	return marked;
}

/**
 * page_zeroed_claim_free - Mark the free blocks a hypervisor says read as zero now
 * @ask: asks the hypervisor (page_zeroed_ask_t): once per populated zone,
 *	with that zone's lock held and interrupts off
 * @ctx: passed to @ask
 *
 * For each populated zone, takes zone->lock, asks, and marks known-zero
 * every free buddy block of the zone that lies wholly inside the ranges of
 * the answer, then drops the lock.  No block can enter or leave the zone's
 * free lists between the answer and the mark, so a marked block was free
 * and unwritten from the moment the hypervisor vouched for it.  Blocks
 * already marked, isolated blocks and memory outside the zone are left
 * alone.  A negative return from @ask ends the claim; what was marked
 * before stays marked.
 *
 * The interrupts-off time per zone is the hypercall plus one walk of the
 * zone's free lists; meant for boot, when they are short.
 *
 * Context: process context; takes each zone's lock in turn.
 * Return: the number of pages marked; 0 without a registered source
 * (page_zeroed_source_get()), in which case @ask is not called.
 */
unsigned long page_zeroed_claim_free(page_zeroed_ask_t ask, void *ctx)
{
	struct page_zeroed_pfn_range *r;
	unsigned long marked = 0;
	struct zone *zone;

	if (!page_zeroed_active())
		return 0;
	r = kmalloc_array(PAGE_ZEROED_CLAIM_MAX_RANGES, sizeof(*r), GFP_KERNEL);
	if (!r) {
		pr_warn("no memory for a zeroed-memory claim: nothing marked\n");
		return 0;
	}

	for_each_populated_zone(zone) {
		unsigned long flags;
		int n;

		spin_lock_irqsave(&zone->lock, flags);
		n = ask(ctx, r, PAGE_ZEROED_CLAIM_MAX_RANGES);
		if (n > 0)
			marked += page_zeroed_mark_zone(zone, r,
				page_zeroed_merge_ranges(r, min_t(unsigned int, n,
								  PAGE_ZEROED_CLAIM_MAX_RANGES)));
		spin_unlock_irqrestore(&zone->lock, flags);
		if (n < 0)
			break;
		cond_resched();
	}
	kfree(r);
	return marked;
}
EXPORT_SYMBOL_GPL(page_zeroed_claim_free);
