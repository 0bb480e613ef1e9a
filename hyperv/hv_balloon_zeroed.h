/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hyper-V frontend for known-zero pages (include/linux/page_zeroed.h).
 *
 * Four zero sources, each off by default and decided once, at init
 * (hv_balloon_zeroed_settle()); hv_balloon's data paths only test the
 * settled result (hv_balloon_zeroed_settled()):
 *   - boot-zeroed memory (HvExtCallGetBootZeroedMemory; TLFS: the ranges
 *     read as zero at the time the call is made): with boot_zeroed=1 and
 *     the QueryCapabilities bit, claimed through page_zeroed_claim_free(),
 *     which asks and marks under each zone's lock.  Refused, whatever the
 *     setting, where memory may hold data the host cannot know about and a
 *     host that answers from its own bookkeeping would list anyway: a
 *     kdump kernel, a kexec-booted kernel, a KHO boot, the root partition
 *     and VTL != 0;
 *   - free page reporting through cold discard (HvExtCallMemoryHeatHint):
 *     no document says a discarded page reads back as zero: opt-in
 *     cold_discard_zeroes=1, which taints the kernel;
 *   - pages returned by DM_UNBALLOON_REQUEST and hot-added pages: the
 *     Dynamic Memory protocol says nothing about their contents: opt-ins
 *     unballoon_zeroes=1 / hot_add_zeroes=1, which taint the kernel.  Only
 *     pages the host returned in balloon_down() are trusted (never those a
 *     failed balloon_up() frees), and only the first onlining of a page
 *     after the host added it (never a re-online after an offline);
 *   - none of them in a confidential (isolated) guest.
 */
#ifndef _HYPERV_HV_BALLOON_ZEROED_H
#define _HYPERV_HV_BALLOON_ZEROED_H

#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/memory_hotplug.h>
#include <linux/mm_types.h>
#include <linux/page_reporting.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <hyperv/hvgdk_ext.h>

/* GPA page numbers: at most 52 physical address bits, 4 KiB pages */
#define HV_GPA_PAGE_NUMBER_LIMIT	BIT_ULL(52 - HV_HYP_PAGE_SHIFT)

/**
 * struct hv_balloon_zeroed_host - what the frontend needs from the platform
 * @isolated: a confidential (isolated) guest: the host is not trusted
 * @boot_refusal: why boot-zeroed memory must not be claimed in this boot
 *	(hv_balloon_zeroed_boot_refusal()), or NULL
 * @query_cap: whether QueryCapabilities offers @cap (hv_query_ext_cap(),
 *	false without the extended-hypercall privilege)
 * @hypercall: issue simple hypercall @code without input, with @output a
 *	page-aligned HV_HYP_PAGE_SIZE buffer; returns the status.  Called
 *	with a zone's lock held and interrupts off
 * @taint: an opt-in whose zero promise no protocol documents is set
 */
struct hv_balloon_zeroed_host {
	bool isolated;
	const char *boot_refusal;
	bool (*query_cap)(u64 cap);
	u64 (*hypercall)(u16 code, void *output);
	void (*taint)(const char *opt_in);
};

/**
 * struct hv_balloon_zeroed_opts - the administrator's choices, all off by default
 * @cold_discard: trust that cold-discarded reported pages read as zero
 * @boot_zeroed: claim the boot-zeroed ranges (needs a host that answers
 *	as the TLFS says: zero when the call is made)
 * @unballoon: trust that pages the host returns on unballoon read as zero
 * @hot_add: trust that hot-added pages read as zero on their first online
 */
struct hv_balloon_zeroed_opts {
	bool cold_discard;
	bool boot_zeroed;
	bool unballoon;
	bool hot_add;
};

/**
 * struct hv_balloon_zeroed_boot - what the boot-zeroed claim saw
 * @calls: GetBootZeroedMemory calls (one per populated zone)
 * @status: status of the last call
 * @rejected: parts of the first answer refused, each logged and counted
 * @count_too_big: the first answer's RangeCount was above 255
 */
