// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the Hyper-V known-zero frontend, driven through a fake of
 * the hypercall layer that follows the TLFS: extended hypercall codes,
 * status codes, the QueryCapabilities mask, the 0xFF8-byte
 * GetBootZeroedMemory output with at most 255 ranges, rep completion
 * counts; and through the steps hv_balloon takes for DM_UNBALLOON_REQUEST
 * and hot-add.  The boot-zeroed race runs against the real allocator.
 *
 * hv_balloon_zeroed_kunit.naive=1 swaps the race case's claim for the naive
 * design (mark the free blocks of the ranges as they are when the answer
 * comes: tracking that only starts at the claim), and the case fails.
 */
#include <kunit/test.h>
#include <linux/bitmap.h>
#include <linux/gfp.h>
#include <linux/memblock.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/page_reporting.h>
#include <linux/page_zeroed.h>
#include <linux/page_zeroed_boot.h>
#include <linux/vmstat.h>
#include <hyperv/hvhdk.h>
#include <hyperv/hv_balloon_zeroed.h>
#include <asm/mshyperv.h>

static bool naive;
module_param(naive, bool, 0444);
MODULE_PARM_DESC(naive, "Claim boot-zeroed ranges the naive way in the race case (it must fail)");

#define HV_BZ_MAX_CLAIMS	8

/* The fake hypervisor: what it offers, answers, and what it was asked. */
struct hv_bz_fake {
	bool ext_hypercalls;
	u64 caps;
	u64 caps_status;
	u64 boot_status;
	struct hv_output_get_boot_zeroed_memory boot;
	unsigned int query_calls;
	unsigned int boot_calls;
	unsigned int denied_calls;
	unsigned int claims;
	unsigned long claim_pfn[HV_BZ_MAX_CLAIMS];
	unsigned long claim_nr[HV_BZ_MAX_CLAIMS];
	unsigned long claim_marked[HV_BZ_MAX_CLAIMS];
	unsigned long (*real_claim)(unsigned long start_pfn, unsigned long nr_pages);
};

static struct hv_bz_fake *fake;

static u64 hv_bz_fake_hypercall(u16 code, void *output)
{
	/* Without the EnableExtendedHypercalls privilege (KVM does the same) */
	if (!fake->ext_hypercalls) {
		fake->denied_calls++;
		return HV_STATUS_ACCESS_DENIED;
	}
	switch (code) {
	case HV_EXT_CALL_QUERY_CAPABILITIES:
		fake->query_calls++;
		if (hv_result_success(fake->caps_status))
			*(u64 *)output = fake->caps;
		return fake->caps_status;
	case HV_EXT_CALL_GET_BOOT_ZEROED_MEMORY:
		if (!(fake->caps & HV_EXT_CAPABILITY_GET_BOOT_ZEROED_MEMORY))
			return HV_STATUS_INVALID_HYPERCALL_CODE;
		fake->boot_calls++;
		if (hv_result_success(fake->boot_status))
			memcpy(output, &fake->boot, sizeof(fake->boot));
		return fake->boot_status;
	default:
		return HV_STATUS_INVALID_HYPERCALL_CODE;
	}
}

static unsigned long hv_bz_fake_claim(unsigned long start_pfn, unsigned long nr_pages)
{
	unsigned long marked = 0;
	unsigned int i = fake->claims++;

	if (fake->real_claim)
		marked = fake->real_claim(start_pfn, nr_pages);
	if (i < HV_BZ_MAX_CLAIMS) {
		fake->claim_pfn[i] = start_pfn;
		fake->claim_nr[i] = nr_pages;
		fake->claim_marked[i] = marked;
	}
	return marked;
}

static const struct hv_balloon_zeroed_host hv_bz_host = {
	.hypercall = hv_bz_fake_hypercall,
	.claim = hv_bz_fake_claim,
};

