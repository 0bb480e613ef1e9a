// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for known-zero free page tracking (mm/page_zeroed.c and its
 * hooks in the page allocator and page reporting).
 *
 * Most cases build their own free blocks: a frozen order-6 allocation is
 * cut into four order-4 quarters, and freeing one quarter while its buddy
 * stays allocated gives a free block that cannot merge, whose state the
 * test can read under zone->lock.  Counters are read before and after and
 * compared exactly.
 */
#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <linux/cacheinfo.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/page-isolation.h>
#include <linux/page_reporting.h>
#include <linux/page_zeroed.h>
#include <linux/stop_machine.h>
#include <linux/vmstat.h>

#include "../internal.h"
#include "../page_alloc.h"
#include "../page_reporting.h"
#include "../page_zeroed.h"
#include "page_zeroed_test_frontend.h"

#define PZ_QUARTER	4	/* order of one quarter */
#define PZ_BLOCK	6	/* order of the allocation cut into quarters */
#define PZ_QUARTER_NR	BIT(PZ_QUARTER)
#define PZ_MAX_TRIES	4096

struct pz_ctx {
	struct page *base;	/* PZ_BLOCK frozen allocation */
	bool held[4];		/* quarters still allocated */
	bool source;		/* holds a page_zeroed source reference */
	bool verify;		/* verify setting to restore */
	struct page_zeroed_test_frontend *fe;
	/* for pz_alloc_containing(), allocated before any block is freed */
	struct page **scratch;
};

static unsigned long pz_events(enum vm_event_item item)
{
	unsigned long sum = 0;
	int cpu;

	for_each_online_cpu(cpu)
		sum += per_cpu(vm_event_states.event[item], cpu);
	return sum;
}

static struct page *pz_quarter(struct pz_ctx *ctx, int i)
{
	return ctx->base + i * PZ_QUARTER_NR;
}

static void pz_get_source(struct kunit *test, struct pz_ctx *ctx)
{
	int err = page_zeroed_source_get();

	/* Only poisoning may refuse a source: any other refusal is a bug. */
	if (err == -EOPNOTSUPP && page_poisoning_enabled_static())
		kunit_skip(test, "page poisoning is enabled");
	KUNIT_ASSERT_EQ(test, err, 0);
	ctx->source = true;
}

static void pz_put_source(struct pz_ctx *ctx)
{
	if (ctx->source)
		page_zeroed_source_put();
	ctx->source = false;
}

static bool pz_in_dma_zone(struct page *page)
{
#ifdef CONFIG_ZONE_DMA
	return page_zonenum(page) == ZONE_DMA;
#else
	return false;
#endif
}

/*
 * Allocate an order-6 block and keep its four quarters allocated.  Not from
 * ZONE_DMA: allocations without GFP_DMA would hardly ever hand it out again.
 * Not from a movable pageblock where another can be had: page cache folios
 * (the initramfs is unpacked while KUnit runs) take free movable blocks of
 * the quarters' order before a case can allocate them itself.
 */
static bool pz_block_ok(struct page *page, bool any_migratetype)
{
	return !pz_in_dma_zone(page) &&
	       (any_migratetype ||
		get_pageblock_migratetype(page) != MIGRATE_MOVABLE);
}

static void pz_alloc_quarters(struct kunit *test, struct pz_ctx *ctx)
{
	struct page *page = NULL, *skipped[8];
	int i, n = 0;

	while (n < ARRAY_SIZE(skipped)) {
		page = alloc_frozen_pages(GFP_KERNEL | __GFP_NOWARN, PZ_BLOCK);
		if (!page || pz_block_ok(page, false))
			break;
		skipped[n++] = page;
		page = NULL;
	}
	/* Settle for a movable pageblock rather than for none */
	for (i = 0; !page && i < n; i++) {
		if (pz_block_ok(skipped[i], true)) {
			page = skipped[i];
			skipped[i] = NULL;
		}
	}
	for (i = 0; i < n; i++)
		if (skipped[i])
			free_frozen_pages(skipped[i], PZ_BLOCK);
	if (!page)
		kunit_skip(test, "no order-%d block outside ZONE_DMA", PZ_BLOCK);
	ctx->base = page;
	memset(ctx->held, true, sizeof(ctx->held));
}

/* Give back the quarters still held, so that a case can set up again */
static void pz_release_quarters(struct pz_ctx *ctx)
{
	int i;

	if (!ctx->base)
		return;
	for (i = 0; i < 4; i++)
		if (ctx->held[i])
			free_frozen_pages(pz_quarter(ctx, i), PZ_QUARTER);
	memset(ctx->held, false, sizeof(ctx->held));
	ctx->base = NULL;
}

static void pz_free_quarter(struct pz_ctx *ctx, int i, bool zeroed)
{
	struct page *page = pz_quarter(ctx, i);
	unsigned long n;

	if (zeroed) {
		for (n = 0; n < PZ_QUARTER_NR; n++)
			clear_highpage(page + n);
		free_frozen_pages_zeroed(page, PZ_QUARTER);
	} else {
		free_frozen_pages(page, PZ_QUARTER);
	}
	ctx->held[i] = false;
}

/* Is @page the head of a free buddy block of @order, marked as @zeroed? */
static bool pz_free_block(struct page *page, unsigned int order, bool zeroed)
{
	struct zone *zone = page_zone(page);
	unsigned long flags;
	bool ret;

	spin_lock_irqsave(&zone->lock, flags);
	ret = PageBuddy(page) && buddy_order(page) == order &&
	      !!PageZeroed(page) == zeroed;
	spin_unlock_irqrestore(&zone->lock, flags);
	return ret;
}

static gfp_t pz_gfp_for(struct page *page)
{
	switch (get_pageblock_migratetype(page)) {
	case MIGRATE_MOVABLE:
		return GFP_HIGHUSER_MOVABLE;
	case MIGRATE_RECLAIMABLE:
		return GFP_KERNEL | __GFP_RECLAIMABLE;
	default:
		return GFP_KERNEL;
	}
}

/*
 * Put the free block at @page first on its free list, where the next
 * allocation of its order and migratetype looks first.  Blocks freed with
 * a free higher-order buddy go to the tail, which would make the search
 * below depend on the rest of memory.
 */
static void pz_move_to_head(struct page *page)
{
	struct zone *zone = page_zone(page);
	unsigned long flags;

	spin_lock_irqsave(&zone->lock, flags);
	if (PageBuddy(page)) {
		struct free_area *area = &zone->free_area[buddy_order(page)];

		list_move(&page->buddy_list,
			  &area->free_list[get_pageblock_migratetype(page)]);
	}
	spin_unlock_irqrestore(&zone->lock, flags);
}

/*
 * Allocate blocks of @order from the free list @target is on until the
 * allocator hands out one that contains @target; give the others back.
 */
static struct page *pz_alloc_containing(struct kunit *test, struct page *target,
					unsigned int order, gfp_t extra)
{
	unsigned long pfn = page_to_pfn(target);
	gfp_t gfp = pz_gfp_for(target) | extra | __GFP_NOWARN;
	struct pz_ctx *ctx = test->priv;
	struct page **held = ctx->scratch, *page = NULL;
	int i, n = 0;

	pz_move_to_head(target);
	while (n < PZ_MAX_TRIES) {
		page = alloc_frozen_pages(gfp, order);
		if (!page)
			break;
		if (pfn >= page_to_pfn(page) &&
		    pfn < page_to_pfn(page) + (1UL << order))
			break;
		held[n++] = page;
		page = NULL;
	}
	for (i = 0; i < n; i++)
		free_frozen_pages(held[i], order);
	if (!page)
		kunit_info(test, "pfn %#lx mt %d buddy %d order %u zeroed %d after %d tries\n",
			   pfn, get_pageblock_migratetype(target), PageBuddy(target),
			   PageBuddy(target) ? buddy_order(target) : 0,
			   PageZeroed(target), n);
	return page;
}

static bool pz_reads_zero(struct page *page, unsigned long nr)
{
	unsigned long i;

	for (i = 0; i < nr; i++) {
		void *addr = kmap_local_page(page + i);
		bool zero = !memchr_inv(addr, 0, PAGE_SIZE);

		kunmap_local(addr);
		if (!zero)
			return false;
	}
	return true;
}

