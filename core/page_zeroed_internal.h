/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hooks of the known-zero page tracking for the page allocator and page
 * reporting.  The contract is in <linux/page_zeroed.h>; everything here is
 * for mm/ only.
 */
#ifndef _MM_PAGE_ZEROED_H
#define _MM_PAGE_ZEROED_H

#include <linux/bitmap.h>
#include <linux/jump_label.h>
#include <linux/mm.h>
#include <linux/page_reporting.h>
#include <linux/page_zeroed.h>
#include <linux/scatterlist.h>
#include <linux/vmstat.h>

#ifdef CONFIG_PAGE_REPORTING_ZEROED
DECLARE_STATIC_KEY_FALSE(page_zeroed_key);

/*
 * True once a source has ever registered (the key never goes off again):
 * gates every hook.  page_zeroed_active() says whether claims are taken.
 */
static inline bool page_zeroed_enabled(void)
{
	return static_branch_unlikely(&page_zeroed_key);
}

bool page_zeroed_claim(unsigned int order, enum page_zeroed_source source);
bool page_zeroed_get_verify(void);
void page_zeroed_set_verify(bool on);
bool page_zeroed_consume(struct page *page, unsigned int order);
void free_frozen_pages_zeroed(struct page *page, unsigned int order);
#if IS_ENABLED(CONFIG_KUNIT)
bool page_zeroed_confidential(void);
unsigned long page_zeroed_forget_free(void);
#endif

/*
 * post_alloc_hook(): a block of 1 << @order pages is to be cleared, known
 * zero or not.  Counted once a source has ever registered (no cost before),
 * so that zeroed_consumed / zeroed_requested is the share of clearing the
 * host spared, overall and for order-0 allocations.
 */
static inline void page_zeroed_count_request(unsigned int order)
{
	if (!page_zeroed_enabled())
		return;
	count_vm_events(ZEROED_REQUESTED, 1UL << order);
	if (!order)
		count_vm_event(ZEROED_REQUESTED_ORDER0);
}

/**
 * page_zeroed_take - Take the known-zero mark off a free block
 * @page: head of a free block, under the lock of the list it is (was) on
 *
 * Atomic when the block is marked: a per-cpu list page is taken under the
 * pcp lock only, while memory_failure() sets PG_hwpoison under zone->lock,
 * and a non-atomic clear could lose that bit.
 *
 * Return: true if the block was marked.
 */
static inline bool page_zeroed_take(struct page *page)
{
	if (!page_zeroed_enabled() || !PageZeroed(page))
		return false;
	return TestClearPageZeroed(page);
}

/* Mark a free block (or a part split off one) whose pages read as zero. */
static inline void page_zeroed_set(struct page *page, bool zeroed)
{
	if (zeroed)
		__SetPageZeroed(page);
}

/* Take the mark off a block leaving the free lists for good; count it. */
static inline void page_zeroed_drop(struct page *page, unsigned int order)
{
	if (page_zeroed_take(page))
		count_vm_events(ZEROED_INVALIDATED, 1UL << order);
}

/*
 * __free_one_page(): whether the block being freed reads as zero, because
 * it carries the mark (per-cpu list drain, split) or its freer said so.
 */
static inline bool page_zeroed_free_begin(struct page *page,
					  unsigned int order, bool claimed)
{
	if (page_zeroed_take(page))
		return true;
	return page_zeroed_enabled() && claimed &&
	       page_zeroed_claim(order, PAGE_ZEROED_DEFLATE);
}

/* __free_one_page(): a merged block is zero only if both halves are. */
static inline bool page_zeroed_merge(bool zeroed, struct page *buddy,
				     unsigned int order)
{
	bool buddy_zeroed;

	if (!page_zeroed_enabled())
		return false;
	buddy_zeroed = PageZeroed(buddy);
	if (zeroed != buddy_zeroed)
		count_vm_events(ZEROED_INVALIDATED, 1UL << order);
	return zeroed && buddy_zeroed;
}

int page_zeroed_reporting_register(struct page_reporting_dev_info *prdev);
void page_zeroed_reporting_unregister(struct page_reporting_dev_info *prdev);
void page_zeroed_report_verify(struct page_reporting_dev_info *prdev,
			       struct scatterlist *sgl, unsigned int nents);

/* Before report(): no stale bit may carry over from an earlier batch. */
static inline void page_zeroed_report_begin(struct page_reporting_dev_info *prdev)
{
	if (prdev->zeroed_bitmap)
		bitmap_zero(prdev->zeroed_bitmap, prdev->capacity);
}

/*
 * page_reporting_drain(): mark entry @index before it goes back to the free
 * lists if the device vouched for it, so that merging keeps the mark only
 * where the buddy is zero too.  Called under zone->lock.
 */
static inline void page_zeroed_report_mark(struct page_reporting_dev_info *prdev,
					   struct page *page, unsigned int order,
					   unsigned int index)
{
	if (prdev->zeroed_bitmap && test_bit(index, prdev->zeroed_bitmap) &&
	    page_zeroed_claim(order, PAGE_ZEROED_REPORT))
		__SetPageZeroed(page);
}
#else /* CONFIG_PAGE_REPORTING_ZEROED */
static inline bool page_zeroed_enabled(void)
{
	return false;
}

static inline bool page_zeroed_consume(struct page *page, unsigned int order)
{
	return false;
}

static inline void page_zeroed_count_request(unsigned int order)
{
}

static inline bool page_zeroed_take(struct page *page)
{
	return false;
}

static inline void page_zeroed_set(struct page *page, bool zeroed)
{
}

static inline void page_zeroed_drop(struct page *page, unsigned int order)
{
}

static inline bool page_zeroed_free_begin(struct page *page,
					  unsigned int order, bool claimed)
{
	return false;
}

static inline bool page_zeroed_merge(bool zeroed, struct page *buddy,
				     unsigned int order)
{
	return false;
}

static inline int
page_zeroed_reporting_register(struct page_reporting_dev_info *prdev)
{
	return 0;
}

static inline void
page_zeroed_reporting_unregister(struct page_reporting_dev_info *prdev)
{
}

static inline void page_zeroed_report_verify(struct page_reporting_dev_info *prdev,
					     struct scatterlist *sgl,
					     unsigned int nents)
{
}

static inline void page_zeroed_report_begin(struct page_reporting_dev_info *prdev)
{
}

static inline void page_zeroed_report_mark(struct page_reporting_dev_info *prdev,
					   struct page *page, unsigned int order,
					   unsigned int index)
{
}
#endif /* CONFIG_PAGE_REPORTING_ZEROED */
#endif /* _MM_PAGE_ZEROED_H */
