/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Known-zero free pages: the contract between the page allocator and the
 * frontends (balloon drivers, boot/hot-add code) that can vouch for it.
 *
 * What "zeroed" means
 *   A free block (the head page of a buddy or per-cpu free list entry) with
 *   PG_zeroed set reads as zero in all of its 1 << order pages, and keeps
 *   doing so until the page allocator hands it out.  When that allocation
 *   asked for zeroed memory (__GFP_ZERO or init_on_alloc), post_alloc_hook()
 *   skips clearing it.  Memory tags (__GFP_ZEROTAGS) are still cleared: the
 *   host knows nothing about them.
 *
 * Who may set it
 *   Only the core (mm/page_zeroed.c and its hooks), on behalf of a frontend
 *   that holds a source reference (page_zeroed_source_get()):
 *   - page reporting: a device registered with host_zeroes_pages sets bit i
 *     of page_reporting_dev_info::zeroed_bitmap in its report() callback
 *     when the host guarantees that scatterlist entry i reads as zero until
 *     the guest writes it.  The core clears the bitmap before every call and
 *     ignores it when report() fails and beyond the nents it was called with.
 *   - put_page_zeroed(), folio_put_zeroed() (and free_frozen_pages_zeroed()
 *     inside mm/): the caller guarantees the pages it frees read as zero
 *     (balloon deflate).  If another reference is still held when the caller
 *     drops its own, the claim is dropped with it.
 *   - boot-zeroed and hot-added memory (<linux/page_zeroed_boot.h>): only
 *     as the pages enter the allocator, or for free blocks asked about and
 *     marked under one zone->lock hold (page_zeroed_claim_free()); a free
 *     block is never marked after the fact (it may have changed meanwhile).
 *   A claim is only recorded while a source is registered, page poisoning
 *   is off (poisoning rewrites free pages with a pattern) and the guest is
 *   not confidential (the host is not trusted with its memory).
 *
 * When it is cleared
 *   - on allocation: the allocator consumes it under the lock that protects
 *     the free list it takes the page from, before the PAGE_FLAGS_CHECK_AT_PREP
 *     check, and passes it on to post_alloc_hook();
 *   - when a free block merges with a buddy that is not zeroed;
 *   - when a free block leaves the free lists for any other reason
 *     (isolation for compaction, page reporting, alloc_contig, offlining);
 *   - by __free_pages_prepare(), so the flag can never be left over from an
 *     earlier owner of the page;
 *   Unregistering the last source stops new claims but keeps the marks:
 *   they stay true (nobody writes a free page), and the static key stays on
 *   so the allocator keeps taking them off what it hands out.
 *   - when a hibernation image has been restored: the image holds the
 *     memmap but not the free pages, whose contents the restoring kernel
 *     changed; create_image() calls page_zeroed_hibernation_restored()
 *     before anything can allocate.  A frontend must not keep a hint on a
 *     page it holds across hibernation either (virtio_balloon empties the
 *     balloon in freeze()).
 *   Splitting a zeroed block (expand(), split_large_buddy(), claiming a
 *   pageblock) keeps it on every part.  Per-cpu lists keep it too, so that
 *   order-0 and THP allocations, which are served from them, benefit.
 *
 * The flag
 *   PG_zeroed aliases PG_private, in the same way PG_reported aliases
 *   PG_uptodate: PG_private only has a meaning for pages that are in use,
 *   PG_zeroed only for free ones, and the hand-over points above clear it.
 *   /proc/kpageflags shows it as "private" on free pages.
 *
 * Locking
 *   PG_zeroed is set non-atomically under zone->lock, and taken off a
 *   block atomically (when set) under the lock of the list the block is
 *   on.  memory_failure() sets PG_hwpoison under zone->lock, so neither a
 *   buddy-list update nor a per-cpu-list take can lose it.
 *   A balloon driver may keep PG_zeroed with the atomic helpers
 *   (SetPageZeroed(), TestClearPageZeroed()) on pages it holds (PageOffline)
 *   and must clear it before freeing them otherwise than with
 *   put_page_zeroed().
 *
 * Verify mode (CONFIG_PAGE_REPORTING_ZEROED_VERIFY, page_zeroed.verify=)
 *   Every claim that makes the allocator skip zeroing is checked first; a
 *   page that holds data is counted (zeroed_verify_failed), reported once
 *   and cleared anyway, so no caller ever gets a non-zero page from a wrong
 *   claim.
 *
 * Counters (/proc/vmstat, in pages)
 *   zeroed_marked_report, zeroed_marked_deflate, zeroed_marked_range,
 *   zeroed_consumed (zeroing skipped), zeroed_invalidated (claim dropped
 *   by merge, isolation or hibernation restore),
 *   zeroed_verify_failed, zeroed_rejected (malformed claims refused:
 *   oversized used length, bits past a request, ranges that wrap; counted
 *   per claim, not in pages).
 */
#ifndef _LINUX_PAGE_ZEROED_H
#define _LINUX_PAGE_ZEROED_H

#include <linux/errno.h>
#include <linux/mm.h>

/**
 * enum page_zeroed_source - who vouched for a known-zero free page
 * @PAGE_ZEROED_REPORT: the host discarded a reported free page
 * @PAGE_ZEROED_DEFLATE: a page freed by free_frozen_pages_zeroed() and
 *	friends, e.g. a page the host returned on balloon deflate
 * @PAGE_ZEROED_RANGE: boot-zeroed or hot-added memory
 * @NR_PAGE_ZEROED_SOURCES: the number of sources, not a source
 */
enum page_zeroed_source {
	PAGE_ZEROED_REPORT,
	PAGE_ZEROED_DEFLATE,
	PAGE_ZEROED_RANGE,
	NR_PAGE_ZEROED_SOURCES
};

#ifdef CONFIG_PAGE_REPORTING_ZEROED
int page_zeroed_source_get(void);
void page_zeroed_source_put(void);
bool page_zeroed_active(void);
void folio_put_zeroed(struct folio *folio);
void put_page_zeroed(struct page *page);
void page_zeroed_reject(unsigned long nr);
void page_zeroed_hibernation_restored(void);
#else
static inline int page_zeroed_source_get(void)
{
	return -EOPNOTSUPP;
}

static inline void page_zeroed_source_put(void)
{
}

static inline bool page_zeroed_active(void)
{
	return false;
}

static inline void folio_put_zeroed(struct folio *folio)
{
	folio_put(folio);
}

static inline void put_page_zeroed(struct page *page)
{
	put_page(page);
}

static inline void page_zeroed_reject(unsigned long nr)
{
}

static inline void page_zeroed_hibernation_restored(void)
{
}
#endif /* CONFIG_PAGE_REPORTING_ZEROED */
#endif /* _LINUX_PAGE_ZEROED_H */