/* Cases that count skipped clearing need an allocator that clears at all. */
static void pz_need_clearing_on_alloc(struct kunit *test)
{
	if (want_init_on_free())
		kunit_skip(test, "init_on_free clears pages on free, not on allocation");
}

static bool pz_any_marked(void)
{
	struct zone *zone;
	bool found = false;

	for_each_populated_zone(zone) {
		unsigned long flags;
		unsigned int order;
		struct page *page;
		int mt;

		spin_lock_irqsave(&zone->lock, flags);
		for (order = 0; order < NR_PAGE_ORDERS && !found; order++)
			for (mt = 0; mt < MIGRATE_TYPES && !found; mt++)
				list_for_each_entry(page, &zone->free_area[order].free_list[mt],
						    buddy_list)
					if (PageZeroed(page)) {
						found = true;
						break;
					}
		spin_unlock_irqrestore(&zone->lock, flags);
	}
	return found;
}

static int pz_init(struct kunit *test)
{
	struct pz_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);

	if (!ctx)
		return -ENOMEM;
	/* Allocating this later could split the very block a case set up. */
	ctx->scratch = kunit_kcalloc(test, PZ_MAX_TRIES, sizeof(*ctx->scratch),
				     GFP_KERNEL);
	if (!ctx->scratch)
		return -ENOMEM;
	ctx->verify = page_zeroed_get_verify();
	test->priv = ctx;
	return 0;
}

static void pz_exit(struct kunit *test)
{
	struct pz_ctx *ctx = test->priv;

	if (ctx->fe)
		page_zeroed_test_frontend_unregister(ctx->fe);
	pz_release_quarters(ctx);
	pz_put_source(ctx);
	/*
	 * Marks outlive their source: wipe them so that every case starts
	 * from free lists without marks, as the first one did.
	 */
	if (!page_zeroed_active()) {
		unsigned long flags;

		local_irq_save(flags);
		page_zeroed_forget_free();
		local_irq_restore(flags);
	}
	page_zeroed_set_verify(ctx->verify);
}

/* ---- static key and registration ---- */

/* Nothing has registered yet: the key is off, nothing is marked. */
static void pz_key_off_without_source(struct kunit *test)
{
	if (page_zeroed_enabled())
		kunit_skip(test, "a source registered before the suite ran");
	KUNIT_EXPECT_FALSE(test, page_zeroed_active());
	KUNIT_EXPECT_FALSE(test, pz_any_marked());
}

/* The key goes on with the first source and stays on; claims follow sources. */
static void pz_source_toggles_claims(struct kunit *test)
{
	struct pz_ctx *ctx = test->priv;

	if (page_zeroed_active())
		kunit_skip(test, "a frontend is registered");
	pz_get_source(test, ctx);
	KUNIT_EXPECT_TRUE(test, page_zeroed_enabled());
	KUNIT_EXPECT_TRUE(test, page_zeroed_active());
	pz_put_source(ctx);
	KUNIT_EXPECT_TRUE(test, page_zeroed_enabled());
	KUNIT_EXPECT_FALSE(test, page_zeroed_active());
}

static void pz_source_is_counted(struct kunit *test)
{
	struct pz_ctx *ctx = test->priv;

	if (page_zeroed_active())
		kunit_skip(test, "a frontend is registered");
	pz_get_source(test, ctx);
	KUNIT_ASSERT_EQ(test, page_zeroed_source_get(), 0);
	page_zeroed_source_put();
	KUNIT_EXPECT_TRUE(test, page_zeroed_active());
	pz_put_source(ctx);
	KUNIT_EXPECT_FALSE(test, page_zeroed_active());
}

static void pz_poisoning_refuses_source(struct kunit *test)
{
	if (!page_poisoning_enabled_static())
		kunit_skip(test, "page poisoning is off (page_poison=1)");
	KUNIT_EXPECT_EQ(test, page_zeroed_source_get(), -EOPNOTSUPP);
	KUNIT_EXPECT_FALSE(test, page_zeroed_active());
}

static void pz_no_source_marks_nothing(struct kunit *test)
{
	struct pz_ctx *ctx = test->priv;
	unsigned long deflate = pz_events(ZEROED_MARKED_DEFLATE);

	if (page_zeroed_active())
		kunit_skip(test, "a frontend is registered");
	pz_alloc_quarters(test, ctx);
	pz_free_quarter(ctx, 0, true);
	KUNIT_EXPECT_TRUE(test, pz_free_block(pz_quarter(ctx, 0), PZ_QUARTER, false));
	KUNIT_EXPECT_EQ(test, pz_events(ZEROED_MARKED_DEFLATE), deflate);
}

static void pz_vmstat_names(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, vm_event_name(ZEROED_MARKED_REPORT), "zeroed_marked_report");
	KUNIT_EXPECT_STREQ(test, vm_event_name(ZEROED_MARKED_DEFLATE), "zeroed_marked_deflate");
	KUNIT_EXPECT_STREQ(test, vm_event_name(ZEROED_MARKED_RANGE), "zeroed_marked_range");
	KUNIT_EXPECT_STREQ(test, vm_event_name(ZEROED_REQUESTED), "zeroed_requested");
	KUNIT_EXPECT_STREQ(test, vm_event_name(ZEROED_REQUESTED_ORDER0),
			   "zeroed_requested_order0");
	KUNIT_EXPECT_STREQ(test, vm_event_name(ZEROED_CONSUMED), "zeroed_consumed");
	KUNIT_EXPECT_STREQ(test, vm_event_name(ZEROED_CONSUMED_ORDER0),
			   "zeroed_consumed_order0");
	KUNIT_EXPECT_STREQ(test, vm_event_name(ZEROED_INVALIDATED), "zeroed_invalidated");
	KUNIT_EXPECT_STREQ(test, vm_event_name(ZEROED_VERIFY_FAILED), "zeroed_verify_failed");
	KUNIT_EXPECT_STREQ(test, vm_event_name(ZEROED_REJECTED), "zeroed_rejected");
	/* The per-source counters follow enum page_zeroed_source */
	KUNIT_EXPECT_EQ(test, ZEROED_MARKED_REPORT + PAGE_ZEROED_RANGE, ZEROED_MARKED_RANGE);
}

/* ---- set: FPI_ZEROED frees and merging ---- */

static void pz_deflate_marks_block(struct kunit *test)
{
	struct pz_ctx *ctx = test->priv;
	unsigned long deflate;

	pz_get_source(test, ctx);
	pz_alloc_quarters(test, ctx);
	deflate = pz_events(ZEROED_MARKED_DEFLATE);
	pz_free_quarter(ctx, 0, true);
	KUNIT_EXPECT_TRUE(test, pz_free_block(pz_quarter(ctx, 0), PZ_QUARTER, true));
	KUNIT_EXPECT_EQ(test, pz_events(ZEROED_MARKED_DEFLATE) - deflate, PZ_QUARTER_NR);
}

static void pz_merge_both_zeroed(struct kunit *test)
{
	struct pz_ctx *ctx = test->priv;
	unsigned long lost;

	pz_get_source(test, ctx);
	pz_alloc_quarters(test, ctx);
	lost = pz_events(ZEROED_INVALIDATED);
	pz_free_quarter(ctx, 1, true);
	pz_free_quarter(ctx, 0, true);
	KUNIT_EXPECT_TRUE(test, pz_free_block(pz_quarter(ctx, 0), PZ_QUARTER + 1, true));
	KUNIT_EXPECT_FALSE(test, PageZeroed(pz_quarter(ctx, 1)));
	KUNIT_EXPECT_EQ(test, pz_events(ZEROED_INVALIDATED), lost);
}

static void pz_merge_with_dirty_buddy(struct kunit *test)
{
	struct pz_ctx *ctx = test->priv;
	unsigned long lost;

	pz_get_source(test, ctx);
	pz_alloc_quarters(test, ctx);
	lost = pz_events(ZEROED_INVALIDATED);
	pz_free_quarter(ctx, 0, true);
	pz_free_quarter(ctx, 1, false);
	KUNIT_EXPECT_TRUE(test, pz_free_block(pz_quarter(ctx, 0), PZ_QUARTER + 1, false));
	KUNIT_EXPECT_EQ(test, pz_events(ZEROED_INVALIDATED) - lost, PZ_QUARTER_NR);
}

