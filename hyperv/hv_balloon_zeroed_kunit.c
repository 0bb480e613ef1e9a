// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the Hyper-V known-zero frontend, driven through a fake of
 * the platform that follows the TLFS and never promises more than it does:
 * QueryCapabilities as hv_query_ext_cap() answers it (false without the
 * extended-hypercall privilege or when the query failed), a
 * GetBootZeroedMemory that lists a block only while the guest has not
 * written it (zero "at the time the hypercall is made"), status codes and
 * rep completion counts.  The boot-zeroed claim runs against the real page
 * allocator; the unballoon and hot-add cases free and online real pages and
 * check their marks.
 */
#include <kunit/test.h>
#include <linux/bitmap.h>
#include <linux/gfp.h>
#include <linux/irqflags.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/page_reporting.h>
#include <linux/page_zeroed.h>
#include <linux/page_zeroed_boot.h>
#include <linux/string.h>
#include <linux/vmstat.h>
#include <hyperv/hvhdk.h>
#include <hyperv/hv_balloon_zeroed.h>
#include <asm/mshyperv.h>

MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING");

#define HV_BZ_MAX_BLOCKS	4
#define HV_BZ_BLOCK_ORDER	MAX_PAGE_ORDER
#define HV_BZ_BLOCK_PAGES	BIT(HV_BZ_BLOCK_ORDER)
#define HV_BZ_PER_PAGE		(PAGE_SIZE / HV_HYP_PAGE_SIZE)

/* The fake platform: what it offers, what it knows, what it was asked. */
struct hv_bz_fake {
	bool ext_hypercalls;
	bool caps_failed;
	u64 caps;
	u64 boot_status;
	/* Ranges every answer carries, before the blocks' */
	struct hv_output_get_boot_zeroed_memory fixed;
	/* Guest blocks the host knows about, and whether the guest wrote them */
	unsigned int nr_blocks;
	unsigned long block_pfn[HV_BZ_MAX_BLOCKS];
	bool block_written[HV_BZ_MAX_BLOCKS];
	bool overlap;
	struct zone *zone;
	unsigned int query_calls;
	unsigned int boot_calls;
	unsigned int answered_locked;
	unsigned int taints;
	const char *taint[4];
};

static struct hv_bz_fake *fake;

static bool hv_bz_fake_query_cap(u64 cap)
{
	fake->query_calls++;
	/* hv_query_ext_cap(): no privilege, or a failed query, offers nothing */
	if (!fake->ext_hypercalls || fake->caps_failed)
		return false;
	return fake->caps & cap;
}

/* GetBootZeroedMemory as the TLFS words it: what reads as zero now. */
static u64 hv_bz_fake_boot_zeroed(struct hv_output_get_boot_zeroed_memory *out)
{
	unsigned int i;

	fake->boot_calls++;
	/* Asked with the block's zone locked (by the claim, on this CPU)? */
	if (fake->zone && irqs_disabled()) {
		if (spin_trylock(&fake->zone->lock))
			spin_unlock(&fake->zone->lock);
		else
			fake->answered_locked++;
	}
	if (!hv_result_success(fake->boot_status))
		return fake->boot_status;
	memcpy(out, &fake->fixed, sizeof(*out));
	if (out->range_count > HV_BOOT_ZEROED_MAX_RANGES)
		return HV_STATUS_SUCCESS;
	for (i = 0; i < fake->nr_blocks; i++) {
		struct hv_boot_zeroed_range *r;

		if (fake->block_written[i] ||
		    out->range_count == HV_BOOT_ZEROED_MAX_RANGES)
			continue;
		r = &out->ranges[out->range_count++];
		r->start_page = (u64)fake->block_pfn[i] * HV_BZ_PER_PAGE;
		r->page_count = HV_BZ_BLOCK_PAGES * HV_BZ_PER_PAGE;
		/* And its upper half again, overlapping */
		if (fake->overlap && out->range_count < HV_BOOT_ZEROED_MAX_RANGES) {
			out->ranges[out->range_count] = *r;
			r = &out->ranges[out->range_count++];
			r->start_page += r->page_count / 2;
			r->page_count /= 2;
		}
	}
	return HV_STATUS_SUCCESS;
}

static u64 hv_bz_fake_hypercall(u16 code, void *output)
{
	/* Without the EnableExtendedHypercalls privilege (KVM does the same) */
	if (!fake->ext_hypercalls)
		return HV_STATUS_ACCESS_DENIED;
	switch (code) {
	case HV_EXT_CALL_GET_BOOT_ZEROED_MEMORY:
		if (!(fake->caps & HV_EXT_CAPABILITY_GET_BOOT_ZEROED_MEMORY))
			return HV_STATUS_INVALID_HYPERCALL_CODE;
		return hv_bz_fake_boot_zeroed(output);
	default:
		return HV_STATUS_INVALID_HYPERCALL_CODE;
	}
}

