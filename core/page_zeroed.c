// SPDX-License-Identifier: GPL-2.0
/*
 * Known-zero free page tracking: the core behind <linux/page_zeroed.h>.
 *
 * Sources (page reporting devices, deflating balloons, boot or hot-add
 * code) register here; while one is registered new claims are recorded,
 * the page allocator keeps PG_zeroed on free blocks and skips clearing them
 * for zeroing allocations.  The first source turns the static key on for
 * good: a mark stays true after its source is gone (nobody writes a free
 * page), and the allocator keeps taking marks off the blocks it hands out,
 * so none can escape as a stray PG_private.
 */
#define pr_fmt(fmt) "page_zeroed: " fmt

#include <kunit/static_stub.h>
#include <kunit/visibility.h>
#include <linux/cc_platform.h>
#include <linux/highmem.h>
#include <linux/kasan.h>
#include <linux/kmsan.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/page_reporting.h>
#include <linux/page_zeroed.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "internal.h"
#include "page_alloc.h"
#include "page_zeroed.h"

DEFINE_STATIC_KEY_FALSE(page_zeroed_key);

/* Serialises source registration. */
static DEFINE_MUTEX(page_zeroed_mutex);
static unsigned int page_zeroed_sources;

/*
 * New claims are recorded only while this is set, i.e. while a source is
 * registered.  It is read under the free list locks.
 */
static bool page_zeroed_accepting;

static bool page_zeroed_verify = IS_ENABLED(CONFIG_PAGE_REPORTING_ZEROED_VERIFY);
#ifdef CONFIG_PAGE_REPORTING_ZEROED_VERIFY
module_param_named(verify, page_zeroed_verify, bool, 0644);
MODULE_PARM_DESC(verify, "Check every known-zero claim before relying on it");
#endif

/* For the KUnit suite: read and change the verify mode. */
bool page_zeroed_get_verify(void)
{
	return READ_ONCE(page_zeroed_verify);
}

void page_zeroed_set_verify(bool on)
{
	WRITE_ONCE(page_zeroed_verify,
		   on && IS_ENABLED(CONFIG_PAGE_REPORTING_ZEROED_VERIFY));
}

/**
 * page_zeroed_active - Whether known-zero claims are being recorded
 *
 * Return: true while at least one source is registered.
 */
bool page_zeroed_active(void)
{
	return page_zeroed_enabled() && READ_ONCE(page_zeroed_accepting);
}
EXPORT_SYMBOL_GPL(page_zeroed_active);

/**
 * page_zeroed_confidential - Whether the host must not be trusted with zeroing
 *
 * A confidential (memory-encrypted, isolated) guest does not let the host
 * vouch for the contents of its memory: what the host discards or zeroes
 * is ciphertext or shared memory, and a host that lies is the threat the
 * guest defends against.  KUnit replaces this with a static stub.
 *
 * Return: true on such a guest.
 */
VISIBLE_IF_KUNIT bool page_zeroed_confidential(void)
{
	KUNIT_STATIC_STUB_REDIRECT(page_zeroed_confidential);
	return cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT);
}
EXPORT_SYMBOL_IF_KUNIT(page_zeroed_confidential);

/**
 * page_zeroed_source_get - Register a source of known-zero free pages
 *
 * New claims are recorded while any source is registered.  The first
 * source turns the tracking's static key on, and it stays on: see
 * page_zeroed_source_put().  Page poisoning fills free pages with a
 * pattern, so no page can be known to be zero while it is enabled; a
 * confidential guest never lets the host vouch for its memory.
 *
 * Context: process context, may sleep.
 * Return: 0, or -EOPNOTSUPP if page poisoning is enabled or the guest is
 * confidential.
 */
int page_zeroed_source_get(void)
{
	if (page_poisoning_enabled_static())
		return -EOPNOTSUPP;
	if (page_zeroed_confidential()) {
		pr_info_once("confidential guest: no known-zero source accepted\n");
		return -EOPNOTSUPP;
	}

	mutex_lock(&page_zeroed_mutex);
	page_zeroed_sources++;
	static_branch_enable(&page_zeroed_key);
	WRITE_ONCE(page_zeroed_accepting, true);
	mutex_unlock(&page_zeroed_mutex);

	return 0;
}
EXPORT_SYMBOL_GPL(page_zeroed_source_get);