static void pz_merge_into_dirty_buddy(struct kunit *test)
{
	struct pz_ctx *ctx = test->priv;
	unsigned long lost;

	pz_get_source(test, ctx);
	pz_alloc_quarters(test, ctx);
	lost = pz_events(ZEROED_INVALIDATED);
	pz_free_quarter(ctx, 0, false);
	pz_free_quarter(ctx, 1, true);
	KUNIT_EXPECT_TRUE(test, pz_free_block(pz_quarter(ctx, 0), PZ_QUARTER + 1, false));
	KUNIT_EXPECT_FALSE(test, PageZeroed(pz_quarter(ctx, 1)));
	KUNIT_EXPECT_EQ(test, pz_events(ZEROED_INVALIDATED) - lost, PZ_QUARTER_NR);
}

static void pz_folio_put_zeroed_marks(struct kunit *test)
{
	struct pz_ctx *ctx = test->priv;
	unsigned long deflate;
	struct folio *folio;
	struct page *page;

	pz_get_source(test, ctx);
	page = alloc_pages(GFP_KERNEL | __GFP_COMP | __GFP_ZERO | __GFP_NOWARN,
			   PZ_QUARTER);
	if (!page)
		kunit_skip(test, "no order-%d folio", PZ_QUARTER);
	folio = page_folio(page);
	KUNIT_ASSERT_EQ(test, folio_order(folio), PZ_QUARTER);
	deflate = pz_events(ZEROED_MARKED_DEFLATE);
	folio_put_zeroed(folio);
	KUNIT_EXPECT_EQ(test, pz_events(ZEROED_MARKED_DEFLATE) - deflate, PZ_QUARTER_NR);
}

static void pz_put_page_zeroed_marks(struct kunit *test)
{
	struct pz_ctx *ctx = test->priv;
	unsigned long deflate;
	struct page *page;

	pz_get_source(test, ctx);
	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_NOT_NULL(test, page);
	deflate = pz_events(ZEROED_MARKED_DEFLATE);
	put_page_zeroed(page);
	KUNIT_EXPECT_EQ(test, pz_events(ZEROED_MARKED_DEFLATE) - deflate, 1);
}

static void pz_put_zeroed_shared_drops_claim(struct kunit *test)
{
	struct pz_ctx *ctx = test->priv;
	unsigned long deflate;
	struct page *page;

	pz_get_source(test, ctx);
	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_NOT_NULL(test, page);
	get_page(page);
	deflate = pz_events(ZEROED_MARKED_DEFLATE);
	put_page_zeroed(page);
	KUNIT_EXPECT_EQ(test, page_ref_count(page), 1);
	put_page(page);
	KUNIT_EXPECT_EQ(test, pz_events(ZEROED_MARKED_DEFLATE), deflate);
}

/* ---- clear: isolation, sweep ---- */

static void pz_isolate_drops_mark(struct kunit *test)
{
	struct pz_ctx *ctx = test->priv;
	struct page *page;
	unsigned long lost, flags;
	struct zone *zone;
	int isolated;

	pz_get_source(test, ctx);
	pz_alloc_quarters(test, ctx);
	pz_free_quarter(ctx, 0, true);
	page = pz_quarter(ctx, 0);
	zone = page_zone(page);
	lost = pz_events(ZEROED_INVALIDATED);

	spin_lock_irqsave(&zone->lock, flags);
	isolated = __isolate_free_page(page, PZ_QUARTER);
	if (isolated) {
		KUNIT_EXPECT_FALSE(test, PageZeroed(page));
		__putback_isolated_page(page, PZ_QUARTER,
					get_pageblock_migratetype(page));
	}
	spin_unlock_irqrestore(&zone->lock, flags);
	if (!isolated)
		kunit_skip(test, "zone below its watermark");

	KUNIT_EXPECT_EQ(test, pz_events(ZEROED_INVALIDATED) - lost, PZ_QUARTER_NR);
	KUNIT_EXPECT_TRUE(test, pz_free_block(page, PZ_QUARTER, false));
}

/*
 * memory_failure() takes a poisoned page off a marked free block and
 * hands the rest back in pieces.  It sets PG_hwpoison under zone->lock, so
 * no non-atomic PG_zeroed update can undo it, and the pieces carry no
 * claim: a block that left the free lists is not known to be zero.
 */
#ifdef CONFIG_MEMORY_FAILURE
static void pz_memory_failure_drops_mark(struct kunit *test)
{
	struct pz_ctx *ctx = test->priv;
	struct page *page, *bad;
	unsigned long pfn, i;

	pz_get_source(test, ctx);
	pz_alloc_quarters(test, ctx);
	pz_free_quarter(ctx, 0, true);
	page = pz_quarter(ctx, 0);
	KUNIT_ASSERT_TRUE(test, pz_free_block(page, PZ_QUARTER, true));

	bad = page + 3;
	pfn = page_to_pfn(bad);
	KUNIT_ASSERT_EQ(test, memory_failure(pfn, MF_SW_SIMULATED), 0);
	KUNIT_EXPECT_TRUE(test, PageHWPoison(bad));
	KUNIT_EXPECT_FALSE(test, PageBuddy(bad));
	for (i = 0; i < PZ_QUARTER_NR; i++)
		if (page + i != bad && PageBuddy(page + i))
			KUNIT_EXPECT_FALSE(test, PageZeroed(page + i));

	/* Give the page back: it merges into the quarter again */
	KUNIT_EXPECT_EQ(test, unpoison_memory(pfn), 0);
	KUNIT_EXPECT_FALSE(test, PageHWPoison(bad));
}
#else
static void pz_memory_failure_drops_mark(struct kunit *test)
{
	kunit_skip(test, "CONFIG_MEMORY_FAILURE is off");
}
#endif

/*
 * A contiguous allocation for user space (gigantic hugetlb pages) asked
 * for __GFP_ZERO comes back cleared, also when the range held data just
 * before.  The range search is first fit: dirty the first ranges it finds
 * (up to PZ_CONTIG_RANGES), give them back, and the next search returns
 * one of them unless another range was freed below them meanwhile.  A
 * range this case did not dirty reads zero from boot and proves nothing.
 * MAX_PAGE_ORDER: a compound contig range must match free block bounds,
 * which a smaller order inside a larger free block does not (7.3 warns
 * and fails the range).
 */
#define PZ_CONTIG_RANGES	16

static void pz_contig_user_alloc_clears(struct kunit *test)
{
#ifdef CONFIG_CONTIG_ALLOC
	const unsigned int order = MAX_PAGE_ORDER;
	const unsigned long nr = 1UL << order;
	const gfp_t gfp = GFP_KERNEL | __GFP_COMP | __GFP_NOWARN;
	struct page *held[PZ_CONTIG_RANGES], *page;
	bool dirtied = false;
	unsigned long i;
	int n = 0, r;

	while (n < PZ_CONTIG_RANGES) {
		page = alloc_contig_frozen_pages(nr, gfp, numa_node_id(), NULL);
		if (!page)
			break;
		for (i = 0; i < nr; i++) {
			void *addr = kmap_local_page(page + i);

			memset(addr, 0xa5, PAGE_SIZE);
			kunmap_local(addr);
		}
		held[n++] = page;
	}
	if (!n)
		kunit_skip(test, "no free order-%u range", order);
	for (r = 0; r < n; r++)
		free_frozen_pages(held[r], order);

	page = alloc_contig_frozen_user_pages(nr, gfp | __GFP_ZERO,
					      numa_node_id(), NULL,
					      to_user_addr(0x7f0000003000UL));
	if (!page)
		kunit_skip(test, "no free order-%u range", order);
	for (r = 0; r < n; r++)
		dirtied |= page == held[r];
	if (!dirtied) {
		free_frozen_pages(page, order);
		kunit_skip(test, "the allocator returned a range this case did not dirty");
	}
	KUNIT_EXPECT_TRUE(test, PageHead(page));
	KUNIT_EXPECT_TRUE(test, pz_reads_zero(page, nr));
	free_frozen_pages(page, order);
#else
	kunit_skip(test, "CONFIG_CONTIG_ALLOC is off");
#endif
}