static void hv_bz_fake_taint(const char *opt_in)
{
	if (fake->taints < ARRAY_SIZE(fake->taint))
		fake->taint[fake->taints] = opt_in;
	fake->taints++;
}

static const struct hv_balloon_zeroed_host hv_bz_host = {
	.query_cap = hv_bz_fake_query_cap,
	.hypercall = hv_bz_fake_hypercall,
	.taint = hv_bz_fake_taint,
};

static int hv_bz_init(struct kunit *test)
{
	fake = kunit_kzalloc(test, sizeof(*fake), GFP_KERNEL);
	if (!fake)
		return -ENOMEM;
	fake->ext_hypercalls = true;
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
	struct hv_boot_zeroed_range *r = &fake->fixed.ranges[fake->fixed.range_count++];

	r->start_page = start;
	r->page_count = count;
}

/* A range of Hyper-V pages past the end of the guest's memory. */
static u64 hv_bz_beyond_memory(void)
{
	return (u64)(max_pfn + 4096) * HV_BZ_PER_PAGE;
}

static void hv_bz_tlfs_layout(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, sizeof(struct hv_output_get_boot_zeroed_memory), 0xFF8);
	KUNIT_EXPECT_EQ(test, offsetof(struct hv_output_get_boot_zeroed_memory, ranges), 8);
	KUNIT_EXPECT_EQ(test, sizeof(struct hv_boot_zeroed_range), 16);
	KUNIT_EXPECT_EQ(test, HV_BOOT_ZEROED_MAX_RANGES, 255);
	KUNIT_EXPECT_EQ(test, HV_EXT_CALL_QUERY_CAPABILITIES, 0x8001);
	KUNIT_EXPECT_EQ(test, HV_EXT_CALL_GET_BOOT_ZEROED_MEMORY, 0x8002);
	KUNIT_EXPECT_EQ(test, HV_EXT_CALL_MEMORY_HEAT_HINT, 0x8003);
	KUNIT_EXPECT_EQ(test, HV_EXT_CAPABILITY_GET_BOOT_ZEROED_MEMORY, BIT_ULL(0));
	KUNIT_EXPECT_EQ(test, HV_EXT_CAPABILITY_MEMORY_COLD_DISCARD_HINT, BIT_ULL(8));
	KUNIT_EXPECT_EQ(test, HV_ENABLE_EXTENDED_HYPERCALLS, BIT(20));
	/* 52 physical address bits of 4 KiB pages */
	KUNIT_EXPECT_EQ(test, HV_GPA_PAGE_NUMBER_LIMIT, BIT_ULL(40));
}

static void hv_bz_settle(struct kunit *test, struct hv_balloon_zeroed *z,
			 const struct hv_balloon_zeroed_host *host,
			 const struct hv_balloon_zeroed_opts *opts)
{
	KUNIT_ASSERT_EQ(test, hv_balloon_zeroed_settle(z, host, opts), 0);
}

static void hv_bz_defaults_trust_nothing(struct kunit *test)
{
	struct hv_balloon_zeroed_opts opts;
	struct hv_balloon_zeroed z;

	/* This boot's command line sets none: these are the defaults. */
	hv_balloon_zeroed_opts_set(&opts);
	KUNIT_EXPECT_FALSE(test, opts.boot_zeroed);
	KUNIT_EXPECT_FALSE(test, opts.cold_discard);
	KUNIT_EXPECT_FALSE(test, opts.unballoon);
	KUNIT_EXPECT_FALSE(test, opts.hot_add);

	fake->caps = HV_EXT_CAPABILITY_GET_BOOT_ZEROED_MEMORY |
		     HV_EXT_CAPABILITY_MEMORY_COLD_DISCARD_HINT;
	hv_bz_settle(test, &z, &hv_bz_host, &opts);
	/* Nothing asked for: nothing asked of the host, nothing trusted. */
	KUNIT_EXPECT_EQ(test, fake->query_calls + fake->boot_calls, 0);
	KUNIT_EXPECT_EQ(test, fake->taints, 0);
	KUNIT_EXPECT_FALSE(test, z.report || z.unballoon || z.hot_add || z.source);
	KUNIT_EXPECT_EQ(test, z.boot_marked, 0);
	hv_balloon_zeroed_release(&z);
}

static void hv_bz_confidential_trusts_nothing(struct kunit *test)
{
	const struct hv_balloon_zeroed_opts opts = { true, true, true, true };
	struct hv_balloon_zeroed_host host = hv_bz_host;
	struct hv_balloon_zeroed z;

	fake->caps = HV_EXT_CAPABILITY_GET_BOOT_ZEROED_MEMORY |
		     HV_EXT_CAPABILITY_MEMORY_COLD_DISCARD_HINT;
	host.isolated = true;
	hv_bz_settle(test, &z, &host, &opts);
	KUNIT_EXPECT_EQ(test, fake->query_calls + fake->boot_calls, 0);
	KUNIT_EXPECT_FALSE(test, z.report || z.unballoon || z.hot_add || z.source);
	/* Setting an opt-in taints, even where it is then not used. */
	KUNIT_EXPECT_EQ(test, fake->taints, 3);
	hv_balloon_zeroed_release(&z);
}

