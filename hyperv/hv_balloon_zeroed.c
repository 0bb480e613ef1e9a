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
#include <linux/crash_dump.h>
#include <linux/gfp.h>
#include <linux/kexec_handover.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/overflow.h>
#include <linux/page_reporting.h>
#include <linux/page_zeroed.h>
#include <linux/page_zeroed_boot.h>
#include <linux/panic.h>
#include <linux/slab.h>
#include <kunit/visibility.h>
#include <hyperv/hvhdk.h>
#include <hyperv/hv_balloon_zeroed.h>
#include <asm/mshyperv.h>
#ifdef CONFIG_X86
#include <asm/setup.h>
#endif

static bool boot_zeroed;
module_param(boot_zeroed, bool, 0444);
MODULE_PARM_DESC(boot_zeroed,
		 "Skip zeroing free memory Hyper-V says reads as zero (HvExtCallGetBootZeroedMemory; default off: needs a host that answers as the TLFS says)");

static bool cold_discard_zeroes;
module_param(cold_discard_zeroes, bool, 0444);
MODULE_PARM_DESC(cold_discard_zeroes,
		 "Trust that cold-discarded reported pages read as zero (default off; taints: no document promises it)");

static bool unballoon_zeroes;
module_param(unballoon_zeroes, bool, 0444);
MODULE_PARM_DESC(unballoon_zeroes,
		 "Trust that pages returned by DM_UNBALLOON_REQUEST read as zero (default off; taints: the protocol does not say)");

static bool hot_add_zeroes;
module_param(hot_add_zeroes, bool, 0444);
MODULE_PARM_DESC(hot_add_zeroes,
		 "Trust that hot-added pages read as zero when first onlined (default off; taints: the protocol does not say)");

/* The decisions hv_balloon's data paths test, published once settled. */
static struct hv_balloon_zeroed hv_bz;
static bool hv_bz_ready;

static_assert(sizeof(struct hv_output_get_boot_zeroed_memory) == 0xFF8);

/*
 * A hot-added range and which of its pages were never onlined since the
 * host added it: only those may be onlined known-zero.
 */
struct hv_bz_region {
	struct list_head list;
	unsigned long start_pfn;
	unsigned long nr_pages;
	unsigned long *fresh;
};

/* Guest pages per Hyper-V page, rounding ranges inwards. */
#define HV_BZ_HV_PAGES_PER_PAGE	(PAGE_SIZE / HV_HYP_PAGE_SIZE)

/**
 * hv_balloon_zeroed_settled - the settled decisions, or NULL before they are
 *
 * Return: the decisions hv_balloon_zeroed_settle() published at init (a
 * release/acquire pair orders them before this), or NULL if they are not
 * settled yet, in which case nothing is trusted.
 */
const struct hv_balloon_zeroed *hv_balloon_zeroed_settled(void)
{
	/* Pairs with the smp_store_release() in hv_balloon_zeroed_init(). */
	return smp_load_acquire(&hv_bz_ready) ? &hv_bz : NULL;
}
EXPORT_SYMBOL_IF_KUNIT(hv_balloon_zeroed_settled);

/**
 * __hv_balloon_zeroed_boot_refusal - why this boot must not claim boot-zeroed memory
 * @kdump: a kdump kernel
 * @kexec: booted by kexec
 * @kho: a Kexec HandOver boot
 * @root: the root partition
 * @vtl: the virtual trust level this kernel runs at
 *
 * In each case memory can hold data the host did not see written through
 * this partition's current lifetime, which a host that answers from its
 * own bookkeeping, against the TLFS, would list as zero.
 *
 * Return: the reason, or NULL when the claim may be made.
 */