/*
 * The last source going away stops new claims but keeps the marks, and the
 * allocator still takes them off what it hands out: consumed by a zeroing
 * allocation, dropped by a plain one, never left as a stray PG_private.
 */
static void pz_last_put_keeps_marks(struct kunit *test)
{
	struct pz_ctx *ctx = test->priv;
	/* Which allocations clear, and so consume a mark (post_alloc_hook()) */
	bool zero_clears = !want_init_on_free();
	bool plain_clears = zero_clears && want_init_on_alloc(GFP_KERNEL);
	unsigned long used;
	struct page *page;

	if (page_zeroed_active())
		kunit_skip(test, "a frontend is registered");
	pz_get_source(test, ctx);
	pz_alloc_quarters(test, ctx);
	pz_free_quarter(ctx, 0, true);
	pz_free_quarter(ctx, 2, true);
	pz_put_source(ctx);
	KUNIT_EXPECT_TRUE(test, page_zeroed_enabled());
	KUNIT_EXPECT_FALSE(test, page_zeroed_active());
	KUNIT_EXPECT_TRUE(test, pz_free_block(pz_quarter(ctx, 0), PZ_QUARTER, true));
	KUNIT_EXPECT_TRUE(test, pz_free_block(pz_quarter(ctx, 2), PZ_QUARTER, true));

	used = pz_events(ZEROED_CONSUMED);
	page = pz_alloc_containing(test, pz_quarter(ctx, 0), PZ_QUARTER, __GFP_ZERO);
	if (!page)
		kunit_skip(test, "the allocator did not hand the block out");
	ctx->held[0] = true;
	KUNIT_EXPECT_PTR_EQ(test, page, pz_quarter(ctx, 0));
	KUNIT_EXPECT_EQ(test, pz_events(ZEROED_CONSUMED) - used,
			zero_clears ? PZ_QUARTER_NR : 0);
	KUNIT_EXPECT_FALSE(test, PagePrivate(page));
	KUNIT_EXPECT_TRUE(test, pz_reads_zero(page, PZ_QUARTER_NR));

	page = pz_alloc_containing(test, pz_quarter(ctx, 2), PZ_QUARTER, 0);
	if (!page)
		kunit_skip(test, "the allocator did not hand the block out");
	ctx->held[2] = true;
	KUNIT_EXPECT_PTR_EQ(test, page, pz_quarter(ctx, 2));
	KUNIT_EXPECT_FALSE(test, PagePrivate(page));
	KUNIT_EXPECT_EQ(test, pz_events(ZEROED_CONSUMED) - used,
			(zero_clears + plain_clears) * PZ_QUARTER_NR);
}

struct pz_load {
	atomic_long_t rounds;
	atomic_long_t bad;
};

/*
 * Zeroing, plain and nolock allocations, dirty frees and zero claims, until
 * stopped.
 */
static int pz_load_fn(void *data)
{
	static const unsigned int orders[] = { 0, 2, PZ_QUARTER, pageblock_order };
	struct pz_load *load = data;
	unsigned long i, n = 0;

	while (!kthread_should_stop()) {
		unsigned int order = orders[n++ % ARRAY_SIZE(orders)];
		struct page *page;

		page = alloc_pages(GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN, order);
		if (page) {
			if (PagePrivate(page) || !pz_reads_zero(page, 1UL << order))
				atomic_long_inc(&load->bad);
			memset(page_address(page), 0xa5, 64);
			__free_pages(page, order);
		}
		/* As BPF or kmalloc_nolock() from NMI: trylocks only, always zeroed. */
		local_irq_disable();
		page = alloc_pages_nolock(0, NUMA_NO_NODE, order);
		local_irq_enable();
		if (page) {
			if (PagePrivate(page) || !pz_reads_zero(page, 1UL << order))
				atomic_long_inc(&load->bad);
			memset(page_address(page), 0x5a, 64);
			free_pages_nolock(page, order);
		}
		page = alloc_frozen_pages(GFP_KERNEL | __GFP_NOWARN, order);
		if (page) {
			if (PagePrivate(page))
				atomic_long_inc(&load->bad);
			for (i = 0; i < (1UL << order); i++)
				clear_highpage(page + i);
			free_frozen_pages_zeroed(page, order);
		}
		atomic_long_inc(&load->rounds);
		cond_resched();
	}
	return 0;
}

/*
 * Sources come and go while another CPU allocates and frees, with zero
 * claims among the frees and alloc_pages_nolock() among the allocations
 * (the context the old last-source sweep could not exclude): no stray
 * mark, no wrong claim (verify mode checks every one it relies on), no
 * page handed out dirty.
 */
static void pz_source_cycles_under_load(struct kunit *test)
{
	struct pz_ctx *ctx = test->priv;
	unsigned long failed = pz_events(ZEROED_VERIFY_FAILED);
	unsigned long cycles, deadline = jiffies + 2 * HZ;
	struct task_struct *task;
	struct pz_load load = { };

	if (page_zeroed_active())
		kunit_skip(test, "a frontend is registered");
	if (page_poisoning_enabled_static())
		kunit_skip(test, "page poisoning is enabled");
	if (!IS_ENABLED(CONFIG_PAGE_REPORTING_ZEROED_VERIFY))
		kunit_skip(test, "needs CONFIG_PAGE_REPORTING_ZEROED_VERIFY");
	page_zeroed_set_verify(true);
	task = kthread_run(pz_load_fn, &load, "pz_load");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, task);
	for (cycles = 0; cycles < 10000 && time_before(jiffies, deadline); cycles++) {
		pz_get_source(test, ctx);
		/* Let the load run, on this CPU too if it is the only one. */
		if (cycles % 8 == 0)
			schedule_timeout_uninterruptible(1);
		pz_put_source(ctx);
	}
	kthread_stop(task);
	kunit_info(test, "%lu source cycles, %ld load rounds\n", cycles,
		   atomic_long_read(&load.rounds));
	KUNIT_EXPECT_GE(test, cycles, 1000);
	/* debug_pagealloc=on under TCG manages about 80 rounds in 2 s */
	KUNIT_EXPECT_GE(test, atomic_long_read(&load.rounds), 20);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&load.bad), 0);
	KUNIT_EXPECT_EQ(test, pz_events(ZEROED_VERIFY_FAILED), failed);
}

static int pz_hibernation_restored(void *data)
{
	page_zeroed_hibernation_restored();
	return 0;
}

/*
 * A restored hibernation image brings the memmap back but not the free
 * pages: every mark goes, the source stays registered.
 */
static void pz_hibernation_restore_drops_marks(struct kunit *test)
{
	struct pz_ctx *ctx = test->priv;
	unsigned long lost;

	pz_get_source(test, ctx);
	pz_alloc_quarters(test, ctx);
	pz_free_quarter(ctx, 0, true);
	pz_free_quarter(ctx, 2, true);
	KUNIT_ASSERT_TRUE(test, pz_free_block(pz_quarter(ctx, 0), PZ_QUARTER, true));
	KUNIT_ASSERT_TRUE(test, pz_free_block(pz_quarter(ctx, 2), PZ_QUARTER, true));
	lost = pz_events(ZEROED_INVALIDATED);
	/* create_image() calls it with interrupts off, on the only online CPU. */
	stop_machine(pz_hibernation_restored, NULL, NULL);
	KUNIT_EXPECT_TRUE(test, pz_free_block(pz_quarter(ctx, 0), PZ_QUARTER, false));
	KUNIT_EXPECT_TRUE(test, pz_free_block(pz_quarter(ctx, 2), PZ_QUARTER, false));
	KUNIT_EXPECT_FALSE(test, pz_any_marked());
	KUNIT_EXPECT_GE(test, pz_events(ZEROED_INVALIDATED) - lost, 2 * PZ_QUARTER_NR);
	KUNIT_EXPECT_TRUE(test, page_zeroed_active());
}

/* ---- consume ---- */