static void hv_bz_no_extended_hypercalls(struct kunit *test)
{
	const struct hv_balloon_zeroed_opts opts = { .cold_discard = true, .boot_zeroed = true };
	struct hv_balloon_zeroed z;

	fake->ext_hypercalls = false;
	fake->caps = HV_EXT_CAPABILITY_GET_BOOT_ZEROED_MEMORY |
		     HV_EXT_CAPABILITY_MEMORY_COLD_DISCARD_HINT;
	hv_bz_settle(test, &z, &hv_bz_host, &opts);
	KUNIT_EXPECT_EQ(test, fake->boot_calls, 0);
	KUNIT_EXPECT_FALSE(test, z.report);
	KUNIT_EXPECT_FALSE(test, z.source);
	KUNIT_EXPECT_EQ(test, z.boot_marked, 0);
	hv_balloon_zeroed_release(&z);
}

static void hv_bz_cold_discard(struct kunit *test, bool opt, u64 caps, bool want)
{
	const struct hv_balloon_zeroed_opts opts = { .cold_discard = opt };
	struct hv_balloon_zeroed z;

	fake->caps = caps;
	hv_bz_settle(test, &z, &hv_bz_host, &opts);
	KUNIT_EXPECT_EQ(test, fake->query_calls, opt ? 1 : 0);
	KUNIT_EXPECT_EQ(test, z.report, want);
	KUNIT_EXPECT_EQ(test, fake->taints, opt ? 1 : 0);
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
	struct hv_balloon_zeroed z;

	fake->caps = HV_EXT_CAPABILITY_GET_BOOT_ZEROED_MEMORY |
		     HV_EXT_CAPABILITY_MEMORY_COLD_DISCARD_HINT;
	fake->caps_failed = true;
	hv_bz_settle(test, &z, &hv_bz_host, &opts);
	KUNIT_EXPECT_FALSE(test, z.report);
	KUNIT_EXPECT_EQ(test, fake->boot_calls, 0);
	KUNIT_EXPECT_FALSE(test, z.source);
	hv_balloon_zeroed_release(&z);
}

/* Each opt-in no protocol backs taints, by name; boot_zeroed does not. */
static void hv_bz_opt_ins_taint(struct kunit *test)
{
	const struct {
		struct hv_balloon_zeroed_opts opts;
		const char *name;
	} cases[] = {
		{ { .cold_discard = true }, "cold_discard_zeroes" },
		{ { .unballoon = true }, "unballoon_zeroes" },
		{ { .hot_add = true }, "hot_add_zeroes" },
		{ { .boot_zeroed = true }, NULL },
	};
	struct hv_balloon_zeroed z;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		unsigned int want = !!cases[i].name;

		fake->taints = 0;
		hv_bz_settle(test, &z, &hv_bz_host, &cases[i].opts);
		KUNIT_EXPECT_EQ(test, fake->taints, want);
		if (cases[i].name && fake->taints == 1)
			KUNIT_EXPECT_STREQ(test, fake->taint[0], cases[i].name);
		hv_balloon_zeroed_release(&z);
	}
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

	/* Only a broken wrapper or host returns this (the wrapper loops to the end). */
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

/* Whether @pfn starts a free block of HV_BZ_BLOCK_ORDER. */
static bool hv_bz_block_free(unsigned long pfn)
{
	struct page *page = pfn_to_page(pfn);

	return PageBuddy(page) && page_private(page) == HV_BZ_BLOCK_ORDER;
}

static unsigned int hv_bz_populated_zones(void)
{
	struct zone *zone;
	unsigned int n = 0;

	for_each_populated_zone(zone)
		n++;
	return n;
}

/*
 * One boot-zeroed claim against the real allocator.  @written[i] says
 * whether block i is written by the guest before the claim; the fake
 * host lists exactly the blocks not written, plus fake->fixed.  Fills
 * @marked[i] with the pages of block i marked and returns true, or
 * returns false when the allocator handed an unwritten block to somebody
 * else before the claim (the caller retries).
 */
