// SPDX-License-Identifier: GPL-2.0
/*
 * Hyper-V frontend for known-zero pages: what the hypervisor can vouch for
 * and when the guest believes it.  The sources and their trust rules are in
 * <hyperv/hv_balloon_zeroed.h>; every decision is taken once, at init, in
 * hv_balloon_zeroed_settle(), and hv_balloon only tests its result.
 */
#define pr_fmt(fmt) "hv_balloon_zeroed: " fmt

#include <linux/bitmap.h>
#include <linux/cc_platform.h>
#include <linux/gfp.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/overflow.h>
#include <linux/page_reporting.h>
#include <linux/page_zeroed.h>
#include <linux/page_zeroed_boot.h>
#include <hyperv/hvhdk.h>
#include <hyperv/hv_balloon_zeroed.h>
#include <asm/mshyperv.h>

static bool cold_discard_zeroes;
module_param(cold_discard_zeroes, bool, 0444);
MODULE_PARM_DESC(cold_discard_zeroes,
		 "Trust that cold-discarded reported pages read as zero (default off: the TLFS does not promise it)");

static bool boot_zeroed = true;
module_param(boot_zeroed, bool, 0444);
MODULE_PARM_DESC(boot_zeroed,
		 "Skip zeroing memory the hypervisor reports as zero since boot (HvExtCallGetBootZeroedMemory)");

static bool unballoon_zeroes;
module_param(unballoon_zeroes, bool, 0444);
MODULE_PARM_DESC(unballoon_zeroes,
		 "Trust that pages returned by DM_UNBALLOON_REQUEST read as zero (default off: the protocol does not say)");

static bool hot_add_zeroes;
module_param(hot_add_zeroes, bool, 0444);
MODULE_PARM_DESC(hot_add_zeroes,
		 "Trust that hot-added pages read as zero (default off: the protocol does not say)");

/* The decisions hv_balloon's data paths test, settled at init. */
static struct hv_balloon_zeroed hv_bz;

/* Guest pages per Hyper-V page number, rounding ranges inwards. */
#define HV_BZ_HV_PAGES_PER_PAGE	(PAGE_SIZE / HV_HYP_PAGE_SIZE)

/**
 * hv_balloon_zeroed_boot_ranges - claim the ranges of a GetBootZeroedMemory answer
 * @host: the platform (its @claim marks a range)
 * @out: the hypercall's output
 *
 * An answer with more ranges than the output holds is refused whole.  A
 * range of zero pages, or one that wraps or ends past the 52-bit GPA page
 * space, is refused alone.  Each refusal is logged and counted
 * (zeroed_rejected); nothing of a refused part is marked.  Overlapping
 * ranges and ranges without memory are allowed by the TLFS and handled by
 * the claim.
 *
 * Return: the number of pages marked.
 */
unsigned long
hv_balloon_zeroed_boot_ranges(const struct hv_balloon_zeroed_host *host,
			      const struct hv_output_get_boot_zeroed_memory *out)
{
	unsigned long marked = 0;
	unsigned int i;

	if (out->range_count > HV_BOOT_ZEROED_MAX_RANGES) {
		page_zeroed_reject(1);
		pr_warn("GetBootZeroedMemory returned %llu ranges, at most %u fit: answer ignored\n",
			out->range_count, HV_BOOT_ZEROED_MAX_RANGES);
		return 0;
	}

	for (i = 0; i < out->range_count; i++) {
		u64 start = out->ranges[i].start_page;
		u64 count = out->ranges[i].page_count;
		u64 end, first, last;

		if (!count) {
			page_zeroed_reject(1);
			pr_warn("GetBootZeroedMemory range %u: zero pages at %#llx: ignored\n",
				i, start);
			continue;
		}
		if (check_add_overflow(start, count, &end) ||
		    end > HV_GPA_PAGE_NUMBER_LIMIT) {
			page_zeroed_reject(1);
			pr_warn("GetBootZeroedMemory range %u: %#llx + %#llx pages wraps or leaves the GPA space: ignored\n",
				i, start, count);
			continue;
		}
		first = DIV_ROUND_UP(start, HV_BZ_HV_PAGES_PER_PAGE);
		last = end / HV_BZ_HV_PAGES_PER_PAGE;
		if (first < last)
			marked += host->claim(first, last - first);
	}
	return marked;
}
EXPORT_SYMBOL_GPL(hv_balloon_zeroed_boot_ranges);

static u64 hv_balloon_zeroed_query(const struct hv_balloon_zeroed_host *host,
				   u16 code, void *out)
{
	memset(out, 0, HV_HYP_PAGE_SIZE);
	return host->hypercall(code, out);
}