static void pz_zero_alloc_skips_clearing(struct kunit *test)
{
	struct pz_ctx *ctx = test->priv;
	unsigned long used, used0, asked;
	struct page *page;

	pz_need_clearing_on_alloc(test);
	pz_get_source(test, ctx);
	pz_alloc_quarters(test, ctx);
	pz_free_quarter(ctx, 0, true);
	used = pz_events(ZEROED_CONSUMED);
	used0 = pz_events(ZEROED_CONSUMED_ORDER0);
	asked = pz_events(ZEROED_REQUESTED);
	page = pz_alloc_containing(test, pz_quarter(ctx, 0), PZ_QUARTER, __GFP_ZERO);
	if (!page)
		kunit_skip(test, "the allocator did not hand the block out");
	ctx->held[0] = true;
	KUNIT_EXPECT_PTR_EQ(test, page, pz_quarter(ctx, 0));
	KUNIT_EXPECT_EQ(test, pz_events(ZEROED_CONSUMED) - used, PZ_QUARTER_NR);
	/* Not an order-0 allocation; the request is counted, others may add */
	KUNIT_EXPECT_EQ(test, pz_events(ZEROED_CONSUMED_ORDER0), used0);
	KUNIT_EXPECT_GE(test, pz_events(ZEROED_REQUESTED) - asked, PZ_QUARTER_NR);
	KUNIT_EXPECT_FALSE(test, PagePrivate(page));
	KUNIT_EXPECT_TRUE(test, pz_reads_zero(page, PZ_QUARTER_NR));
}

static void pz_plain_alloc_drops_mark(struct kunit *test)
{
	struct pz_ctx *ctx = test->priv;
	unsigned long used;
	struct page *page;

	if (want_init_on_alloc(GFP_KERNEL))
		kunit_skip(test, "init_on_alloc zeroes every allocation");
	pz_get_source(test, ctx);
	pz_alloc_quarters(test, ctx);
	pz_free_quarter(ctx, 0, true);
	used = pz_events(ZEROED_CONSUMED);
	page = pz_alloc_containing(test, pz_quarter(ctx, 0), PZ_QUARTER, 0);
	if (!page)
		kunit_skip(test, "the allocator did not hand the block out");
	ctx->held[0] = true;
	KUNIT_EXPECT_EQ(test, pz_events(ZEROED_CONSUMED), used);
	KUNIT_EXPECT_FALSE(test, PagePrivate(page));
}

static void pz_init_on_alloc_skips_clearing(struct kunit *test)
{
	struct pz_ctx *ctx = test->priv;
	unsigned long used;
	struct page *page;

	if (!want_init_on_alloc(GFP_KERNEL) || want_init_on_free())
		kunit_skip(test, "needs init_on_alloc=1 without init_on_free");
	pz_get_source(test, ctx);
	pz_alloc_quarters(test, ctx);
	pz_free_quarter(ctx, 0, true);
	used = pz_events(ZEROED_CONSUMED);
	page = pz_alloc_containing(test, pz_quarter(ctx, 0), PZ_QUARTER, 0);
	if (!page)
		kunit_skip(test, "the allocator did not hand the block out");
	ctx->held[0] = true;
	KUNIT_EXPECT_EQ(test, pz_events(ZEROED_CONSUMED) - used, PZ_QUARTER_NR);
}

static void pz_init_on_free_needs_nothing(struct kunit *test)
{
	struct pz_ctx *ctx = test->priv;
	unsigned long used;
	struct page *page;

	if (!want_init_on_free())
		kunit_skip(test, "needs init_on_free=1");
	pz_get_source(test, ctx);
	pz_alloc_quarters(test, ctx);
	pz_free_quarter(ctx, 0, true);
	used = pz_events(ZEROED_CONSUMED);
	page = pz_alloc_containing(test, pz_quarter(ctx, 0), PZ_QUARTER, __GFP_ZERO);
	if (!page)
		kunit_skip(test, "the allocator did not hand the block out");
	ctx->held[0] = true;
	/* Free pages are cleared on free already: there is nothing to skip */
	KUNIT_EXPECT_EQ(test, pz_events(ZEROED_CONSUMED), used);
	KUNIT_EXPECT_TRUE(test, pz_reads_zero(page, PZ_QUARTER_NR));
}

static void pz_split_keeps_mark(struct kunit *test)
{
	struct pz_ctx *ctx = test->priv;
	unsigned long used;
	struct page *page;

	pz_need_clearing_on_alloc(test);
	pz_get_source(test, ctx);
	pz_alloc_quarters(test, ctx);
	pz_free_quarter(ctx, 1, true);
	pz_free_quarter(ctx, 0, true);
	KUNIT_ASSERT_TRUE(test, pz_free_block(pz_quarter(ctx, 0), PZ_QUARTER + 1, true));
	used = pz_events(ZEROED_CONSUMED);
	page = pz_alloc_containing(test, pz_quarter(ctx, 0), PZ_QUARTER, __GFP_ZERO);
	if (!page)
		kunit_skip(test, "the allocator did not hand the block out");
	ctx->held[0] = true;
	KUNIT_EXPECT_PTR_EQ(test, page, pz_quarter(ctx, 0));
	/* expand() put the other half back, still marked */
	KUNIT_EXPECT_TRUE(test, pz_free_block(pz_quarter(ctx, 1), PZ_QUARTER, true));
	KUNIT_EXPECT_EQ(test, pz_events(ZEROED_CONSUMED) - used, PZ_QUARTER_NR);
}

static void pz_pcp_pages_keep_mark(struct kunit *test)
{
	struct pz_ctx *ctx = test->priv;
	unsigned long used, used0, asked0;
	struct page *page;

	pz_need_clearing_on_alloc(test);
	pz_get_source(test, ctx);
	pz_alloc_quarters(test, ctx);
	pz_free_quarter(ctx, 0, true);
	drain_all_pages(page_zone(pz_quarter(ctx, 0)));
	used = pz_events(ZEROED_CONSUMED);
	used0 = pz_events(ZEROED_CONSUMED_ORDER0);
	asked0 = pz_events(ZEROED_REQUESTED_ORDER0);
	page = pz_alloc_containing(test, pz_quarter(ctx, 0), 0, __GFP_ZERO);
	if (!page)
		kunit_skip(test, "the allocator did not hand the block out");
	/* Served from a per-cpu list the block was split onto */
	KUNIT_EXPECT_EQ(test, pz_events(ZEROED_CONSUMED) - used, 1);
	KUNIT_EXPECT_EQ(test, pz_events(ZEROED_CONSUMED_ORDER0) - used0, 1);
	KUNIT_EXPECT_GE(test, pz_events(ZEROED_REQUESTED_ORDER0) - asked0, 1);
	KUNIT_EXPECT_FALSE(test, PagePrivate(page));
	KUNIT_EXPECT_TRUE(test, pz_reads_zero(page, 1));
	free_frozen_pages(page, 0);
	/* Draining the per-cpu lists merges the rest back without trouble */
	drain_all_pages(page_zone(pz_quarter(ctx, 0)));
}

/* ---- user pages: __GFP_ZERO with the address they will be mapped at ---- */

/* A PMD-aligned user range, and an address in it that no folio starts at */
#define PZ_USER_BASE	SZ_1G
#define PZ_USER_ADDR	(PZ_USER_BASE + 5 * PAGE_SIZE + 0x123)

/*
 * vma_alloc_folio() only reads the NUMA policy fields of the VMA: a zeroed
 * one stands for an anonymous mapping that follows the task's policy.
 */
static struct vm_area_struct *pz_user_vma(struct kunit *test)
{
	struct vm_area_struct *vma = kunit_kzalloc(test, sizeof(*vma), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, vma);
	vma->vm_start = PZ_USER_BASE;
	vma->vm_end = PZ_USER_BASE + SZ_4M;
	return vma;
}