const char *__hv_balloon_zeroed_boot_refusal(bool kdump, bool kexec, bool kho,
					     bool root, u8 vtl)
{
	if (kdump)
		return "kdump kernel: memory holds the crashed kernel's data";
	if (kexec)
		return "booted by kexec: memory holds the previous kernel's data";
	if (kho)
		return "Kexec HandOver boot: memory holds the previous kernel's data";
	if (root)
		return "root partition: its memory is not given to it zeroed by a hypervisor";
	if (vtl)
		return "running at VTL != 0";
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(__hv_balloon_zeroed_boot_refusal);

static const char *hv_balloon_zeroed_boot_refusal(void)
{
#if defined(CONFIG_X86) && IS_BUILTIN(CONFIG_HYPERV_BALLOON_ZEROED)
	/* Loader type 0xD: kexec (Documentation/arch/x86/boot.rst) */
	bool kexec = (boot_params.hdr.type_of_loader >> 4) == 0xd;

	return __hv_balloon_zeroed_boot_refusal(is_kdump_kernel(), kexec,
						is_kho_boot(), hv_root_partition(),
						ms_hyperv.vtl);
#else
	/* Only built-in x86 code can read the boot protocol's loader type. */
	return "cannot tell whether this kernel was booted by kexec (only built-in, on x86)";
#endif
}

/* The boot-zeroed question, asked under a zone's lock (page_zeroed_ask_t). */
struct hv_bz_ask {
	const struct hv_balloon_zeroed_host *host;
	struct hv_output_get_boot_zeroed_memory *out;
	struct hv_balloon_zeroed_boot *boot;
};

/*
 * Turn an answer into page frame ranges.  Nothing is printed here (a
 * zone's lock is held); the first answer's refusals are counted in @boot
 * and logged by hv_balloon_zeroed_boot_log().  A RangeCount above 255
 * refuses the whole answer; a range of zero pages, or one that wraps or
 * ends past the GPA page space, is refused alone.  Overlaps and ranges
 * without memory are the claim's business.
 */
static int hv_bz_parse(const struct hv_output_get_boot_zeroed_memory *out,
		       struct page_zeroed_pfn_range *r, unsigned int max,
		       struct hv_balloon_zeroed_boot *boot, bool first)
{
	unsigned int i, n = 0;

	if (out->range_count > HV_BOOT_ZEROED_MAX_RANGES) {
		if (first) {
			boot->count_too_big = true;
			boot->rejected++;
		}
		return 0;
	}
	for (i = 0; i < out->range_count && n < max; i++) {
		u64 start = out->ranges[i].start_page;
		u64 count = out->ranges[i].page_count;
		u64 end;

		if (!count || check_add_overflow(start, count, &end) ||
		    end > HV_GPA_PAGE_NUMBER_LIMIT) {
			if (first)
				boot->rejected++;
			continue;
		}
		r[n].start = DIV_ROUND_UP(start, HV_BZ_HV_PAGES_PER_PAGE);
		r[n].end = end / HV_BZ_HV_PAGES_PER_PAGE;
		if (r[n].start < r[n].end)
			n++;
	}
	return n;
}

static int hv_bz_ask_zone(void *ctx, struct page_zeroed_pfn_range *r,
			  unsigned int max)
{
	struct hv_bz_ask *a = ctx;
	struct hv_balloon_zeroed_boot *boot = a->boot;

	memset(a->out, 0, HV_HYP_PAGE_SIZE);
	boot->status = a->host->hypercall(HV_EXT_CALL_GET_BOOT_ZEROED_MEMORY, a->out);
	boot->calls++;
	if (!hv_result_success(boot->status))
		return -EIO;
	return hv_bz_parse(a->out, r, max, boot, boot->calls == 1);
}

static void hv_balloon_zeroed_boot_log(const struct hv_balloon_zeroed_boot *boot)
{
	if (!hv_result_success(boot->status))
		pr_info("GetBootZeroedMemory failed with status %#llx: memory is zeroed as usual\n",
			boot->status);
	if (boot->count_too_big)
		pr_warn("GetBootZeroedMemory returned more than %u ranges: answer ignored\n",
			HV_BOOT_ZEROED_MAX_RANGES);
	else if (boot->rejected)
		pr_warn("GetBootZeroedMemory: %u ranges of zero pages, wrapping, or past the GPA space: ignored\n",
			boot->rejected);
	if (boot->rejected)
		page_zeroed_reject(boot->rejected);
}

/*
 * Claim the boot-zeroed memory: ask and mark under each zone's lock
 * (page_zeroed_claim_free()).  Needs a source reference.
 */
static unsigned long hv_balloon_zeroed_boot(struct hv_balloon_zeroed *z,
					    const struct hv_balloon_zeroed_host *host)
{
	struct hv_bz_ask a = { .host = host, .boot = &z->boot };
	unsigned long marked;

	a.out = (void *)get_zeroed_page(GFP_KERNEL);
	if (!a.out) {
		pr_warn("no memory for GetBootZeroedMemory: memory is zeroed as usual\n");
		return 0;
	}
	marked = page_zeroed_claim_free(hv_bz_ask_zone, &a);
	free_page((unsigned long)a.out);
	hv_balloon_zeroed_boot_log(&z->boot);
	pr_info("%lu free pages known zero (GetBootZeroedMemory asked %u times, once per zone)\n",
		marked, z->boot.calls);
	return marked;
}

static void hv_balloon_zeroed_taint_opt_ins(const struct hv_balloon_zeroed_host *host,
					    const struct hv_balloon_zeroed_opts *opts)
{
	if (opts->cold_discard)
		host->taint("cold_discard_zeroes");
	if (opts->unballoon)
		host->taint("unballoon_zeroes");
	if (opts->hot_add)
		host->taint("hot_add_zeroes");
}

/**
 * hv_balloon_zeroed_settle - decide, once, which zero sources to trust
 * @z: the decisions, written here
 * @host: the platform: capabilities, hypercalls, refusals, taint
 * @opts: the administrator's choices
 *
 * Taints the kernel for each opt-in no protocol backs, asks
 * QueryCapabilities (through the cached hv_query_ext_cap()) only for what
 * was asked for, and claims the boot-zeroed memory unless this boot must
 * refuse it (@host->boot_refusal).  Takes a known-zero source reference
 * while unballoon or hot-add is trusted; hv_balloon_zeroed_release() drops
 * it.  Marks made by the boot claim outlive the reference: nobody writes a
 * free page, and each allocation takes its mark off.
 *
 * Context: process context, may sleep.
 * Return: 0.
 */
int hv_balloon_zeroed_settle(struct hv_balloon_zeroed *z,
			     const struct hv_balloon_zeroed_host *host,
			     const struct hv_balloon_zeroed_opts *opts)
{
	bool want_boot = opts->boot_zeroed;

	memset(z, 0, sizeof(*z));
	spin_lock_init(&z->lock);
	INIT_LIST_HEAD(&z->regions);
	hv_balloon_zeroed_taint_opt_ins(host, opts);
	if (host->isolated) {
		if (opts->cold_discard || opts->boot_zeroed || opts->unballoon ||
		    opts->hot_add)
			pr_info("confidential guest: the host is not trusted to zero pages\n");
		return 0;
	}

	if (opts->cold_discard) {
		z->report = host->query_cap(HV_EXT_CAPABILITY_MEMORY_COLD_DISCARD_HINT);
		if (!z->report)
			pr_info("cold discard not offered: reported pages are not trusted to read as zero\n");
	}
	if (want_boot && host->boot_refusal) {
		pr_info("boot-zeroed memory not claimed: %s\n", host->boot_refusal);
		want_boot = false;
	}
	if (want_boot &&
	    !host->query_cap(HV_EXT_CAPABILITY_GET_BOOT_ZEROED_MEMORY)) {
		pr_info("GetBootZeroedMemory not offered: memory is zeroed as usual\n");
		want_boot = false;
	}
	z->unballoon = opts->unballoon;
	z->hot_add = opts->hot_add;
	if (!z->unballoon && !z->hot_add && !want_boot)
		return 0;

	if (page_zeroed_source_get()) {
		pr_info("page poisoning is on: no page is known to be zero\n");
		z->report = false;
		z->unballoon = false;
		z->hot_add = false;
		return 0;
	}
	if (want_boot)
		z->boot_marked = hv_balloon_zeroed_boot(z, host);
	if (z->unballoon || z->hot_add)
		z->source = true;
	else
		page_zeroed_source_put();
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(hv_balloon_zeroed_settle);

/**
 * hv_balloon_zeroed_release - drop what hv_balloon_zeroed_settle() took
 * @z: the decisions; every source is off afterwards
 */
void hv_balloon_zeroed_release(struct hv_balloon_zeroed *z)
{
	struct hv_bz_region *r, *tmp;

	if (z->source)
		page_zeroed_source_put();
	list_for_each_entry_safe(r, tmp, &z->regions, list) {
		list_del(&r->list);
		kvfree(r->fresh);
		kfree(r);
	}
	memset(z, 0, sizeof(*z));
	spin_lock_init(&z->lock);
	INIT_LIST_HEAD(&z->regions);
}
EXPORT_SYMBOL_IF_KUNIT(hv_balloon_zeroed_release);

/**
 * hv_balloon_zeroed_report_init - opt the reporting device into zero claims
 * @prdev: hv_balloon's page reporting device, before page_reporting_register()
 */
void hv_balloon_zeroed_report_init(struct page_reporting_dev_info *prdev)
{
	const struct hv_balloon_zeroed *z = hv_balloon_zeroed_settled();

	prdev->host_zeroes_pages = z && z->report;
}
EXPORT_SYMBOL_GPL(hv_balloon_zeroed_report_init);

/**
 * hv_balloon_zeroed_report_done - vouch for a cold-discarded batch
 * @prdev: the page reporting device
 * @nents: ranges in the batch, one per scatterlist entry
 * @status: what the MemoryHeatHint rep hypercall returned
 *
 * Only a successful hypercall that completed every range vouches, and then
 * for the whole batch; anything else vouches for nothing.  A completion
 * count larger than the batch is a broken host: logged and counted.
 * hv_do_rep_hypercall() repeats until every rep completed, so a success
 * with fewer reps is only seen from a broken wrapper or host.
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
 * __hv_balloon_zeroed_free_balloon_page - free a balloon page
 * @z: the decisions
 * @page: a balloon page, PageOffline already cleared, the driver's reference
 * @host_returned: the host gave the page back (DM_UNBALLOON_REQUEST); false
 *	when balloon_up() frees pages the host never took
 */
void __hv_balloon_zeroed_free_balloon_page(const struct hv_balloon_zeroed *z,
					   struct page *page, bool host_returned)
{
	if (host_returned && z && z->unballoon)
		put_page_zeroed(page);
	else
		__free_page(page);
}
EXPORT_SYMBOL_IF_KUNIT(__hv_balloon_zeroed_free_balloon_page);

/**
 * hv_balloon_zeroed_free_balloon_page - free a page hv_balloon ballooned
 * @page: a balloon page, PageOffline already cleared, the driver's reference
 * @host_returned: the host gave it back in a DM_UNBALLOON_REQUEST
 *
 * Freed known-zero only when the host returned it and unballoon_zeroes=1;
 * pages a failed balloon_up() frees were never given to the host and hold
 * their old data.
 */
void hv_balloon_zeroed_free_balloon_page(struct page *page, bool host_returned)
{
	__hv_balloon_zeroed_free_balloon_page(hv_balloon_zeroed_settled(), page,
					      host_returned);
}
EXPORT_SYMBOL_GPL(hv_balloon_zeroed_free_balloon_page);

/**
 * __hv_balloon_zeroed_hot_added - record a range the host just hot-added
 * @z: the decisions
 * @start_pfn: first page frame of the range
 * @nr_pages: its size
 *
 * Context: process context, may sleep.
 * Return: 0; -EEXIST for a range that overlaps one already recorded (its
 * pages are then never onlined known-zero); -ENOMEM; -EINVAL for a range
 * that wraps.  Nothing is recorded without the hot_add_zeroes opt-in.
 */
int __hv_balloon_zeroed_hot_added(struct hv_balloon_zeroed *z,
				  unsigned long start_pfn, unsigned long nr_pages)
{
	struct hv_bz_region *r, *old;
	unsigned long end, flags;
	int err = 0;

	if (!z->hot_add || !nr_pages)
		return 0;
	if (check_add_overflow(start_pfn, nr_pages, &end))
		return -EINVAL;
	r = kzalloc_obj(*r);
	if (!r)
		return -ENOMEM;
	r->fresh = kvmalloc_array(BITS_TO_LONGS(nr_pages), sizeof(long), GFP_KERNEL);
	if (!r->fresh) {
		kfree(r);
		return -ENOMEM;
	}
	bitmap_fill(r->fresh, nr_pages);
	r->start_pfn = start_pfn;
	r->nr_pages = nr_pages;

	spin_lock_irqsave(&z->lock, flags);
	list_for_each_entry(old, &z->regions, list) {
		if (start_pfn < old->start_pfn + old->nr_pages &&
		    old->start_pfn < end) {
			/* Added twice: whatever was onlined there keeps its data. */
			bitmap_clear(old->fresh, 0, old->nr_pages);
			err = -EEXIST;
		}
	}
	if (!err)
		list_add_tail(&r->list, &z->regions);
	spin_unlock_irqrestore(&z->lock, flags);
	if (err) {
		kvfree(r->fresh);
		kfree(r);
	}
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(__hv_balloon_zeroed_hot_added);

/**
 * hv_balloon_zeroed_hot_added - record a range hv_balloon hot-added
 * @start_pfn: first page frame of the hot-add region
 * @nr_pages: its size
 */
void hv_balloon_zeroed_hot_added(unsigned long start_pfn, unsigned long nr_pages)
{
	int err;

	if (!hv_balloon_zeroed_settled())
		return;
	err = __hv_balloon_zeroed_hot_added(&hv_bz, start_pfn, nr_pages);
	if (err)
		pr_warn("hot-added pfn %#lx + %#lx not recorded (%d): its pages are zeroed as usual\n",
			start_pfn, nr_pages, err);
}
EXPORT_SYMBOL_GPL(hv_balloon_zeroed_hot_added);

/*
 * z->lock held: clear the fresh bits of [pfn, end) in every region; true
 * if all of [pfn, end) lay in one region and was fresh.
 */
static bool hv_bz_take_fresh(struct hv_balloon_zeroed *z, unsigned long pfn,
			     unsigned long end)
{
	struct hv_bz_region *r;
	bool fresh = false;

	list_for_each_entry(r, &z->regions, list) {
		unsigned long rend = r->start_pfn + r->nr_pages;
		unsigned long s, e;

		if (end <= r->start_pfn || pfn >= rend)
			continue;
		s = max(pfn, r->start_pfn) - r->start_pfn;
		e = min(end, rend) - r->start_pfn;
		if (pfn >= r->start_pfn && end <= rend)
			fresh = find_next_zero_bit(r->fresh, e, s) >= e;
		bitmap_clear(r->fresh, s, e - s);
	}
	return fresh;
}

/**
 * __hv_balloon_zeroed_first_online - take the first-online right of pages
 * @z: the decisions
 * @pfn: first page frame being onlined
 * @nr_pages: how many
 *
 * Return: true if every page was recorded as hot-added and never onlined
 * since; either way none of them is afterwards.
 */
bool __hv_balloon_zeroed_first_online(struct hv_balloon_zeroed *z,
				      unsigned long pfn, unsigned long nr_pages)
{
	unsigned long flags;
	bool fresh;

	spin_lock_irqsave(&z->lock, flags);
	fresh = hv_bz_take_fresh(z, pfn, pfn + nr_pages);
	spin_unlock_irqrestore(&z->lock, flags);
	return fresh;
}
EXPORT_SYMBOL_IF_KUNIT(__hv_balloon_zeroed_first_online);

/**
 * __hv_balloon_zeroed_offline - pages go offline: they are fresh no more
 * @z: the decisions
 * @start_pfn: first page frame
 * @nr_pages: how many
 */
void __hv_balloon_zeroed_offline(struct hv_balloon_zeroed *z,
				 unsigned long start_pfn, unsigned long nr_pages)
{
	__hv_balloon_zeroed_first_online(z, start_pfn, nr_pages);
}
EXPORT_SYMBOL_IF_KUNIT(__hv_balloon_zeroed_offline);

/**
 * hv_balloon_zeroed_offline - memory of hv_balloon goes offline (MEM_OFFLINE)
 * @start_pfn: first page frame
 * @nr_pages: how many
 */
void hv_balloon_zeroed_offline(unsigned long start_pfn, unsigned long nr_pages)
{
	if (hv_balloon_zeroed_settled())
		__hv_balloon_zeroed_offline(&hv_bz, start_pfn, nr_pages);
}
EXPORT_SYMBOL_GPL(hv_balloon_zeroed_offline);

#ifdef CONFIG_MEMORY_HOTPLUG
/**
 * __hv_balloon_zeroed_online_page - online a hot-added block
 * @z: the decisions
 * @page: first page, as given to the online_page callback
 * @order: order of the block
 */
void __hv_balloon_zeroed_online_page(struct hv_balloon_zeroed *z,
				     struct page *page, unsigned int order)
{
	if (z && z->hot_add &&
	    __hv_balloon_zeroed_first_online(z, page_to_pfn(page), 1UL << order))
		generic_online_page_zeroed(page, order);
	else
		generic_online_page(page, order);
}
EXPORT_SYMBOL_IF_KUNIT(__hv_balloon_zeroed_online_page);

/**
 * hv_balloon_zeroed_online_page - online a block hv_balloon hot-added
 * @page: first page, as given to the online_page callback
 * @order: order of the block
 *
 * Onlined known-zero under the hot_add_zeroes opt-in, and only the first
 * time since the host added it; else as usual.
 */
void hv_balloon_zeroed_online_page(struct page *page, unsigned int order)
{
	__hv_balloon_zeroed_online_page(hv_balloon_zeroed_settled() ? &hv_bz : NULL,
					page, order);
}
EXPORT_SYMBOL_GPL(hv_balloon_zeroed_online_page);
#endif

static u64 hv_balloon_zeroed_hypercall(u16 code, void *output)
{
	return hv_do_hypercall(code, NULL, output);
}

static void hv_balloon_zeroed_taint(const char *opt_in)
{
	pr_warn("%s=1: trusting a zero promise no protocol documents; tainting the kernel\n",
		opt_in);
	add_taint(TAINT_USER, LOCKDEP_STILL_OK);
}

/**
 * hv_balloon_zeroed_opts_set - the choices the command line made
 * @opts: filled from the module parameters
 */
void hv_balloon_zeroed_opts_set(struct hv_balloon_zeroed_opts *opts)
{
	opts->cold_discard = cold_discard_zeroes;
	opts->boot_zeroed = boot_zeroed;
	opts->unballoon = unballoon_zeroes;
	opts->hot_add = hot_add_zeroes;
}
EXPORT_SYMBOL_IF_KUNIT(hv_balloon_zeroed_opts_set);

static int __init hv_balloon_zeroed_init(void)
{
	struct hv_balloon_zeroed_opts opts;
	struct hv_balloon_zeroed_host host = {
		.query_cap = hv_query_ext_cap,
		.hypercall = hv_balloon_zeroed_hypercall,
		.taint = hv_balloon_zeroed_taint,
	};

	hv_balloon_zeroed_opts_set(&opts);
	if (!hv_is_hyperv_initialized()) {
		hv_balloon_zeroed_settle(&hv_bz, &host, &(struct hv_balloon_zeroed_opts){});
		goto out;
	}
	host.isolated = hv_is_isolation_supported() ||
			cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT);
	if (opts.boot_zeroed)
		host.boot_refusal = hv_balloon_zeroed_boot_refusal();
	hv_balloon_zeroed_settle(&hv_bz, &host, &opts);
out:
	/* Pairs with the smp_load_acquire() in hv_balloon_zeroed_settled(). */
	smp_store_release(&hv_bz_ready, true);
	return 0;
}

/* Built in: after hyperv_init() (arch_initcall at the latest), before any driver probes. */
subsys_initcall(hv_balloon_zeroed_init);

static void __exit hv_balloon_zeroed_exit(void)
{
	WRITE_ONCE(hv_bz_ready, false);
	hv_balloon_zeroed_release(&hv_bz);
}
module_exit(hv_balloon_zeroed_exit);

MODULE_DESCRIPTION("Hyper-V frontend for known-zero pages");
MODULE_LICENSE("GPL");