static int hv_bz_init(struct kunit *test)
{
	fake = kunit_kzalloc(test, sizeof(*fake), GFP_KERNEL);
	if (!fake)
		return -ENOMEM;
	fake->ext_hypercalls = true;
	fake->caps_status = HV_STATUS_SUCCESS;
	fake->boot_status = HV_STATUS_SUCCESS;
	return 0;
}

static void hv_bz_exit(struct kunit *test)
{
	fake = NULL;
}

static unsigned long hv_bz_events(enum vm_event_item item)
{
	unsigned long sum = 0;
	int cpu;

	for_each_online_cpu(cpu)
		sum += per_cpu(vm_event_states.event[item], cpu);
	return sum;
}

/* A rep hypercall status: result code and reps completed (TLFS). */
static u64 hv_bz_rep_status(u16 result, unsigned int reps)
{
	return result | ((u64)reps << HV_HYPERCALL_REP_COMP_OFFSET);
}

static void hv_bz_add_range(u64 start, u64 count)
{
	struct hv_boot_zeroed_range *r = &fake->boot.ranges[fake->boot.range_count++];

	r->start_page = start;
	r->page_count = count;
}

static void hv_bz_tlfs_layout(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, sizeof(struct hv_output_get_boot_zeroed_memory), 0xFF8);
	KUNIT_EXPECT_EQ(test, offsetof(struct hv_output_get_boot_zeroed_memory, ranges), 8);
	KUNIT_EXPECT_EQ(test, sizeof(struct hv_boot_zeroed_range), 16);
	KUNIT_EXPECT_EQ(test, HV_EXT_CALL_QUERY_CAPABILITIES, 0x8001);
	KUNIT_EXPECT_EQ(test, HV_EXT_CALL_GET_BOOT_ZEROED_MEMORY, 0x8002);
	KUNIT_EXPECT_EQ(test, HV_EXT_CALL_MEMORY_HEAT_HINT, 0x8003);
	KUNIT_EXPECT_EQ(test, HV_EXT_CAPABILITY_GET_BOOT_ZEROED_MEMORY, BIT_ULL(0));
	KUNIT_EXPECT_EQ(test, HV_EXT_CAPABILITY_MEMORY_COLD_DISCARD_HINT, BIT_ULL(8));
	KUNIT_EXPECT_EQ(test, HV_ENABLE_EXTENDED_HYPERCALLS, BIT(20));
}

static void hv_bz_confidential_trusts_nothing(struct kunit *test)
{
	const struct hv_balloon_zeroed_opts opts = { true, true, true, true };
	struct hv_balloon_zeroed_host host = hv_bz_host;
	struct hv_balloon_zeroed z;
	struct page *page;

	page = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_EQ(test, page_zeroed_boot_track_start(page_to_pfn(page), 1), 0);
	fake->caps = HV_EXT_CAPABILITY_GET_BOOT_ZEROED_MEMORY |
		     HV_EXT_CAPABILITY_MEMORY_COLD_DISCARD_HINT;
	host.isolated = true;
	host.ext_hypercalls = true;
	KUNIT_EXPECT_EQ(test, hv_balloon_zeroed_settle(&z, &host, &opts), 0);
	KUNIT_EXPECT_EQ(test, fake->query_calls + fake->boot_calls, 0);
	KUNIT_EXPECT_FALSE(test, z.report || z.unballoon || z.hot_add || z.source);
	KUNIT_EXPECT_EQ(test, fake->claims, 0);
	KUNIT_EXPECT_FALSE(test, page_zeroed_boot_tracking());
	hv_balloon_zeroed_release(&z);
	__free_page(page);
}