/* Like pz_alloc_containing(), for a zeroed user folio faulted at PZ_USER_ADDR */
static struct folio *pz_alloc_user_containing(struct kunit *test,
					      struct page *target,
					      unsigned int order)
{
	gfp_t gfp = pz_gfp_for(target) | __GFP_ZERO | __GFP_NOWARN;
	struct vm_area_struct *vma = pz_user_vma(test);
	unsigned long pfn = page_to_pfn(target);
	struct pz_ctx *ctx = test->priv;
	struct folio *folio = NULL;
	int i, n = 0;

	pz_move_to_head(target);
	while (n < PZ_MAX_TRIES) {
		folio = vma_alloc_folio(gfp, order, vma, PZ_USER_ADDR);
		if (!folio)
			break;
		if (pfn >= folio_pfn(folio) &&
		    pfn < folio_pfn(folio) + folio_nr_pages(folio))
			break;
		ctx->scratch[n++] = &folio->page;
		folio = NULL;
	}
	for (i = 0; i < n; i++)
		folio_put(page_folio(ctx->scratch[i]));
	if (!folio)
		kunit_info(test, "pfn %#lx mt %d buddy %d order %u zeroed %d after %d tries\n",
			   pfn, get_pageblock_migratetype(target), PageBuddy(target),
			   PageBuddy(target) ? buddy_order(target) : 0,
			   PageZeroed(target), n);
	return folio;
}

/*
 * Another CPU may allocate the block between pz_move_to_head() and the
 * case's own allocation: the user cases set their block up again this many
 * times before they give up.
 */
#define PZ_ATTEMPTS	4

/*
 * Pages a known-zero claim lets the allocator skip for a user page: none
 * where caches alias, which clear every user page for its user address.
 */
static unsigned long pz_user_skippable(unsigned long nr)
{
	return cpu_dcache_is_aliasing() || cpu_icache_is_aliasing() ? 0 : nr;
}

static void pz_user_zero_alloc_skips_clearing(struct kunit *test)
{
	struct pz_ctx *ctx = test->priv;
	struct folio *folio = NULL;
	unsigned long used = 0;
	int attempt;

	pz_need_clearing_on_alloc(test);
	pz_get_source(test, ctx);
	for (attempt = 0; !folio && attempt < PZ_ATTEMPTS; attempt++) {
		pz_release_quarters(ctx);
		pz_alloc_quarters(test, ctx);
		pz_free_quarter(ctx, 0, true);
		used = pz_events(ZEROED_CONSUMED);
		folio = pz_alloc_user_containing(test, pz_quarter(ctx, 0), PZ_QUARTER);
	}
	if (!folio)
		kunit_skip(test, "the allocator did not hand the block out");
	KUNIT_EXPECT_PTR_EQ(test, &folio->page, pz_quarter(ctx, 0));
	KUNIT_EXPECT_EQ(test, pz_events(ZEROED_CONSUMED) - used,
			pz_user_skippable(PZ_QUARTER_NR));
	KUNIT_EXPECT_FALSE(test, PagePrivate(&folio->page));
	KUNIT_EXPECT_TRUE(test, pz_reads_zero(&folio->page, PZ_QUARTER_NR));
	folio_put(folio);
}

static void pz_user_zero_alloc_clears_dirty_block(struct kunit *test)
{
	struct pz_ctx *ctx = test->priv;
	struct folio *folio = NULL;
	unsigned long used = 0, n;
	int attempt;

	pz_get_source(test, ctx);
	for (attempt = 0; !folio && attempt < PZ_ATTEMPTS; attempt++) {
		pz_release_quarters(ctx);
		pz_alloc_quarters(test, ctx);
		for (n = 0; n < PZ_QUARTER_NR; n++)
			memset_page(pz_quarter(ctx, 0) + n, 0, 0xa5, PAGE_SIZE);
		pz_free_quarter(ctx, 0, false);
		used = pz_events(ZEROED_CONSUMED);
		folio = pz_alloc_user_containing(test, pz_quarter(ctx, 0), PZ_QUARTER);
	}
	if (!folio)
		kunit_skip(test, "the allocator did not hand the block out");
	KUNIT_EXPECT_PTR_EQ(test, &folio->page, pz_quarter(ctx, 0));
	KUNIT_EXPECT_EQ(test, pz_events(ZEROED_CONSUMED), used);
	KUNIT_EXPECT_TRUE(test, pz_reads_zero(&folio->page, PZ_QUARTER_NR));
	folio_put(folio);
}

#ifdef CONFIG_TRANSPARENT_HUGEPAGE
static void pz_free_pmd_block(void *page)
{
	free_frozen_pages(page, HPAGE_PMD_ORDER);
}

/* A PMD-sized user folio (__GFP_ZERO | __GFP_COMP) consumes a whole claim */
static void pz_user_thp_consumes_claim(struct kunit *test)
{
	struct pz_ctx *ctx = test->priv;
	struct page *page, *buddy;
	struct folio *folio;
	unsigned long used, n;

	pz_need_clearing_on_alloc(test);
	if (HPAGE_PMD_ORDER + 1 > MAX_PAGE_ORDER)
		kunit_skip(test, "no buddy allocation above the PMD order");
	pz_get_source(test, ctx);
	page = alloc_frozen_pages(GFP_KERNEL | __GFP_NOWARN, HPAGE_PMD_ORDER + 1);
	if (!page)
		kunit_skip(test, "no order-%d block", HPAGE_PMD_ORDER + 1);
	/* Keep the buddy allocated, so the zeroed half cannot merge */
	buddy = page + HPAGE_PMD_NR;
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, pz_free_pmd_block, buddy));
	for (n = 0; n < HPAGE_PMD_NR; n++)
		clear_highpage(page + n);
	free_frozen_pages_zeroed(page, HPAGE_PMD_ORDER);
	/* From a per-cpu list to the buddy lists, where the search begins */
	drain_all_pages(page_zone(page));
	used = pz_events(ZEROED_CONSUMED);
	folio = pz_alloc_user_containing(test, page, HPAGE_PMD_ORDER);
	if (!folio)
		kunit_skip(test, "the allocator did not hand the block out");
	KUNIT_EXPECT_PTR_EQ(test, &folio->page, page);
	KUNIT_EXPECT_EQ(test, folio_order(folio), HPAGE_PMD_ORDER);
	KUNIT_EXPECT_EQ(test, pz_events(ZEROED_CONSUMED) - used,
			pz_user_skippable(HPAGE_PMD_NR));
	KUNIT_EXPECT_TRUE(test, pz_reads_zero(&folio->page, HPAGE_PMD_NR));
	folio_put(folio);
}
#else
static void pz_user_thp_consumes_claim(struct kunit *test)
{
	kunit_skip(test, "needs CONFIG_TRANSPARENT_HUGEPAGE");
}
#endif

static void pz_split_large_buddy_keeps_mark(struct kunit *test)
{
	struct pz_ctx *ctx = test->priv;
	unsigned long pfn;
	struct page *page;
	int err;

	if (!IS_ENABLED(CONFIG_MEMORY_ISOLATION) || pageblock_order >= MAX_PAGE_ORDER)
		kunit_skip(test, "needs page isolation and blocks above pageblock_order");
	pz_get_source(test, ctx);
	page = alloc_frozen_pages(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN, MAX_PAGE_ORDER);
	if (!page)
		kunit_skip(test, "no order-%d block", MAX_PAGE_ORDER);
	for (pfn = 0; pfn < MAX_ORDER_NR_PAGES; pfn++)
		clear_highpage(page + pfn);
	free_frozen_pages_zeroed(page, MAX_PAGE_ORDER);
	if (!pz_free_block(page, MAX_PAGE_ORDER, true))
		kunit_skip(test, "the block was allocated again");

	pfn = page_to_pfn(page);
	err = start_isolate_page_range(pfn, pfn + pageblock_nr_pages,
				       PB_ISOLATE_MODE_OTHER);
	if (err)
		kunit_skip(test, "could not isolate a pageblock: %d", err);
	KUNIT_EXPECT_TRUE(test, pz_free_block(page, pageblock_order, true));
	KUNIT_EXPECT_TRUE(test, pz_free_block(page + pageblock_nr_pages,
					      pageblock_order, true));
	undo_isolate_page_range(pfn, pfn + pageblock_nr_pages);
}

/* ---- verify mode ---- */