static unsigned long page_zeroed_forget(struct page *page, unsigned int order)
{
	if (!PageZeroed(page))
		return 0;
	__ClearPageZeroed(page);
	return 1UL << order;
}

static unsigned int page_zeroed_pcp_order(unsigned int pindex)
{
#ifdef CONFIG_TRANSPARENT_HUGEPAGE
	if (pindex >= NR_LOWORDER_PCP_LISTS)
		return HPAGE_PMD_ORDER;
#endif
	return pindex / MIGRATE_PCPTYPES;
}

/**
 * page_zeroed_forget_free - Drop the mark of every free block
 *
 * Walks every buddy and per-cpu free list.  For the hibernation restore
 * the walk must be exact: every other CPU is offline and interrupts are
 * off.  A block is only ever marked while it is on a free list or, between
 * being taken off one and the mark being consumed, under that list's lock
 * with preemption off; no CPU can go offline inside such a section, so the
 * free lists hold every mark there is.  It takes zone->lock and every pcp
 * lock with interrupts off, which PREEMPT_RT's sleeping spinlocks do not
 * allow: this is why the option depends on !PREEMPT_RT.  (The KUnit
 * suite, which wipes marks between cases, needs no exactness: no source is
 * registered then.)
 *
 * NMIs still run: alloc_pages_nolock() and free_pages_nolock() only
 * trylock zone->lock and the pcp locks.  Holding them keeps an NMI off the
 * lists being walked (its allocation fails, its free is deferred).
 *
 * Context: interrupts disabled.
 * Return: the number of pages whose mark was dropped.
 */
VISIBLE_IF_KUNIT unsigned long page_zeroed_forget_free(void)
{
	unsigned long cleared = 0;
	struct zone *zone;
	int cpu;

	lockdep_assert_irqs_disabled();
	for_each_populated_zone(zone) {
		unsigned int order, i;
		struct page *page;
		int mt;

		spin_lock(&zone->lock);
		for (order = 0; order < NR_PAGE_ORDERS; order++)
			for (mt = 0; mt < MIGRATE_TYPES; mt++)
				list_for_each_entry(page, &zone->free_area[order].free_list[mt],
						    buddy_list)
					cleared += page_zeroed_forget(page, order);
		spin_unlock(&zone->lock);

		for_each_possible_cpu(cpu) {
			struct per_cpu_pages *pcp = per_cpu_ptr(zone->per_cpu_pageset, cpu);

			spin_lock(&pcp->lock);
			for (i = 0; i < NR_PCP_LISTS; i++)
				list_for_each_entry(page, &pcp->lists[i], pcp_list)
					cleared += page_zeroed_forget(page,
								      page_zeroed_pcp_order(i));
			spin_unlock(&pcp->lock);
		}
	}
	count_vm_events(ZEROED_INVALIDATED, cleared);
	return cleared;
}
EXPORT_SYMBOL_IF_KUNIT(page_zeroed_forget_free);

/**
 * page_zeroed_hibernation_restored - Forget every claim of the restored image
 *
 * A hibernation image holds the memmap, PG_zeroed included, but not the
 * free pages: they are left out of the image, and the kernel that loaded
 * it used them (its own allocations, the image's "safe pages").  No mark
 * that comes back with the image can be trusted, whoever made it.  Called
 * by create_image() in the resumed image kernel, next to
 * clear_or_poison_free_pages(): interrupts are off and only this CPU is
 * online, so the free lists hold every mark and nothing can race with the
 * walk; nothing has allocated since the image was restored.  Sources stay
 * registered: claims made from now on are about memory this kernel owns.
 *
 * The same path serves the kernel's own resume and the userspace one
 * (/dev/snapshot, SNAPSHOT_ATOMIC_RESTORE): both return through
 * create_image() with in_suspend clear.
 */