static void hv_bz_no_extended_hypercalls(struct kunit *test)
{
	const struct hv_balloon_zeroed_opts opts = { .cold_discard = true, .boot_zeroed = true };
	struct hv_balloon_zeroed_host host = hv_bz_host;
	struct hv_balloon_zeroed z;

	fake->ext_hypercalls = false;
	fake->caps = HV_EXT_CAPABILITY_GET_BOOT_ZEROED_MEMORY |
		     HV_EXT_CAPABILITY_MEMORY_COLD_DISCARD_HINT;
	KUNIT_EXPECT_EQ(test, hv_balloon_zeroed_settle(&z, &host, &opts), 0);
	/* Without the privilege the frontend must not even ask. */
	KUNIT_EXPECT_EQ(test, fake->denied_calls, 0);
	KUNIT_EXPECT_EQ(test, z.caps, 0);
	KUNIT_EXPECT_FALSE(test, z.report);
	KUNIT_EXPECT_EQ(test, fake->claims, 0);
	hv_balloon_zeroed_release(&z);
}

static void hv_bz_cold_discard(struct kunit *test, bool opt, u64 caps, bool want)
{
	const struct hv_balloon_zeroed_opts opts = { .cold_discard = opt };
	struct hv_balloon_zeroed_host host = hv_bz_host;
	struct hv_balloon_zeroed z;

	host.ext_hypercalls = true;
	fake->caps = caps;
	KUNIT_EXPECT_EQ(test, hv_balloon_zeroed_settle(&z, &host, &opts), 0);
	KUNIT_EXPECT_EQ(test, fake->query_calls, 1);
	KUNIT_EXPECT_EQ(test, z.caps, caps);
	KUNIT_EXPECT_EQ(test, z.report, want);
	hv_balloon_zeroed_release(&z);
}

static void hv_bz_cold_discard_opt_in_off(struct kunit *test)
{
	hv_bz_cold_discard(test, false, HV_EXT_CAPABILITY_MEMORY_COLD_DISCARD_HINT, false);
}

static void hv_bz_cold_discard_opt_in_on(struct kunit *test)
{
	hv_bz_cold_discard(test, true, HV_EXT_CAPABILITY_MEMORY_COLD_DISCARD_HINT, true);
}

static void hv_bz_cold_discard_capability_absent(struct kunit *test)
{
	/* Bit 1 is the TLFS MemoryHeatHint bit, not cold discard. */
	hv_bz_cold_discard(test, true, BIT_ULL(1) | HV_EXT_CAPABILITY_GET_BOOT_ZEROED_MEMORY,
			   false);
}

static void hv_bz_query_capabilities_fails(struct kunit *test)
{
	const struct hv_balloon_zeroed_opts opts = { .cold_discard = true, .boot_zeroed = true };
	struct hv_balloon_zeroed_host host = hv_bz_host;
	struct hv_balloon_zeroed z;

	host.ext_hypercalls = true;
	fake->caps = HV_EXT_CAPABILITY_GET_BOOT_ZEROED_MEMORY |
		     HV_EXT_CAPABILITY_MEMORY_COLD_DISCARD_HINT;
	fake->caps_status = HV_STATUS_ACCESS_DENIED;
	KUNIT_EXPECT_EQ(test, hv_balloon_zeroed_settle(&z, &host, &opts), 0);
	KUNIT_EXPECT_EQ(test, z.caps, 0);
	KUNIT_EXPECT_FALSE(test, z.report);
	KUNIT_EXPECT_EQ(test, fake->boot_calls, 0);
	KUNIT_EXPECT_FALSE(test, z.source);
	hv_balloon_zeroed_release(&z);
}

/* A reporting device as page_reporting_register() leaves it. */
static struct page_reporting_dev_info *hv_bz_prdev(struct kunit *test)
{
	struct page_reporting_dev_info *prdev;

	prdev = kunit_kzalloc(test, sizeof(*prdev), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, prdev);
	prdev->capacity = PAGE_REPORTING_CAPACITY;
	prdev->zeroed_bitmap = kunit_kzalloc(test, BITS_TO_LONGS(prdev->capacity) *
					     sizeof(long), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, prdev->zeroed_bitmap);
	return prdev;
}