static bool hv_bz_boot_claim_blocks(struct kunit *test, struct hv_balloon_zeroed *z,
				    unsigned int n, const bool *written,
				    unsigned long *marked)
{
	const struct hv_balloon_zeroed_opts opts = { .boot_zeroed = true };
	struct page *block[HV_BZ_MAX_BLOCKS];
	unsigned int i;

	if (page_poisoning_enabled_static())
		kunit_skip(test, "page poisoning: no page can be known zero");
	for (i = 0; i < n; i++) {
		block[i] = alloc_pages(GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN,
				       HV_BZ_BLOCK_ORDER);
		if (!block[i]) {
			while (i--)
				__free_pages(block[i], HV_BZ_BLOCK_ORDER);
			kunit_skip(test, "no free MAX_PAGE_ORDER blocks");
		}
		/* The guest writes the block before the hypervisor is asked. */
		if (written[i])
			memset(page_address(block[i]) + PAGE_SIZE * 3 + 100, 0x5a, 64);
		fake->block_pfn[i] = page_to_pfn(block[i]);
		fake->block_written[i] = written[i];
	}
	fake->nr_blocks = n;
	fake->zone = page_zone(block[0]);
	fake->caps |= HV_EXT_CAPABILITY_GET_BOOT_ZEROED_MEMORY;
	fake->boot_calls = 0;
	fake->answered_locked = 0;
	for (i = 0; i < n; i++)
		__free_pages(block[i], HV_BZ_BLOCK_ORDER);

	hv_bz_settle(test, z, &hv_bz_host, &opts);
	for (i = 0; i < n; i++) {
		marked[i] = hv_bz_marked(fake->block_pfn[i], HV_BZ_BLOCK_PAGES, false);
		/* Never leave a wrong claim behind. */
		if (written[i])
			hv_bz_marked(fake->block_pfn[i], HV_BZ_BLOCK_PAGES, true);
	}
	for (i = 0; i < n; i++)
		if (!written[i] && marked[i] != HV_BZ_BLOCK_PAGES &&
		    !hv_bz_block_free(fake->block_pfn[i]))
			return false;
	return true;
}

/* As hv_bz_boot_claim_blocks(), retried while the allocator interferes. */
static void hv_bz_boot_claim(struct kunit *test, struct hv_balloon_zeroed *z,
			     unsigned int n, const bool *written, unsigned long *marked)
{
	unsigned int attempt;

	for (attempt = 0; attempt < 3; attempt++) {
		if (hv_bz_boot_claim_blocks(test, z, n, written, marked))
			return;
		hv_balloon_zeroed_release(z);
	}
	kunit_skip(test, "the allocator reused the test blocks three times");
}

/* A free block nobody wrote, listed by the host: marked, all of it. */
static void hv_bz_boot_untouched_block_marked(struct kunit *test)
{
	const bool written[] = { false };
	unsigned long rejected = hv_bz_events(ZEROED_REJECTED);
	unsigned long marked[1];
	struct hv_balloon_zeroed z;

	hv_bz_boot_claim(test, &z, 1, written, marked);
	KUNIT_EXPECT_EQ(test, marked[0], HV_BZ_BLOCK_PAGES);
	KUNIT_EXPECT_EQ(test, z.boot_marked, HV_BZ_BLOCK_PAGES);
	KUNIT_EXPECT_EQ(test, z.boot.rejected, 0);
	KUNIT_EXPECT_EQ(test, hv_bz_events(ZEROED_REJECTED) - rejected, 0);
	/* Only boot memory was asked for: no reference is kept. */
	KUNIT_EXPECT_FALSE(test, z.source);
	hv_balloon_zeroed_release(&z);
}

/*
 * A block the guest wrote before the claim (the previous kernel's data
 * under kexec, the firmware's, the boot loader's) is not zero when the
 * call is made: a host that answers as the TLFS says does not list it,
 * and the claim must not mark it, while the untouched one is marked.
 */
static void hv_bz_boot_written_before_claim_never_marked(struct kunit *test)
{
	const bool written[] = { false, true };
	unsigned long marked[2];
	struct hv_balloon_zeroed z;

	hv_bz_boot_claim(test, &z, 2, written, marked);
	KUNIT_EXPECT_EQ(test, marked[0], HV_BZ_BLOCK_PAGES);
	KUNIT_EXPECT_EQ(test, marked[1], 0);
	KUNIT_EXPECT_EQ(test, z.boot_marked, HV_BZ_BLOCK_PAGES);
	hv_balloon_zeroed_release(&z);
}

/*
 * The window between the answer and the mark: the host is asked once per
 * zone, with that zone's lock held and interrupts off, so no block of the
 * zone can be handed out, written and freed in between.
 */
static void hv_bz_boot_answered_under_zone_lock(struct kunit *test)
{
	const bool written[] = { false };
	unsigned long marked[1];
	struct hv_balloon_zeroed z;

	hv_bz_boot_claim(test, &z, 1, written, marked);
	KUNIT_EXPECT_EQ(test, fake->boot_calls, hv_bz_populated_zones());
	KUNIT_EXPECT_EQ(test, fake->answered_locked, 1);
	KUNIT_EXPECT_EQ(test, marked[0], HV_BZ_BLOCK_PAGES);
	hv_balloon_zeroed_release(&z);
}