static void hv_balloon_zeroed_boot(struct hv_balloon_zeroed *z,
				   const struct hv_balloon_zeroed_host *host,
				   void *buf)
{
	u64 status;

	status = hv_balloon_zeroed_query(host, HV_EXT_CALL_GET_BOOT_ZEROED_MEMORY, buf);
	if (!hv_result_success(status)) {
		pr_info("GetBootZeroedMemory failed with status %#llx: boot memory is zeroed as usual\n",
			status);
		return;
	}
	z->boot_marked = hv_balloon_zeroed_boot_ranges(host, buf);
	pr_info("%lu free pages known zero since boot\n", z->boot_marked);
}

/**
 * hv_balloon_zeroed_settle - decide, once, which zero sources to trust
 * @z: the decisions, written here
 * @host: the platform: capabilities, hypercalls, the boot-zeroed claim
 * @opts: the administrator's opt-ins
 *
 * Queries the extended capabilities, claims the boot-zeroed memory when
 * offered and ends the tracking of untouched boot memory in every case
 * (<linux/page_zeroed_boot.h>).  Takes a known-zero source reference when
 * a source is used; hv_balloon_zeroed_release() drops it.
 *
 * Context: process context, may sleep.
 * Return: 0 or -ENOMEM.
 */
int hv_balloon_zeroed_settle(struct hv_balloon_zeroed *z,
			     const struct hv_balloon_zeroed_host *host,
			     const struct hv_balloon_zeroed_opts *opts)
{
	bool want_boot;
	void *buf = NULL;
	u64 status;
	int err = 0;

	memset(z, 0, sizeof(*z));
	if (host->isolated) {
		if (opts->cold_discard || opts->boot_zeroed || opts->unballoon ||
		    opts->hot_add)
			pr_info("confidential guest: the host is not trusted to zero pages\n");
		goto out;
	}

	if (host->ext_hypercalls) {
		buf = (void *)get_zeroed_page(GFP_KERNEL);
		if (!buf) {
			err = -ENOMEM;
			goto out;
		}
		status = hv_balloon_zeroed_query(host, HV_EXT_CALL_QUERY_CAPABILITIES, buf);
		if (hv_result_success(status))
			z->caps = *(u64 *)buf;
		else
			pr_info("QueryCapabilities failed with status %#llx\n", status);
	}

	z->report = opts->cold_discard &&
		    (z->caps & HV_EXT_CAPABILITY_MEMORY_COLD_DISCARD_HINT);
	if (opts->cold_discard && !z->report)
		pr_info("cold discard not offered: reported pages are not trusted to read as zero\n");
	z->unballoon = opts->unballoon;
	z->hot_add = opts->hot_add;
	want_boot = opts->boot_zeroed &&
		    (z->caps & HV_EXT_CAPABILITY_GET_BOOT_ZEROED_MEMORY);

	if (!z->unballoon && !z->hot_add && !want_boot)
		goto out;
	if (page_zeroed_source_get()) {
		pr_info("page poisoning is on: no page is known to be zero\n");
		z->report = false;
		z->unballoon = false;
		z->hot_add = false;
		goto out;
	}
	z->source = true;
	if (want_boot)
		hv_balloon_zeroed_boot(z, host, buf);
	/* Boot marks stay valid without a source only until the final sweep. */
	if (!z->boot_marked && !z->unballoon && !z->hot_add) {
		page_zeroed_source_put();
		z->source = false;
	}
out:
	page_zeroed_boot_track_stop();
	free_page((unsigned long)buf);
	return err;
}
EXPORT_SYMBOL_GPL(hv_balloon_zeroed_settle);

/**
 * hv_balloon_zeroed_release - drop what hv_balloon_zeroed_settle() took
 * @z: the decisions; every source is off afterwards
 */
void hv_balloon_zeroed_release(struct hv_balloon_zeroed *z)
{
	if (z->source)
		page_zeroed_source_put();
	memset(z, 0, sizeof(*z));
}
EXPORT_SYMBOL_GPL(hv_balloon_zeroed_release);

/**
 * hv_balloon_zeroed_report_init - opt the reporting device into zero claims
 * @prdev: hv_balloon's page reporting device, before page_reporting_register()
 */
void hv_balloon_zeroed_report_init(struct page_reporting_dev_info *prdev)
{
	prdev->host_zeroes_pages = hv_bz.report;
}
EXPORT_SYMBOL_GPL(hv_balloon_zeroed_report_init);