static void hv_bz_report_success_marks_batch(struct kunit *test)
{
	struct page_reporting_dev_info *prdev = hv_bz_prdev(test);

	hv_balloon_zeroed_report_done(prdev, 5, hv_bz_rep_status(HV_STATUS_SUCCESS, 5));
	KUNIT_EXPECT_EQ(test, bitmap_weight(prdev->zeroed_bitmap, prdev->capacity), 5);
	KUNIT_EXPECT_EQ(test, find_first_zero_bit(prdev->zeroed_bitmap, prdev->capacity), 5);
}

static void hv_bz_report_failure_marks_none(struct kunit *test)
{
	struct page_reporting_dev_info *prdev = hv_bz_prdev(test);

	/* hv_do_rep_hypercall() returns the failing status with the reps done so far */
	hv_balloon_zeroed_report_done(prdev, 5,
				      hv_bz_rep_status(HV_STATUS_INVALID_PARAMETER, 2));
	hv_balloon_zeroed_report_done(prdev, 5,
				      hv_bz_rep_status(HV_STATUS_INSUFFICIENT_MEMORY, 0));
	KUNIT_EXPECT_TRUE(test, bitmap_empty(prdev->zeroed_bitmap, prdev->capacity));
}

static void hv_bz_report_partial_marks_none(struct kunit *test)
{
	struct page_reporting_dev_info *prdev = hv_bz_prdev(test);

	hv_balloon_zeroed_report_done(prdev, 5, hv_bz_rep_status(HV_STATUS_SUCCESS, 3));
	KUNIT_EXPECT_TRUE(test, bitmap_empty(prdev->zeroed_bitmap, prdev->capacity));
}

static void hv_bz_report_overcomplete_rejected(struct kunit *test)
{
	struct page_reporting_dev_info *prdev = hv_bz_prdev(test);
	unsigned long rejected = hv_bz_events(ZEROED_REJECTED);

	hv_balloon_zeroed_report_done(prdev, 5, hv_bz_rep_status(HV_STATUS_SUCCESS, 6));
	KUNIT_EXPECT_TRUE(test, bitmap_empty(prdev->zeroed_bitmap, prdev->capacity));
	KUNIT_EXPECT_EQ(test, hv_bz_events(ZEROED_REJECTED) - rejected, 1);
	/* Without host_zeroes_pages there is no bitmap: nothing to vouch for. */
	prdev->zeroed_bitmap = NULL;
	hv_balloon_zeroed_report_done(prdev, 5, hv_bz_rep_status(HV_STATUS_SUCCESS, 5));
}

/* Settle with boot-zeroed memory offered and the recording fake claim. */
static void hv_bz_settle_boot(struct kunit *test, struct hv_balloon_zeroed *z)
{
	const struct hv_balloon_zeroed_opts opts = { .boot_zeroed = true };
	struct hv_balloon_zeroed_host host = hv_bz_host;

	host.ext_hypercalls = true;
	fake->caps |= HV_EXT_CAPABILITY_GET_BOOT_ZEROED_MEMORY;
	KUNIT_EXPECT_EQ(test, hv_balloon_zeroed_settle(z, &host, &opts), 0);
	KUNIT_EXPECT_FALSE(test, page_zeroed_boot_tracking());
}

static void hv_bz_rejects_count_over_255(struct kunit *test)
{
	unsigned long rejected = hv_bz_events(ZEROED_REJECTED);
	struct hv_balloon_zeroed z;

	hv_bz_add_range(0x100000, 16);
	fake->boot.range_count = HV_BOOT_ZEROED_MAX_RANGES + 1;
	hv_bz_settle_boot(test, &z);
	KUNIT_EXPECT_EQ(test, fake->boot_calls, 1);
	KUNIT_EXPECT_EQ(test, fake->claims, 0);
	KUNIT_EXPECT_EQ(test, z.boot_marked, 0);
	KUNIT_EXPECT_EQ(test, hv_bz_events(ZEROED_REJECTED) - rejected, 1);
	hv_balloon_zeroed_release(&z);
}