void page_zeroed_hibernation_restored(void)
{
	unsigned long cleared;

	if (!page_zeroed_enabled())
		return;
	cleared = page_zeroed_forget_free();
	pr_info("hibernation image restored: dropped the known-zero claims of %lu free pages\n",
		cleared);
}

/**
 * page_zeroed_source_put - Unregister a source of known-zero free pages
 *
 * When the last source goes away, new claims stop.  Marks already on free
 * blocks stay, and so does the static key: the memory they describe was
 * zeroed and nobody writes a free page, so they stay true after their
 * source left (a hibernation restore, which does rewrite free pages, drops
 * them all).  The allocator keeps taking the mark off every block it hands
 * out, whichever context allocates, so no stray PG_private can escape: no
 * sweep of the free lists is needed, and none races with NMI-context
 * allocations.
 *
 * Context: process context, may sleep.
 */
void page_zeroed_source_put(void)
{
	mutex_lock(&page_zeroed_mutex);
	if (!WARN_ON_ONCE(!page_zeroed_sources) && --page_zeroed_sources == 0)
		WRITE_ONCE(page_zeroed_accepting, false);
	mutex_unlock(&page_zeroed_mutex);
}
EXPORT_SYMBOL_GPL(page_zeroed_source_put);

/*
 * Record a claim that a block of 1 << @order pages reads as zero.  Called
 * under the lock of the free list the block goes to.
 */
bool page_zeroed_claim(unsigned int order, enum page_zeroed_source source)
{
	if (!READ_ONCE(page_zeroed_accepting))
		return false;
	count_vm_events(ZEROED_MARKED_REPORT + source, 1UL << order);
	return true;
}

static bool page_zeroed_check(struct page *page)
{
	void *addr;
	bool zero;

	/*
	 * A free page may still be poisoned for KASAN, and is uninitialised
	 * for KMSAN: read it unchecked.
	 */
	kasan_disable_current();
	kmsan_disable_current();
	addr = kmap_local_page(page);
	zero = !memchr_inv(kasan_reset_tag(addr), 0, PAGE_SIZE);
	kunmap_local(addr);
	kmsan_enable_current();
	kasan_enable_current();

	return zero;
}

/*
 * post_alloc_hook(): the allocation wants zeroed memory and got a block
 * marked zero.  Return whether clearing it can be skipped; in verify mode
 * a block that holds data is counted, reported and cleared by the caller.
 */
bool page_zeroed_consume(struct page *page, unsigned int order)
{
	unsigned long i, nr = 1UL << order;

	if (READ_ONCE(page_zeroed_verify)) {
		for (i = 0; i < nr; i++) {
			if (page_zeroed_check(page + i))
				continue;
			count_vm_events(ZEROED_VERIFY_FAILED, nr);
			pr_warn_ratelimited("pfn %#lx (order %u block at %#lx) was marked zero but holds data; clearing it\n",
					    page_to_pfn(page + i), order,
					    page_to_pfn(page));
			return false;
		}
	}
	count_vm_events(ZEROED_CONSUMED, nr);
	if (!order)
		count_vm_event(ZEROED_CONSUMED_ORDER0);
	return true;
}

/*
 * Verify mode: check what the device vouched for before the pages go back
 * to the free lists, while the claim can still be tied to its source.
 */
static void page_zeroed_report_check(struct page_reporting_dev_info *prdev,
				     struct scatterlist *sg, unsigned int index)
{
	unsigned long i, nr = sg->length >> PAGE_SHIFT;
	struct page *page = sg_page(sg);
	bool zero = true;

	/* Reported pages are free: debug_pagealloc may have unmapped them. */
	debug_pagealloc_map_pages(page, nr);
	for (i = 0; i < nr && zero; i++)
		zero = page_zeroed_check(page + i);
	debug_pagealloc_unmap_pages(page, nr);
	if (zero)
		return;

	clear_bit(index, prdev->zeroed_bitmap);
	count_vm_events(ZEROED_VERIFY_FAILED, nr);
	pr_warn_ratelimited("%ps: reported pfn %#lx as zeroed but it holds data\n",
			    prdev->report, page_to_pfn(page + i - 1));
}

/*
 * After a successful report(): drop bits beyond @nents, and in verify mode
 * every claim that does not hold.  Called without locks; the pages are
 * isolated.
 */