/**
 * hv_balloon_zeroed_report_done - vouch for a cold-discarded batch
 * @prdev: the page reporting device
 * @nents: ranges in the batch, one per scatterlist entry
 * @status: what the MemoryHeatHint rep hypercall returned
 *
 * Only a successful hypercall that completed every range vouches, and then
 * for the whole batch; a failure or a partial completion vouches for
 * nothing.  A completion count larger than the batch is a broken host:
 * logged and counted.
 */
void hv_balloon_zeroed_report_done(struct page_reporting_dev_info *prdev,
				   unsigned int nents, u64 status)
{
	unsigned int done = hv_repcomp(status);

	if (!prdev->zeroed_bitmap || !hv_result_success(status))
		return;
	if (done > nents) {
		page_zeroed_reject(1);
		pr_warn_ratelimited("MemoryHeatHint completed %u of %u ranges: ignored\n",
				    done, nents);
		return;
	}
	if (done == nents)
		bitmap_set(prdev->zeroed_bitmap, 0, nents);
}
EXPORT_SYMBOL_GPL(hv_balloon_zeroed_report_done);

/**
 * __hv_balloon_zeroed_free_unballooned - free a page the host gave back
 * @z: the decisions
 * @page: a balloon page, PageOffline already cleared, the driver's reference
 */
void __hv_balloon_zeroed_free_unballooned(const struct hv_balloon_zeroed *z,
					  struct page *page)
{
	if (z->unballoon)
		put_page_zeroed(page);
	else
		__free_page(page);
}
EXPORT_SYMBOL_GPL(__hv_balloon_zeroed_free_unballooned);

/**
 * hv_balloon_zeroed_free_unballooned - free a page of a DM_UNBALLOON_REQUEST
 * @page: a balloon page, PageOffline already cleared, the driver's reference
 *
 * Freed known-zero under the unballoon_zeroes opt-in, else as usual.
 */
void hv_balloon_zeroed_free_unballooned(struct page *page)
{
	__hv_balloon_zeroed_free_unballooned(&hv_bz, page);
}
EXPORT_SYMBOL_GPL(hv_balloon_zeroed_free_unballooned);

#ifdef CONFIG_MEMORY_HOTPLUG
/**
 * __hv_balloon_zeroed_online_page - online a hot-added block
 * @z: the decisions
 * @page: first page, as given to the online_page callback
 * @order: order of the block
 */
void __hv_balloon_zeroed_online_page(const struct hv_balloon_zeroed *z,
				     struct page *page, unsigned int order)
{
	if (z->hot_add)
		generic_online_page_zeroed(page, order);
	else
		generic_online_page(page, order);
}
EXPORT_SYMBOL_GPL(__hv_balloon_zeroed_online_page);

/**
 * hv_balloon_zeroed_online_page - online a block hv_balloon hot-added
 * @page: first page, as given to the online_page callback
 * @order: order of the block
 *
 * Onlined known-zero under the hot_add_zeroes opt-in, else as usual.
 */
void hv_balloon_zeroed_online_page(struct page *page, unsigned int order)
{
	__hv_balloon_zeroed_online_page(&hv_bz, page, order);
}
EXPORT_SYMBOL_GPL(hv_balloon_zeroed_online_page);
#endif

static u64 hv_balloon_zeroed_hypercall(u16 code, void *output)
{
	return hv_do_hypercall(code, NULL, output);
}

static int __init hv_balloon_zeroed_init(void)
{
	const struct hv_balloon_zeroed_opts opts = {
		.cold_discard = cold_discard_zeroes,
		.boot_zeroed = boot_zeroed,
		.unballoon = unballoon_zeroes,
		.hot_add = hot_add_zeroes,
	};
	struct hv_balloon_zeroed_host host = {
		.hypercall = hv_balloon_zeroed_hypercall,
		.claim = page_zeroed_boot_claim,
	};

	if (!hv_is_hyperv_initialized()) {
		page_zeroed_boot_track_stop();
		return 0;
	}
	host.ext_hypercalls = ms_hyperv.priv_high & HV_ENABLE_EXTENDED_HYPERCALLS;
	host.isolated = hv_is_isolation_supported() ||
			cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT);
	return hv_balloon_zeroed_settle(&hv_bz, &host, &opts);
}
module_init(hv_balloon_zeroed_init);

static void __exit hv_balloon_zeroed_exit(void)
{
	hv_balloon_zeroed_release(&hv_bz);
}
module_exit(hv_balloon_zeroed_exit);

MODULE_DESCRIPTION("Hyper-V frontend for known-zero pages");
MODULE_LICENSE("GPL");