static void hv_bz_boot_overlap_and_absent_memory(struct kunit *test)
{
	const bool written[] = { false };
	unsigned long rejected = hv_bz_events(ZEROED_REJECTED);
	unsigned long marked[1];
	struct hv_balloon_zeroed z;

	/*
	 * Both allowed by the TLFS: the block's range is overlapped by one
	 * of its upper half, and two overlapping ranges lie past the end of
	 * memory.  Nothing is
	 * refused, nothing marked twice, nothing outside the block marked.
	 */
	hv_bz_add_range(hv_bz_beyond_memory(), 1ULL << 20);
	hv_bz_add_range(hv_bz_beyond_memory() + (1ULL << 19), 1ULL << 20);
	fake->overlap = true;
	hv_bz_boot_claim(test, &z, 1, written, marked);
	KUNIT_EXPECT_EQ(test, marked[0], HV_BZ_BLOCK_PAGES);
	KUNIT_EXPECT_EQ(test, z.boot_marked, HV_BZ_BLOCK_PAGES);
	KUNIT_EXPECT_EQ(test, hv_bz_events(ZEROED_REJECTED) - rejected, 0);
	hv_balloon_zeroed_release(&z);
}

static void hv_bz_rejects_count_over_255(struct kunit *test)
{
	const bool written[] = { false };
	unsigned long rejected = hv_bz_events(ZEROED_REJECTED);
	unsigned long marked[1];
	struct hv_balloon_zeroed z;

	fake->fixed.range_count = HV_BOOT_ZEROED_MAX_RANGES + 1;
	hv_bz_boot_claim_blocks(test, &z, 1, written, marked);
	/* The layout cannot be trusted: the whole answer is refused, once. */
	KUNIT_EXPECT_EQ(test, marked[0], 0);
	KUNIT_EXPECT_EQ(test, z.boot_marked, 0);
	KUNIT_EXPECT_TRUE(test, z.boot.count_too_big);
	KUNIT_EXPECT_EQ(test, hv_bz_events(ZEROED_REJECTED) - rejected, 1);
	hv_balloon_zeroed_release(&z);
}

static void hv_bz_rejects_zero_length(struct kunit *test)
{
	const bool written[] = { false };
	unsigned long rejected = hv_bz_events(ZEROED_REJECTED);
	unsigned long marked[1];
	struct hv_balloon_zeroed z;

	hv_bz_add_range(hv_bz_beyond_memory(), 0);
	hv_bz_boot_claim(test, &z, 1, written, marked);
	/* The good range is still claimed, the bad one refused and counted once. */
	KUNIT_EXPECT_EQ(test, marked[0], HV_BZ_BLOCK_PAGES);
	KUNIT_EXPECT_EQ(test, z.boot.rejected, 1);
	KUNIT_EXPECT_EQ(test, hv_bz_events(ZEROED_REJECTED) - rejected, 1);
	hv_balloon_zeroed_release(&z);
}

static void hv_bz_rejects_wrapping_range(struct kunit *test)
{
	const bool written[] = { false };
	unsigned long rejected = hv_bz_events(ZEROED_REJECTED);
	unsigned long marked[1];
	struct hv_balloon_zeroed z;

	hv_bz_add_range(U64_MAX - 1, 4);			/* wraps */
	hv_bz_add_range(HV_GPA_PAGE_NUMBER_LIMIT - 1, 2);	/* leaves the GPA space */
	hv_bz_boot_claim(test, &z, 1, written, marked);
	KUNIT_EXPECT_EQ(test, marked[0], HV_BZ_BLOCK_PAGES);
	KUNIT_EXPECT_EQ(test, z.boot.rejected, 2);
	KUNIT_EXPECT_EQ(test, hv_bz_events(ZEROED_REJECTED) - rejected, 2);
	hv_balloon_zeroed_release(&z);
}

static void hv_bz_boot_capability_absent(struct kunit *test)
{
	const struct hv_balloon_zeroed_opts opts = { .boot_zeroed = true };
	struct hv_balloon_zeroed z;

	fake->caps = HV_EXT_CAPABILITY_MEMORY_COLD_DISCARD_HINT;
	hv_bz_add_range(hv_bz_beyond_memory(), 16);
	hv_bz_settle(test, &z, &hv_bz_host, &opts);
	KUNIT_EXPECT_EQ(test, fake->query_calls, 1);
	KUNIT_EXPECT_EQ(test, fake->boot_calls, 0);
	KUNIT_EXPECT_FALSE(test, z.source);
	hv_balloon_zeroed_release(&z);
}