static void pz_verify_catches_wrong_claim(struct kunit *test)
{
	struct pz_ctx *ctx = test->priv;
	unsigned long failed, used;
	struct page *page;
	u8 *addr;

	pz_need_clearing_on_alloc(test);
	if (!IS_ENABLED(CONFIG_PAGE_REPORTING_ZEROED_VERIFY))
		kunit_skip(test, "verify mode not built in");
	page_zeroed_set_verify(true);
	pz_get_source(test, ctx);
	pz_alloc_quarters(test, ctx);
	page = pz_quarter(ctx, 0);
	/* A wrong claim: the block holds data */
	addr = kmap_local_page(page + 3);
	memset(addr, 0xa5, 8);
	kunmap_local(addr);
	free_frozen_pages_zeroed(page, PZ_QUARTER);
	ctx->held[0] = false;

	failed = pz_events(ZEROED_VERIFY_FAILED);
	used = pz_events(ZEROED_CONSUMED);
	page = pz_alloc_containing(test, page, PZ_QUARTER, __GFP_ZERO);
	if (!page)
		kunit_skip(test, "the allocator did not hand the block out");
	ctx->held[0] = true;
	KUNIT_EXPECT_EQ(test, pz_events(ZEROED_VERIFY_FAILED) - failed, PZ_QUARTER_NR);
	KUNIT_EXPECT_EQ(test, pz_events(ZEROED_CONSUMED), used);
	KUNIT_EXPECT_TRUE(test, pz_reads_zero(page, PZ_QUARTER_NR));
}

static void pz_verify_off_trusts_claim(struct kunit *test)
{
	struct pz_ctx *ctx = test->priv;
	unsigned long used;
	struct page *page;
	u8 *addr;

	pz_need_clearing_on_alloc(test);
	page_zeroed_set_verify(false);
	pz_get_source(test, ctx);
	pz_alloc_quarters(test, ctx);
	page = pz_quarter(ctx, 0);
	/* Shows that clearing is really skipped: the stale byte survives */
	addr = kmap_local_page(page);
	addr[0] = 0xa5;
	kunmap_local(addr);
	free_frozen_pages_zeroed(page, PZ_QUARTER);
	ctx->held[0] = false;

	used = pz_events(ZEROED_CONSUMED);
	page = pz_alloc_containing(test, page, PZ_QUARTER, __GFP_ZERO);
	if (!page)
		kunit_skip(test, "the allocator did not hand the block out");
	ctx->held[0] = true;
	KUNIT_EXPECT_EQ(test, pz_events(ZEROED_CONSUMED) - used, PZ_QUARTER_NR);
	addr = kmap_local_page(page);
	KUNIT_EXPECT_EQ(test, addr[0], 0xa5);
	kunmap_local(addr);
}

/* ---- page reporting ---- */

static struct page_zeroed_test_frontend *
pz_register(struct kunit *test, enum page_zeroed_test_mode mode,
	    bool host_zeroes_pages)
{
	struct pz_ctx *ctx = test->priv;
	struct page_zeroed_test_frontend *fe;
	int err;

	fe = kunit_kzalloc(test, sizeof(*fe), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fe);
	err = page_zeroed_test_frontend_register(fe, mode, host_zeroes_pages,
						 mode == PZ_TEST_STRAY ? 0 : 4);
	if (err == -EBUSY)
		kunit_skip(test, "another page reporting device is registered");
	KUNIT_ASSERT_EQ(test, err, 0);
	ctx->fe = fe;
	if (host_zeroes_pages && !fe->prdev.host_zeroes_pages) {
		KUNIT_ASSERT_TRUE_MSG(test, page_poisoning_enabled_static(),
				      "known-zero tracking refused without page poisoning");
		kunit_skip(test, "known-zero tracking refused (page poisoning)");
	}
	return fe;
}

static bool pz_confidential_yes(void)
{
	return true;
}

/* A confidential guest never takes a claim, from any frontend. */
static void pz_confidential_refuses_source(struct kunit *test)
{
	struct pz_ctx *ctx = test->priv;
	struct page_zeroed_test_frontend *fe;
	unsigned long marked = pz_events(ZEROED_MARKED_REPORT);
	int err;

	if (page_zeroed_active())
		kunit_skip(test, "a frontend is registered");
	kunit_activate_static_stub(test, page_zeroed_confidential, pz_confidential_yes);
	KUNIT_EXPECT_EQ(test, page_zeroed_source_get(), -EOPNOTSUPP);
	KUNIT_EXPECT_FALSE(test, page_zeroed_active());
	/* A reporting device that says its host zeroes pages is not believed. */
	fe = kunit_kzalloc(test, sizeof(*fe), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fe);
	err = page_zeroed_test_frontend_register(fe, PZ_TEST_HONEST, true, 4);
	if (err == -EBUSY)
		kunit_skip(test, "another page reporting device is registered");
	KUNIT_ASSERT_EQ(test, err, 0);
	ctx->fe = fe;
	KUNIT_EXPECT_FALSE(test, fe->prdev.host_zeroes_pages);
	KUNIT_EXPECT_NULL(test, fe->prdev.zeroed_bitmap);
	KUNIT_EXPECT_FALSE(test, page_zeroed_active());
	KUNIT_EXPECT_EQ(test, page_reporting_flush(1), 0);
	KUNIT_EXPECT_EQ(test, pz_events(ZEROED_MARKED_REPORT), marked);
	kunit_deactivate_static_stub(test, page_zeroed_confidential);
}

static void pz_report_honest_marks(struct kunit *test)
{
	struct page_zeroed_test_frontend *fe;
	unsigned long marked;

	fe = pz_register(test, PZ_TEST_HONEST, true);
	KUNIT_EXPECT_TRUE(test, page_zeroed_active());
	marked = pz_events(ZEROED_MARKED_REPORT);
	KUNIT_ASSERT_EQ(test, page_reporting_flush(1), 0);
	KUNIT_EXPECT_GT(test, fe->reports, 0);
	KUNIT_EXPECT_GT(test, fe->claimed, 0);
	KUNIT_EXPECT_EQ(test, pz_events(ZEROED_MARKED_REPORT) - marked, fe->claimed);
	KUNIT_EXPECT_TRUE(test, pz_any_marked());
}

static void pz_report_lying_caught(struct kunit *test)
{
	struct page_zeroed_test_frontend *fe;
	unsigned long marked, failed;

	if (!IS_ENABLED(CONFIG_PAGE_REPORTING_ZEROED_VERIFY))
		kunit_skip(test, "verify mode not built in");
	page_zeroed_set_verify(true);
	fe = pz_register(test, PZ_TEST_LYING, true);
	marked = pz_events(ZEROED_MARKED_REPORT);
	failed = pz_events(ZEROED_VERIFY_FAILED);
	KUNIT_ASSERT_EQ(test, page_reporting_flush(1), 0);
	KUNIT_EXPECT_GT(test, fe->claimed, 0);
	KUNIT_EXPECT_EQ(test, pz_events(ZEROED_VERIFY_FAILED) - failed, fe->claimed);
	KUNIT_EXPECT_EQ(test, pz_events(ZEROED_MARKED_REPORT), marked);
	KUNIT_EXPECT_FALSE(test, pz_any_marked());
}

static void pz_report_silent_marks_nothing(struct kunit *test)
{
	struct page_zeroed_test_frontend *fe;
	unsigned long marked;

	fe = pz_register(test, PZ_TEST_SILENT, true);
	marked = pz_events(ZEROED_MARKED_REPORT);
	KUNIT_ASSERT_EQ(test, page_reporting_flush(1), 0);
	KUNIT_EXPECT_GT(test, fe->pages, 0);
	KUNIT_EXPECT_EQ(test, pz_events(ZEROED_MARKED_REPORT), marked);
	KUNIT_EXPECT_FALSE(test, pz_any_marked());
}

static void pz_report_failure_ignores_bits(struct kunit *test)
{
	struct page_zeroed_test_frontend *fe;
	unsigned long marked;

	fe = pz_register(test, PZ_TEST_FAILING, true);
	marked = pz_events(ZEROED_MARKED_REPORT);
	KUNIT_ASSERT_EQ(test, page_reporting_flush(1), 0);
	KUNIT_EXPECT_GT(test, fe->reports, 0);
	KUNIT_EXPECT_EQ(test, pz_events(ZEROED_MARKED_REPORT), marked);
	KUNIT_EXPECT_FALSE(test, pz_any_marked());
}