struct hv_balloon_zeroed_boot {
	unsigned int calls;
	u64 status;
	unsigned int rejected;
	bool count_too_big;
};

/**
 * struct hv_balloon_zeroed - the trust decisions, settled once
 * @report: cold discard reports vouch for zeros
 * @unballoon: pages the host returns on unballoon are freed known-zero
 * @hot_add: hot-added pages are onlined known-zero the first time
 * @source: holds a page_zeroed_source_get() reference
 * @boot_marked: pages marked from boot-zeroed ranges
 * @boot: what the boot-zeroed claim saw
 * @lock: protects @regions
 * @regions: hot-added ranges and which of their pages were never onlined
 */
struct hv_balloon_zeroed {
	bool report;
	bool unballoon;
	bool hot_add;
	bool source;
	unsigned long boot_marked;
	struct hv_balloon_zeroed_boot boot;
	spinlock_t lock;
	struct list_head regions;
};

/* A built-in hv_balloon cannot call a modular frontend: it then does without. */
#if IS_REACHABLE(CONFIG_HYPERV_BALLOON_ZEROED)
/* For hv_balloon.c */
void hv_balloon_zeroed_report_init(struct page_reporting_dev_info *prdev);
void hv_balloon_zeroed_report_done(struct page_reporting_dev_info *prdev,
				   unsigned int nents, u64 status);
void hv_balloon_zeroed_free_balloon_page(struct page *page, bool host_returned);
void hv_balloon_zeroed_hot_added(unsigned long start_pfn, unsigned long nr_pages);
void hv_balloon_zeroed_online_page(struct page *page, unsigned int order);
void hv_balloon_zeroed_offline(unsigned long start_pfn, unsigned long nr_pages);

/* The same with explicit state, for the KUnit suite */
const struct hv_balloon_zeroed *hv_balloon_zeroed_settled(void);
void hv_balloon_zeroed_opts_set(struct hv_balloon_zeroed_opts *opts);
int hv_balloon_zeroed_settle(struct hv_balloon_zeroed *z,
			     const struct hv_balloon_zeroed_host *host,
			     const struct hv_balloon_zeroed_opts *opts);
void hv_balloon_zeroed_release(struct hv_balloon_zeroed *z);
const char *__hv_balloon_zeroed_boot_refusal(bool kdump, bool kexec, bool kho,
					     bool root, u8 vtl);
void __hv_balloon_zeroed_free_balloon_page(const struct hv_balloon_zeroed *z,
					   struct page *page, bool host_returned);
int __hv_balloon_zeroed_hot_added(struct hv_balloon_zeroed *z,
				  unsigned long start_pfn, unsigned long nr_pages);
bool __hv_balloon_zeroed_first_online(struct hv_balloon_zeroed *z,
				      unsigned long pfn, unsigned long nr_pages);
void __hv_balloon_zeroed_online_page(struct hv_balloon_zeroed *z,
				     struct page *page, unsigned int order);
void __hv_balloon_zeroed_offline(struct hv_balloon_zeroed *z,
				 unsigned long start_pfn, unsigned long nr_pages);
#else
static inline void hv_balloon_zeroed_report_init(struct page_reporting_dev_info *prdev)
{
}

static inline void hv_balloon_zeroed_report_done(struct page_reporting_dev_info *prdev,
						 unsigned int nents, u64 status)
{
}

static inline void hv_balloon_zeroed_free_balloon_page(struct page *page,
						       bool host_returned)
{
	__free_page(page);
}

static inline void hv_balloon_zeroed_hot_added(unsigned long start_pfn,
					       unsigned long nr_pages)
{
}

#ifdef CONFIG_MEMORY_HOTPLUG
static inline void hv_balloon_zeroed_online_page(struct page *page,
						 unsigned int order)
{
	generic_online_page(page, order);
}
#endif

static inline void hv_balloon_zeroed_offline(unsigned long start_pfn,
					     unsigned long nr_pages)
{
}
#endif

#endif /* _HYPERV_HV_BALLOON_ZEROED_H */