static void hv_bz_boot_call_fails(struct kunit *test)
{
	const struct hv_balloon_zeroed_opts opts = { .boot_zeroed = true };
	struct hv_balloon_zeroed z;

	if (page_poisoning_enabled_static())
		kunit_skip(test, "page poisoning: no claim is made");
	fake->caps = HV_EXT_CAPABILITY_GET_BOOT_ZEROED_MEMORY;
	fake->boot_status = HV_STATUS_INVALID_PARAMETER;
	hv_bz_settle(test, &z, &hv_bz_host, &opts);
	/* The first failure ends the claim. */
	KUNIT_EXPECT_EQ(test, fake->boot_calls, 1);
	KUNIT_EXPECT_EQ(test, z.boot.status, (u64)HV_STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, z.boot_marked, 0);
	KUNIT_EXPECT_FALSE(test, z.source);
	hv_balloon_zeroed_release(&z);
}

static void hv_bz_boot_off_by_default(struct kunit *test)
{
	const struct hv_balloon_zeroed_opts opts = {};
	struct hv_balloon_zeroed z;

	fake->caps = HV_EXT_CAPABILITY_GET_BOOT_ZEROED_MEMORY;
	hv_bz_settle(test, &z, &hv_bz_host, &opts);
	KUNIT_EXPECT_EQ(test, fake->query_calls, 0);
	KUNIT_EXPECT_EQ(test, fake->boot_calls, 0);
	hv_balloon_zeroed_release(&z);
}

/* kdump, kexec, KHO, the root partition and VTL != 0 refuse the claim. */
static void hv_bz_boot_refusals(struct kunit *test)
{
	const struct hv_balloon_zeroed_opts opts = { .boot_zeroed = true };
	struct hv_balloon_zeroed_host host = hv_bz_host;
	struct hv_balloon_zeroed z;

	/* kdump, kexec, kho, root, vtl */
	KUNIT_EXPECT_NULL(test, __hv_balloon_zeroed_boot_refusal(0, 0, 0, 0, 0));
	KUNIT_EXPECT_NOT_NULL(test, __hv_balloon_zeroed_boot_refusal(1, 0, 0, 0, 0));
	KUNIT_EXPECT_NOT_NULL(test, __hv_balloon_zeroed_boot_refusal(0, 1, 0, 0, 0));
	KUNIT_EXPECT_NOT_NULL(test, __hv_balloon_zeroed_boot_refusal(0, 0, 1, 0, 0));
	KUNIT_EXPECT_NOT_NULL(test, __hv_balloon_zeroed_boot_refusal(0, 0, 0, 1, 0));
	KUNIT_EXPECT_NOT_NULL(test, __hv_balloon_zeroed_boot_refusal(0, 0, 0, 0, 2));

	fake->caps = HV_EXT_CAPABILITY_GET_BOOT_ZEROED_MEMORY;
	host.boot_refusal = __hv_balloon_zeroed_boot_refusal(false, true, false, false, 0);
	hv_bz_settle(test, &z, &host, &opts);
	/* Refused before the host is even asked. */
	KUNIT_EXPECT_EQ(test, fake->query_calls + fake->boot_calls, 0);
	KUNIT_EXPECT_EQ(test, z.boot_marked, 0);
	KUNIT_EXPECT_FALSE(test, z.source);
	hv_balloon_zeroed_release(&z);
}

/*
 * An order-0 page whose buddy stays allocated (*@buddy), so that it stays
 * a block of its own once freed; zero, or with 64 bytes of old data.
 */
static struct page *hv_bz_lone_page(struct kunit *test, struct page **buddy, bool dirty)
{
	struct page *pair = alloc_pages(GFP_KERNEL | __GFP_ZERO, 1);

	KUNIT_ASSERT_NOT_NULL(test, pair);
	split_page(pair, 1);
	*buddy = pair + 1;
	if (dirty)
		memset(page_address(pair) + 100, 0x5a, 64);
	return pair;
}

static bool hv_bz_page_zero(struct page *page)
{
	return !memchr_inv(page_address(page), 0, PAGE_SIZE);
}

/*
 * What free_balloon_pages() does with a balloon page: @host_returned is
 * true for balloon_down() (DM_UNBALLOON_REQUEST), false for the pages a
 * failed balloon_up() gives back without the host ever taking them.
 */
static void hv_bz_unballoon(struct kunit *test, bool opt, bool host_returned, bool dirty)
{
	const struct hv_balloon_zeroed_opts opts = { .unballoon = opt };
	const bool want = opt && host_returned;
	struct hv_balloon_zeroed z;
	struct page *page, *buddy;
	unsigned long deflate;

	if (page_poisoning_enabled_static())
		kunit_skip(test, "page poisoning: no page can be known zero");
	hv_bz_settle(test, &z, &hv_bz_host, &opts);
	KUNIT_EXPECT_EQ(test, z.unballoon, opt);
	page = hv_bz_lone_page(test, &buddy, dirty);
	/* As balloon_up() holds it: offline, not managed */
	__SetPageOffline(page);
	adjust_managed_page_count(page, -1);
	KUNIT_EXPECT_EQ(test, hv_bz_page_zero(page), !dirty);

	deflate = hv_bz_events(ZEROED_MARKED_DEFLATE);
	__ClearPageOffline(page);
	__hv_balloon_zeroed_free_balloon_page(&z, page, host_returned);
	adjust_managed_page_count(page, 1);
	KUNIT_EXPECT_EQ(test, hv_bz_events(ZEROED_MARKED_DEFLATE) - deflate, want ? 1 : 0);
	KUNIT_EXPECT_EQ(test, !!PageZeroed(page), want);
	__free_page(buddy);
	hv_balloon_zeroed_release(&z);
}