static void hv_bz_rejects_zero_length(struct kunit *test)
{
	unsigned long rejected = hv_bz_events(ZEROED_REJECTED);
	struct hv_balloon_zeroed z;

	hv_bz_add_range(0x100000, 16);
	hv_bz_add_range(0x200000, 0);
	hv_bz_add_range(0x300000, 32);
	hv_bz_settle_boot(test, &z);
	/* The good ranges are still claimed, the bad one is not. */
	KUNIT_ASSERT_EQ(test, fake->claims, 2);
	KUNIT_EXPECT_EQ(test, fake->claim_pfn[0], 0x100000 / (PAGE_SIZE / HV_HYP_PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, fake->claim_pfn[1], 0x300000 / (PAGE_SIZE / HV_HYP_PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, hv_bz_events(ZEROED_REJECTED) - rejected, 1);
	hv_balloon_zeroed_release(&z);
}

static void hv_bz_rejects_wrapping_range(struct kunit *test)
{
	unsigned long rejected = hv_bz_events(ZEROED_REJECTED);
	struct hv_balloon_zeroed z;

	hv_bz_add_range(U64_MAX - 1, 4);		/* wraps */
	hv_bz_add_range(HV_GPA_PAGE_NUMBER_LIMIT - 1, 2);	/* leaves the GPA space */
	hv_bz_add_range(0x100000, 16);
	hv_bz_settle_boot(test, &z);
	KUNIT_ASSERT_EQ(test, fake->claims, 1);
	KUNIT_EXPECT_EQ(test, fake->claim_nr[0], 16 / (PAGE_SIZE / HV_HYP_PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, hv_bz_events(ZEROED_REJECTED) - rejected, 2);
	hv_balloon_zeroed_release(&z);
}

static void hv_bz_boot_overlap_and_absent_memory(struct kunit *test)
{
	unsigned long rejected = hv_bz_events(ZEROED_REJECTED);
	unsigned long beyond = max_pfn + 4096;
	struct hv_balloon_zeroed z;

	/* Both allowed by the TLFS: nothing is refused, nothing is marked twice. */
	hv_bz_add_range(0x100000, 64);
	hv_bz_add_range(0x100020, 64);
	hv_bz_add_range((u64)beyond * (PAGE_SIZE / HV_HYP_PAGE_SIZE), 1 << 20);
	fake->real_claim = page_zeroed_boot_claim;
	hv_bz_settle_boot(test, &z);
	KUNIT_EXPECT_EQ(test, fake->claims, 3);
	/* No tracking was started: nothing is known untouched, nothing marked. */
	KUNIT_EXPECT_EQ(test, z.boot_marked, 0);
	KUNIT_EXPECT_EQ(test, hv_bz_events(ZEROED_REJECTED) - rejected, 0);
	hv_balloon_zeroed_release(&z);
}

static void hv_bz_boot_capability_absent(struct kunit *test)
{
	const struct hv_balloon_zeroed_opts opts = { .boot_zeroed = true };
	struct hv_balloon_zeroed_host host = hv_bz_host;
	struct hv_balloon_zeroed z;
	struct page *page;

	page = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_EQ(test, page_zeroed_boot_track_start(page_to_pfn(page), 1), 0);
	host.ext_hypercalls = true;
	fake->caps = HV_EXT_CAPABILITY_MEMORY_COLD_DISCARD_HINT;
	hv_bz_add_range(0x100000, 16);
	KUNIT_EXPECT_EQ(test, hv_balloon_zeroed_settle(&z, &host, &opts), 0);
	KUNIT_EXPECT_EQ(test, fake->boot_calls, 0);
	KUNIT_EXPECT_FALSE(test, z.source);
	/* The tracking ends even when there is nothing to claim. */
	KUNIT_EXPECT_FALSE(test, page_zeroed_boot_tracking());
	hv_balloon_zeroed_release(&z);
	__free_page(page);
}

static void hv_bz_boot_call_fails(struct kunit *test)
{
	struct hv_balloon_zeroed z;

	hv_bz_add_range(0x100000, 16);
	fake->boot_status = HV_STATUS_INVALID_PARAMETER;
	hv_bz_settle_boot(test, &z);
	KUNIT_EXPECT_EQ(test, fake->boot_calls, 1);
	KUNIT_EXPECT_EQ(test, fake->claims, 0);
	KUNIT_EXPECT_EQ(test, z.boot_marked, 0);
	/* Nothing marked, no other source: the reference is not kept. */
	KUNIT_EXPECT_FALSE(test, z.source);
	hv_balloon_zeroed_release(&z);
}

static void hv_bz_boot_opt_out(struct kunit *test)
{
	const struct hv_balloon_zeroed_opts opts = { .boot_zeroed = false };
	struct hv_balloon_zeroed_host host = hv_bz_host;
	struct hv_balloon_zeroed z;

	host.ext_hypercalls = true;
	fake->caps = HV_EXT_CAPABILITY_GET_BOOT_ZEROED_MEMORY;
	KUNIT_EXPECT_EQ(test, hv_balloon_zeroed_settle(&z, &host, &opts), 0);
	KUNIT_EXPECT_EQ(test, fake->boot_calls, 0);
	KUNIT_EXPECT_EQ(test, fake->claims, 0);
	hv_balloon_zeroed_release(&z);
}

/* Pages of [pfn, pfn + nr) in free blocks marked known-zero; clear them if asked. */
static unsigned long hv_bz_marked(unsigned long pfn, unsigned long nr, bool clear)
{
	struct zone *zone = page_zone(pfn_to_page(pfn));
	unsigned long end = pfn + nr, marked = 0, flags;

	spin_lock_irqsave(&zone->lock, flags);
	for (; pfn < end; pfn++) {
		struct page *page = pfn_to_page(pfn);
		unsigned long order;

		if (!PageBuddy(page))
			continue;
		/* A free block's order, as buddy_order() reads it */
		order = page_private(page);
		if (PageZeroed(page)) {
			marked += 1UL << order;
			if (clear)
				__ClearPageZeroed(page);
		}
		pfn += (1UL << order) - 1;
	}
	spin_unlock_irqrestore(&zone->lock, flags);
	return marked;
}

/*
 * Two zeroed MAX_PAGE_ORDER blocks enter the allocator untouched ("boot").
 * Before the hypervisor is asked, block b is allocated, written and freed
 * again; the hypervisor's (stale) answer still lists both, a range
 * without memory and one overlapping a.  The tracked range spans the
 * memory between a and b too: no claimed range may cover it.  With
 * @must_hold, b must not be marked; without, the case shows that
 * @use_naive marks it: the naive design trusts whatever is free when the
 * answer comes, which is what tracking started only then amounts to.
 */
static void hv_bz_boot_race(struct kunit *test, bool use_naive, bool must_hold)
{
	const unsigned int order = MAX_PAGE_ORDER, nr = 1U << order;
	const unsigned long per = PAGE_SIZE / HV_HYP_PAGE_SIZE;
	struct hv_balloon_zeroed z;
	unsigned long pa, pb, lo, hi;
	struct page *a, *b, *again;

	if (page_poisoning_enabled_static())
		kunit_skip(test, "page poisoning: no page can be known zero");
	if (page_zeroed_boot_tracking())
		kunit_skip(test, "boot memory is being tracked for a real claim");
	a = alloc_pages(GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN, order);
	b = alloc_pages(GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN, order);
	if (!a || !b) {
		if (a)
			__free_pages(a, order);
		if (b)
			__free_pages(b, order);
		kunit_skip(test, "no free MAX_PAGE_ORDER blocks");
	}
	pa = page_to_pfn(a);
	pb = page_to_pfn(b);
	lo = min(pa, pb);
	hi = max(pa, pb) + nr;
	if (!use_naive)
		KUNIT_ASSERT_EQ(test, page_zeroed_boot_track_start(lo, hi - lo), 0);
	__free_pages(a, order);
	__free_pages(b, order);

	/* The race: b is handed out, written and freed before the claim. */
	again = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);
	if (again != b) {
		if (again)
			__free_pages(again, order);
		page_zeroed_boot_track_stop();
		kunit_skip(test, "the allocator did not hand the same block back");
	}
	memset(page_address(b) + PAGE_SIZE * 3 + 100, 0x5a, 64);
	__free_pages(b, order);

	hv_bz_add_range((u64)pa * per, (u64)nr * per);
	hv_bz_add_range((u64)pb * per, (u64)nr * per);
	hv_bz_add_range((u64)(max_pfn + 4096) * per, 1ULL << 30);
	/* Overlaps a: only inside a, whose free blocks are already marked */
	hv_bz_add_range((u64)(pa + nr / 2) * per, (u64)(nr / 2) * per);
	if (use_naive)
		KUNIT_ASSERT_EQ(test, page_zeroed_boot_track_start(lo, hi - lo), 0);
	fake->real_claim = page_zeroed_boot_claim;
	hv_bz_settle_boot(test, &z);
	KUNIT_ASSERT_EQ(test, fake->claims, 4);
	KUNIT_EXPECT_EQ(test, fake->claim_marked[2], 0);
	KUNIT_EXPECT_EQ(test, fake->claim_marked[3], 0);
	kunit_info(test, "%s claim: untouched block %lu of %u pages marked, dirtied block %lu\n",
		   use_naive ? "naive" : "tracked", fake->claim_marked[0], nr,
		   fake->claim_marked[1]);
	if (must_hold) {
		/* The written block must never be vouched for. */
		KUNIT_EXPECT_EQ(test, fake->claim_marked[1], 0);
		KUNIT_EXPECT_EQ(test, hv_bz_marked(pb, nr, false), 0);
	} else {
		/* The naive design vouches for the written block: wrong. */
		KUNIT_EXPECT_GT(test, fake->claim_marked[1], 0);
	}
	/* Never leave a wrong claim behind. */
	hv_bz_marked(pb, nr, true);
	/* The untouched block is marked unless the allocator used it meanwhile. */
	KUNIT_EXPECT_LE(test, fake->claim_marked[0], nr);
	hv_balloon_zeroed_release(&z);
}

static void hv_bz_boot_race_dirty_block_never_marked(struct kunit *test)
{
	hv_bz_boot_race(test, naive, true);
}

static void hv_bz_boot_naive_design_marks_dirty_block(struct kunit *test)
{
	hv_bz_boot_race(test, true, false);
}

/* A page as hv_balloon's balloon_up() holds it: offline, not managed. */
static struct page *hv_bz_offline_page(struct kunit *test)
{
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);

	KUNIT_ASSERT_NOT_NULL(test, page);
	__SetPageOffline(page);
	adjust_managed_page_count(page, -1);
	return page;
}

static void hv_bz_unballoon(struct kunit *test, bool opt)
{
	const struct hv_balloon_zeroed_opts opts = { .unballoon = opt };
	struct hv_balloon_zeroed_host host = hv_bz_host;
	struct hv_balloon_zeroed z;
	unsigned long deflate;
	struct page *page;

	if (page_poisoning_enabled_static())
		kunit_skip(test, "page poisoning: no page can be known zero");
	KUNIT_ASSERT_EQ(test, hv_balloon_zeroed_settle(&z, &host, &opts), 0);
	KUNIT_EXPECT_EQ(test, z.unballoon, opt);
	page = hv_bz_offline_page(test);
	deflate = hv_bz_events(ZEROED_MARKED_DEFLATE);
	/* What free_balloon_pages() does for a DM_UNBALLOON_REQUEST range */
	__ClearPageOffline(page);
	__hv_balloon_zeroed_free_unballooned(&z, page);
	adjust_managed_page_count(page, 1);
	KUNIT_EXPECT_EQ(test, hv_bz_events(ZEROED_MARKED_DEFLATE) - deflate, opt ? 1 : 0);
	hv_balloon_zeroed_release(&z);
}

static void hv_bz_unballoon_opt_in_off(struct kunit *test)
{
	hv_bz_unballoon(test, false);
}

static void hv_bz_unballoon_opt_in_on(struct kunit *test)
{
	hv_bz_unballoon(test, true);
}

static void hv_bz_hot_add(struct kunit *test, bool opt)
{
#ifdef CONFIG_MEMORY_HOTPLUG
	const struct hv_balloon_zeroed_opts opts = { .hot_add = opt };
	struct hv_balloon_zeroed_host host = hv_bz_host;
	struct hv_balloon_zeroed z;
	unsigned long deflate;
	struct page *page;

	if (page_poisoning_enabled_static())
		kunit_skip(test, "page poisoning: no page can be known zero");
	KUNIT_ASSERT_EQ(test, hv_balloon_zeroed_settle(&z, &host, &opts), 0);
	KUNIT_EXPECT_EQ(test, z.hot_add, opt);
	/* A hot-added page before onlining: PageOffline, a reference, unmanaged */
	page = hv_bz_offline_page(test);
	deflate = hv_bz_events(ZEROED_MARKED_DEFLATE);
	__hv_balloon_zeroed_online_page(&z, page, 0);
	KUNIT_EXPECT_EQ(test, hv_bz_events(ZEROED_MARKED_DEFLATE) - deflate, opt ? 1 : 0);
	hv_balloon_zeroed_release(&z);
#else
	kunit_skip(test, "needs CONFIG_MEMORY_HOTPLUG");
#endif
}

static void hv_bz_hot_add_opt_in_off(struct kunit *test)
{
	hv_bz_hot_add(test, false);
}

static void hv_bz_hot_add_opt_in_on(struct kunit *test)
{
	hv_bz_hot_add(test, true);
}

static struct kunit_case hv_bz_cases[] = {
	KUNIT_CASE(hv_bz_tlfs_layout),
	KUNIT_CASE(hv_bz_confidential_trusts_nothing),
	KUNIT_CASE(hv_bz_no_extended_hypercalls),
	KUNIT_CASE(hv_bz_cold_discard_opt_in_off),
	KUNIT_CASE(hv_bz_cold_discard_opt_in_on),
	KUNIT_CASE(hv_bz_cold_discard_capability_absent),
	KUNIT_CASE(hv_bz_query_capabilities_fails),
	KUNIT_CASE(hv_bz_report_success_marks_batch),
	KUNIT_CASE(hv_bz_report_failure_marks_none),
	KUNIT_CASE(hv_bz_report_partial_marks_none),
	KUNIT_CASE(hv_bz_report_overcomplete_rejected),
	KUNIT_CASE(hv_bz_rejects_count_over_255),
	KUNIT_CASE(hv_bz_rejects_zero_length),
	KUNIT_CASE(hv_bz_rejects_wrapping_range),
	KUNIT_CASE(hv_bz_boot_overlap_and_absent_memory),
	KUNIT_CASE(hv_bz_boot_capability_absent),
	KUNIT_CASE(hv_bz_boot_call_fails),
	KUNIT_CASE(hv_bz_boot_opt_out),
	KUNIT_CASE(hv_bz_boot_race_dirty_block_never_marked),
	KUNIT_CASE(hv_bz_boot_naive_design_marks_dirty_block),
	KUNIT_CASE(hv_bz_unballoon_opt_in_off),
	KUNIT_CASE(hv_bz_unballoon_opt_in_on),
	KUNIT_CASE(hv_bz_hot_add_opt_in_off),
	KUNIT_CASE(hv_bz_hot_add_opt_in_on),
	{}
};

static struct kunit_suite hv_bz_suite = {
	.name = "hyperv_balloon_zeroed",
	.init = hv_bz_init,
	.exit = hv_bz_exit,
	.test_cases = hv_bz_cases,
};

kunit_test_suite(hv_bz_suite);

MODULE_DESCRIPTION("KUnit tests for the Hyper-V known-zero frontend");
MODULE_LICENSE("GPL");