static void pz_report_stray_bit_ignored(struct kunit *test)
{
	unsigned long marked, rejected = pz_events(ZEROED_REJECTED);
	struct page_zeroed_test_frontend *fe;
	struct page *page;

	fe = pz_register(test, PZ_TEST_STRAY, true);
	/*
	 * Runs after everything has been reported: give the device one
	 * fresh block, less than a batch, so the batch is a partial one.
	 */
	page = alloc_frozen_pages(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN, MAX_PAGE_ORDER);
	if (page)
		free_frozen_pages(page, MAX_PAGE_ORDER);
	marked = pz_events(ZEROED_MARKED_REPORT);
	KUNIT_ASSERT_EQ(test, page_reporting_flush(1), 0);
	if (!fe->stray)
		kunit_skip(test, "no partial batch was reported (%lu reports, %lu pages)",
			   fe->reports, fe->pages);
	KUNIT_EXPECT_EQ(test, pz_events(ZEROED_MARKED_REPORT) - marked, fe->claimed);
	KUNIT_EXPECT_EQ(test, pz_events(ZEROED_REJECTED) - rejected, fe->stray);
}

static void pz_report_without_opt_in(struct kunit *test)
{
	struct page_zeroed_test_frontend *fe;
	unsigned long marked;

	if (page_zeroed_active())
		kunit_skip(test, "another source is registered");
	fe = pz_register(test, PZ_TEST_HONEST, false);
	KUNIT_EXPECT_NULL(test, fe->prdev.zeroed_bitmap);
	KUNIT_EXPECT_FALSE(test, page_zeroed_active());
	marked = pz_events(ZEROED_MARKED_REPORT);
	KUNIT_ASSERT_EQ(test, page_reporting_flush(1), 0);
	KUNIT_EXPECT_EQ(test, pz_events(ZEROED_MARKED_REPORT), marked);
}

static void pz_report_unregister_keeps_marks(struct kunit *test)
{
	struct pz_ctx *ctx = test->priv;
	struct page_zeroed_test_frontend *fe;

	if (page_zeroed_active())
		kunit_skip(test, "another source is registered");
	fe = pz_register(test, PZ_TEST_HONEST, true);
	KUNIT_ASSERT_EQ(test, page_reporting_flush(1), 0);
	KUNIT_ASSERT_TRUE(test, pz_any_marked());
	page_zeroed_test_frontend_unregister(fe);
	ctx->fe = NULL;
	KUNIT_EXPECT_NULL(test, fe->prdev.zeroed_bitmap);
	KUNIT_EXPECT_TRUE(test, page_zeroed_enabled());
	KUNIT_EXPECT_FALSE(test, page_zeroed_active());
	/* The host zeroed them; that stays true after the device left. */
	KUNIT_EXPECT_TRUE(test, pz_any_marked());
}

static void pz_flush_budget(struct kunit *test)
{
	struct page_zeroed_test_frontend *fe;
	unsigned long reports;

	fe = pz_register(test, PZ_TEST_SILENT, true);
	reports = fe->reports;
	KUNIT_EXPECT_EQ(test, page_reporting_flush(0), 0);
	KUNIT_EXPECT_EQ(test, fe->reports, reports);
	KUNIT_EXPECT_EQ(test, page_reporting_flush(1), 0);
	KUNIT_EXPECT_GT(test, fe->reports, reports);
	/* The largest budget ends when nothing is left, without overflowing */
	KUNIT_EXPECT_EQ(test, page_reporting_flush(ULONG_MAX), 0);
	reports = fe->reports;
	KUNIT_EXPECT_EQ(test, page_reporting_flush(ULONG_MAX), 0);
	KUNIT_EXPECT_LE(test, fe->reports - reports, 8);
}

static void pz_flush_without_device(struct kunit *test)
{
	struct page_zeroed_test_frontend fe = {};
	int err;

	/* Only meaningful if nothing else is registered */
	err = page_zeroed_test_frontend_register(&fe, PZ_TEST_SILENT, false, 0);
	if (err)
		kunit_skip(test, "another page reporting device is registered");
	page_zeroed_test_frontend_unregister(&fe);
	KUNIT_EXPECT_EQ(test, page_reporting_flush(1), -ENODEV);
}

static struct kunit_case page_zeroed_cases[] = {
	KUNIT_CASE(pz_key_off_without_source),
	KUNIT_CASE(pz_source_toggles_claims),
	KUNIT_CASE(pz_source_is_counted),
	KUNIT_CASE(pz_poisoning_refuses_source),
	KUNIT_CASE(pz_no_source_marks_nothing),
	KUNIT_CASE(pz_vmstat_names),
	KUNIT_CASE(pz_deflate_marks_block),
	KUNIT_CASE(pz_merge_both_zeroed),
	KUNIT_CASE(pz_merge_with_dirty_buddy),
	KUNIT_CASE(pz_merge_into_dirty_buddy),
	KUNIT_CASE(pz_folio_put_zeroed_marks),
	KUNIT_CASE(pz_put_page_zeroed_marks),
	KUNIT_CASE(pz_put_zeroed_shared_drops_claim),
	KUNIT_CASE(pz_isolate_drops_mark),
	KUNIT_CASE(pz_memory_failure_drops_mark),
	KUNIT_CASE(pz_contig_user_alloc_clears),
	KUNIT_CASE(pz_last_put_keeps_marks),
	KUNIT_CASE_SLOW(pz_source_cycles_under_load),
	KUNIT_CASE(pz_hibernation_restore_drops_marks),
	KUNIT_CASE(pz_zero_alloc_skips_clearing),
	KUNIT_CASE(pz_plain_alloc_drops_mark),
	KUNIT_CASE(pz_init_on_alloc_skips_clearing),
	KUNIT_CASE(pz_init_on_free_needs_nothing),
	KUNIT_CASE(pz_split_keeps_mark),
	KUNIT_CASE(pz_pcp_pages_keep_mark),
	KUNIT_CASE(pz_user_zero_alloc_skips_clearing),
	KUNIT_CASE(pz_user_zero_alloc_clears_dirty_block),
	KUNIT_CASE(pz_user_thp_consumes_claim),
	KUNIT_CASE(pz_split_large_buddy_keeps_mark),
	KUNIT_CASE(pz_verify_catches_wrong_claim),
	KUNIT_CASE(pz_verify_off_trusts_claim),
	KUNIT_CASE(pz_report_honest_marks),
	KUNIT_CASE(pz_report_lying_caught),
	KUNIT_CASE(pz_report_silent_marks_nothing),
	KUNIT_CASE(pz_report_failure_ignores_bits),
	KUNIT_CASE(pz_report_without_opt_in),
	KUNIT_CASE(pz_report_unregister_keeps_marks),
	KUNIT_CASE(pz_confidential_refuses_source),
	KUNIT_CASE_SLOW(pz_flush_budget),
	KUNIT_CASE(pz_report_stray_bit_ignored),
	KUNIT_CASE(pz_flush_without_device),
	{}
};

/*
 * PageReported outlives the device that reported the page, and the next
 * device to register would skip those pages.  The test device did not
 * really report anything: forget it all, so that a real one (e.g.
 * virtio_balloon loaded after boot) gets every free page.
 */
static void pz_suite_exit(struct kunit_suite *suite)
{
	struct zone *zone;

	for_each_populated_zone(zone) {
		unsigned long flags;
		unsigned int order;
		struct page *page;
		int mt;

		spin_lock_irqsave(&zone->lock, flags);
		for (order = 0; order < NR_PAGE_ORDERS; order++)
			for (mt = 0; mt < MIGRATE_TYPES; mt++)
				list_for_each_entry(page, &zone->free_area[order].free_list[mt],
						    buddy_list)
					__ClearPageReported(page);
		spin_unlock_irqrestore(&zone->lock, flags);
	}
}

static struct kunit_suite page_zeroed_suite = {
	.name = "page_zeroed",
	.init = pz_init,
	.exit = pz_exit,
	.suite_exit = pz_suite_exit,
	.test_cases = page_zeroed_cases,
};

kunit_test_suite(page_zeroed_suite);

MODULE_DESCRIPTION("KUnit tests for known-zero free page tracking");
MODULE_LICENSE("GPL");