static void hv_bz_unballoon_opt_in_off(struct kunit *test)
{
	hv_bz_unballoon(test, false, true, false);
}

static void hv_bz_unballoon_opt_in_on(struct kunit *test)
{
	hv_bz_unballoon(test, true, true, false);
}

/* balloon_up() could not send its response: the pages keep their data. */
static void hv_bz_unballoon_balloon_up_failure_not_marked(struct kunit *test)
{
	hv_bz_unballoon(test, true, false, true);
}

#ifdef CONFIG_MEMORY_HOTPLUG
/* Online a page as hv_balloon's online callback does; return its mark. */
static bool hv_bz_online(struct kunit *test, struct hv_balloon_zeroed *z,
			 struct page *page, bool zero)
{
	/* A hot-added page before onlining: PageOffline, unmanaged */
	__SetPageOffline(page);
	adjust_managed_page_count(page, -1);
	KUNIT_EXPECT_EQ(test, hv_bz_page_zero(page), zero);
	__hv_balloon_zeroed_online_page(z, page, 0);
	return PageZeroed(page);
}
#endif

static void hv_bz_hot_add(struct kunit *test, bool opt)
{
#ifdef CONFIG_MEMORY_HOTPLUG
	const struct hv_balloon_zeroed_opts opts = { .hot_add = opt };
	struct hv_balloon_zeroed z;
	struct page *page, *buddy;
	unsigned long deflate;

	if (page_poisoning_enabled_static())
		kunit_skip(test, "page poisoning: no page can be known zero");
	hv_bz_settle(test, &z, &hv_bz_host, &opts);
	KUNIT_EXPECT_EQ(test, z.hot_add, opt);
	page = hv_bz_lone_page(test, &buddy, false);
	KUNIT_EXPECT_EQ(test, __hv_balloon_zeroed_hot_added(&z, page_to_pfn(page), 2), 0);
	deflate = hv_bz_events(ZEROED_MARKED_DEFLATE);
	KUNIT_EXPECT_EQ(test, hv_bz_online(test, &z, page, true), opt);
	KUNIT_EXPECT_EQ(test, hv_bz_events(ZEROED_MARKED_DEFLATE) - deflate, opt ? 1 : 0);
	__free_page(buddy);
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

/*
 * Offline and online again through sysfs: the page holds what it held
 * while it was online, and must not be onlined known-zero a second time.
 */
static void hv_bz_hot_add_reonline_not_marked(struct kunit *test)
{
#ifdef CONFIG_MEMORY_HOTPLUG
	const struct hv_balloon_zeroed_opts opts = { .hot_add = true };
	struct hv_balloon_zeroed z;
	struct page *page, *buddy;
	unsigned long deflate, pfn;

	if (page_poisoning_enabled_static())
		kunit_skip(test, "page poisoning: no page can be known zero");
	hv_bz_settle(test, &z, &hv_bz_host, &opts);
	page = hv_bz_lone_page(test, &buddy, true);
	pfn = page_to_pfn(page);
	KUNIT_EXPECT_EQ(test, __hv_balloon_zeroed_hot_added(&z, pfn, 2), 0);
	/* The first online happened long ago; the page was used, then offlined. */
	KUNIT_EXPECT_TRUE(test, __hv_balloon_zeroed_first_online(&z, pfn, 1));
	__hv_balloon_zeroed_offline(&z, pfn, 1);
	deflate = hv_bz_events(ZEROED_MARKED_DEFLATE);
	KUNIT_EXPECT_FALSE(test, hv_bz_online(test, &z, page, false));
	KUNIT_EXPECT_EQ(test, hv_bz_events(ZEROED_MARKED_DEFLATE) - deflate, 0);
	__free_page(buddy);
	hv_balloon_zeroed_release(&z);
#else
	kunit_skip(test, "needs CONFIG_MEMORY_HOTPLUG");
#endif
}

/* The per-region record: exact first-online rights, offline, overlap. */
static void hv_bz_hot_add_record(struct kunit *test)
{
	const struct hv_balloon_zeroed_opts on = { .hot_add = true }, off = {};
	const unsigned long base = 1UL << 30;
	struct hv_balloon_zeroed z;

	hv_bz_settle(test, &z, &hv_bz_host, &off);
	/* Without the opt-in nothing is recorded and nothing is fresh. */
	KUNIT_EXPECT_EQ(test, __hv_balloon_zeroed_hot_added(&z, base, 64), 0);
	KUNIT_EXPECT_FALSE(test, __hv_balloon_zeroed_first_online(&z, base, 1));
	hv_balloon_zeroed_release(&z);

	hv_bz_settle(test, &z, &hv_bz_host, &on);
	KUNIT_EXPECT_EQ(test, __hv_balloon_zeroed_hot_added(&z, base, 64), 0);
	KUNIT_EXPECT_TRUE(test, __hv_balloon_zeroed_first_online(&z, base, 8));
	KUNIT_EXPECT_FALSE(test, __hv_balloon_zeroed_first_online(&z, base, 8));
	/* Partly onlined before: none of it is fresh, and the rest is used up. */
	KUNIT_EXPECT_FALSE(test, __hv_balloon_zeroed_first_online(&z, base + 4, 8));
	KUNIT_EXPECT_FALSE(test, __hv_balloon_zeroed_first_online(&z, base + 8, 4));
	/* Offline takes the right away even from pages never onlined. */
	__hv_balloon_zeroed_offline(&z, base + 32, 16);
	KUNIT_EXPECT_FALSE(test, __hv_balloon_zeroed_first_online(&z, base + 40, 1));
	KUNIT_EXPECT_TRUE(test, __hv_balloon_zeroed_first_online(&z, base + 48, 16));
	/* Past the region, or across its end: not fresh. */
	KUNIT_EXPECT_FALSE(test, __hv_balloon_zeroed_first_online(&z, base + 64, 1));
	KUNIT_EXPECT_TRUE(test, __hv_balloon_zeroed_first_online(&z, base + 16, 8));
	KUNIT_EXPECT_FALSE(test, __hv_balloon_zeroed_first_online(&z, base + 24, 16));
	/* Added again: refused, and the old record forgets its fresh pages. */
	KUNIT_EXPECT_EQ(test, __hv_balloon_zeroed_hot_added(&z, base + 128, 64), 0);
	KUNIT_EXPECT_EQ(test, __hv_balloon_zeroed_hot_added(&z, base + 160, 64), -EEXIST);
	KUNIT_EXPECT_FALSE(test, __hv_balloon_zeroed_first_online(&z, base + 128, 1));
	KUNIT_EXPECT_FALSE(test, __hv_balloon_zeroed_first_online(&z, base + 200, 1));
	hv_balloon_zeroed_release(&z);
}

static struct kunit_case hv_bz_cases[] = {
	KUNIT_CASE(hv_bz_tlfs_layout),
	KUNIT_CASE(hv_bz_defaults_trust_nothing),
	KUNIT_CASE(hv_bz_confidential_trusts_nothing),
	KUNIT_CASE(hv_bz_no_extended_hypercalls),
	KUNIT_CASE(hv_bz_cold_discard_opt_in_off),
	KUNIT_CASE(hv_bz_cold_discard_opt_in_on),
	KUNIT_CASE(hv_bz_cold_discard_capability_absent),
	KUNIT_CASE(hv_bz_query_capabilities_fails),
	KUNIT_CASE(hv_bz_opt_ins_taint),
	KUNIT_CASE(hv_bz_report_success_marks_batch),
	KUNIT_CASE(hv_bz_report_failure_marks_none),
	KUNIT_CASE(hv_bz_report_partial_marks_none),
	KUNIT_CASE(hv_bz_report_overcomplete_rejected),
	KUNIT_CASE(hv_bz_boot_untouched_block_marked),
	KUNIT_CASE(hv_bz_boot_written_before_claim_never_marked),
	KUNIT_CASE(hv_bz_boot_answered_under_zone_lock),
	KUNIT_CASE(hv_bz_boot_overlap_and_absent_memory),
	KUNIT_CASE(hv_bz_rejects_count_over_255),
	KUNIT_CASE(hv_bz_rejects_zero_length),
	KUNIT_CASE(hv_bz_rejects_wrapping_range),
	KUNIT_CASE(hv_bz_boot_capability_absent),
	KUNIT_CASE(hv_bz_boot_call_fails),
	KUNIT_CASE(hv_bz_boot_off_by_default),
	KUNIT_CASE(hv_bz_boot_refusals),
	KUNIT_CASE(hv_bz_unballoon_opt_in_off),
	KUNIT_CASE(hv_bz_unballoon_opt_in_on),
	KUNIT_CASE(hv_bz_unballoon_balloon_up_failure_not_marked),
	KUNIT_CASE(hv_bz_hot_add_opt_in_off),
	KUNIT_CASE(hv_bz_hot_add_opt_in_on),
	KUNIT_CASE(hv_bz_hot_add_reonline_not_marked),
	KUNIT_CASE(hv_bz_hot_add_record),
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