void page_zeroed_report_verify(struct page_reporting_dev_info *prdev,
			       struct scatterlist *sgl, unsigned int nents)
{
	unsigned int index;

	unsigned int stray;

	if (!prdev->zeroed_bitmap)
		return;
	if (nents < prdev->capacity) {
		stray = bitmap_weight_from(prdev->zeroed_bitmap, nents, prdev->capacity);
		if (stray) {
			page_zeroed_reject(stray);
			pr_warn_ratelimited("%ps: %u zeroed bits beyond the %u reported entries ignored\n",
					    prdev->report, stray, nents);
			bitmap_clear(prdev->zeroed_bitmap, nents, prdev->capacity - nents);
		}
	}
	if (!READ_ONCE(page_zeroed_verify))
		return;
	for_each_set_bit(index, prdev->zeroed_bitmap, nents)
		page_zeroed_report_check(prdev, &sgl[index], index);
}

/*
 * page_reporting_register(): a device that says its host zeroes reported
 * pages becomes a source and gets its bitmap.  If no page can be known to
 * be zero (page poisoning), it reports as any other device.
 */
int page_zeroed_reporting_register(struct page_reporting_dev_info *prdev)
{
	prdev->zeroed_bitmap = NULL;
	if (!prdev->host_zeroes_pages)
		return 0;

	if (page_zeroed_source_get()) {
		pr_info("%ps: page poisoning or a confidential guest: not tracking host-zeroed pages\n",
			prdev->report);
		prdev->host_zeroes_pages = false;
		return 0;
	}

	prdev->zeroed_bitmap = bitmap_zalloc(prdev->capacity, GFP_KERNEL);
	if (!prdev->zeroed_bitmap) {
		page_zeroed_source_put();
		return -ENOMEM;
	}
	return 0;
}

/* page_reporting_unregister(), once no report can be running any more. */
void page_zeroed_reporting_unregister(struct page_reporting_dev_info *prdev)
{
	if (!prdev->zeroed_bitmap)
		return;
	bitmap_free(prdev->zeroed_bitmap);
	prdev->zeroed_bitmap = NULL;
	page_zeroed_source_put();
}

/**
 * page_zeroed_reject - Count zero claims refused as malformed input
 * @nr: how many claims (pages, bits or ranges) were refused
 *
 * For frontends: a host or a caller said something that cannot be true (a
 * used length larger than the buffer, a bitmap bit past the request, a
 * range that wraps).  The claim is not recorded; the frontend logs the
 * details, the core counts it as zeroed_rejected in /proc/vmstat.
 */
void page_zeroed_reject(unsigned long nr)
{
	count_vm_events(ZEROED_REJECTED, nr);
}
EXPORT_SYMBOL_GPL(page_zeroed_reject);

/**
 * folio_put_zeroed - Drop a reference to a folio whose pages read as zero
 * @folio: The folio
 *
 * Like folio_put().  If this was the last reference, the caller guarantees
 * the folio reads as zero and it is freed as a known-zero block.  If
 * someone else still holds a reference the claim is dropped: they may
 * write to it.  Folios that need more than freeing (LRU, hugetlb, device
 * memory, rmappable large folios) are freed as usual, without the claim.
 */
void folio_put_zeroed(struct folio *folio)
{
	if (!folio_put_testzero(folio))
		return;

	if (folio_test_lru(folio) || folio_test_hugetlb(folio) ||
	    folio_is_zone_device(folio) ||
	    (folio_test_large(folio) && folio_test_large_rmappable(folio))) {
		__folio_put(folio);
		return;
	}

	mem_cgroup_uncharge(folio);
	free_frozen_pages_zeroed(&folio->page, folio_order(folio));
}
EXPORT_SYMBOL_GPL(folio_put_zeroed);

/**
 * put_page_zeroed - Drop a reference to a page that reads as zero
 * @page: The page
 *
 * See folio_put_zeroed().
 */
void put_page_zeroed(struct page *page)
{
	folio_put_zeroed(page_folio(page));
}
EXPORT_SYMBOL_GPL(put_page_zeroed);
