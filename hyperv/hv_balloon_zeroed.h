/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Hyper-V frontend for known-zero pages (include/linux/page_zeroed.h).
 *
 * Four zero sources, each trusted only when it is decided, once, that the
 * guest can believe it (hv_balloon_zeroed_settle()); the data paths only
 * test the result:
 *   - free page reporting through cold discard (HvExtCallMemoryHeatHint):
 *     the TLFS does not say that a discarded page reads back as zero, so
 *     only with the opt-in hv_balloon_zeroed.cold_discard_zeroes=1 and the
 *     cold-discard capability; a hypercall that completed every range
 *     vouches for the whole batch, any other answer for none of it;
 *   - boot-zeroed memory (HvExtCallGetBootZeroedMemory, TLFS: zero when the
 *     call is made): when QueryCapabilities advertises it, claimed through
 *     <linux/page_zeroed_boot.h>, which only marks blocks the allocator has
 *     not handed out since boot;
 *   - pages returned by DM_UNBALLOON_REQUEST and hot-added pages: the
 *     Dynamic Memory protocol says nothing about their contents, so only
 *     with the opt-ins unballoon_zeroes=1 / hot_add_zeroes=1, and marked as
 *     they enter the allocator (put_page_zeroed(),
 *     generic_online_page_zeroed());
 *   - none of them in a confidential (isolated) guest.
 */
#ifndef _HYPERV_HV_BALLOON_ZEROED_H
#define _HYPERV_HV_BALLOON_ZEROED_H

#include <linux/build_bug.h>
#include <linux/cc_platform.h>
#include <linux/gfp.h>
#include <linux/memory_hotplug.h>
#include <linux/mm_types.h>
#include <linux/page_reporting.h>
#include <linux/page_zeroed_boot.h>
#include <linux/types.h>
#include <hyperv/hvhdk.h>
#include <asm/mshyperv.h>

/* TLFS HvExtCallGetBootZeroedMemory: a simple call, output only. */
#define HV_EXT_CALL_GET_BOOT_ZEROED_MEMORY		0x8002
/* TLFS HvExtCallQueryCapabilities output, bit 0 */
#define HV_EXT_CAPABILITY_GET_BOOT_ZEROED_MEMORY	BIT_ULL(0)
#define HV_BOOT_ZEROED_MAX_RANGES			255
/* GPA page numbers are 52 bits wide */
#define HV_GPA_PAGE_NUMBER_LIMIT			BIT_ULL(52)

/**
 * struct hv_boot_zeroed_range - one range of HvExtCallGetBootZeroedMemory
 * @start_page: first guest physical page number (HV_HYP_PAGE_SIZE pages)
 * @page_count: number of pages
 */
struct hv_boot_zeroed_range {
	u64 start_page;
	u64 page_count;
} __packed;

/**
 * struct hv_output_get_boot_zeroed_memory - output of the call (0xFF8 bytes)
 * @range_count: number of valid entries in @ranges
 * @ranges: ranges known to be zero when the call was made; they may
 *	overlap and include memory the guest does not have
 */
struct hv_output_get_boot_zeroed_memory {
	u64 range_count;
	struct hv_boot_zeroed_range ranges[HV_BOOT_ZEROED_MAX_RANGES];
} __packed;
static_assert(sizeof(struct hv_output_get_boot_zeroed_memory) == 0xFF8);

/**
 * struct hv_balloon_zeroed_host - what the frontend needs from the platform
 * @ext_hypercalls: the partition may issue extended hypercalls (CPUID
 *	0x40000003 EBX bit 20, HV_ENABLE_EXTENDED_HYPERCALLS)
 * @isolated: a confidential (isolated) guest: the host is not trusted
 * @hypercall: issue simple hypercall @code without input, with @output a
 *	zeroed, page-aligned HV_HYP_PAGE_SIZE buffer; returns the status
 * @claim: mark the free blocks of a boot-zeroed pfn range known-zero
 *	(page_zeroed_boot_claim()); returns the pages marked
 */
struct hv_balloon_zeroed_host {
	bool ext_hypercalls;
	bool isolated;
	u64 (*hypercall)(u16 code, void *output);
	unsigned long (*claim)(unsigned long start_pfn, unsigned long nr_pages);
};

/**
 * struct hv_balloon_zeroed_opts - the administrator's opt-ins
 * @cold_discard: trust that cold-discarded reported pages read as zero
 * @boot_zeroed: use the boot-zeroed ranges (on by default: the TLFS
 *	promises them)
 * @unballoon: trust that pages the host returns on unballoon read as zero
 * @hot_add: trust that hot-added pages read as zero
 */
struct hv_balloon_zeroed_opts {
	bool cold_discard;
	bool boot_zeroed;
	bool unballoon;
	bool hot_add;
};

/**
 * struct hv_balloon_zeroed - the trust decisions, settled once
 * @caps: QueryCapabilities answer; 0 when not asked or it failed
 * @report: cold discard reports vouch for zeros
 * @unballoon: unballooned pages are freed known-zero
 * @hot_add: hot-added pages are onlined known-zero
 * @source: holds a page_zeroed_source_get() reference
 * @boot_marked: pages marked from boot-zeroed ranges
 */
struct hv_balloon_zeroed {
	u64 caps;
	bool report;
	bool unballoon;
	bool hot_add;
	bool source;
	unsigned long boot_marked;
};

#if IS_ENABLED(CONFIG_HYPERV_BALLOON_ZEROED)
/*
 * ms_hyperv_init_platform(), before mm_core_init(): boot-zeroed memory can
 * only be claimed race-free if the allocator tracks from the start which
 * pages it hands out.  Not in a confidential guest.
 */
static inline void __init hv_balloon_zeroed_early_init(void)
{
	if ((ms_hyperv.priv_high & HV_ENABLE_EXTENDED_HYPERCALLS) &&
	    !hv_is_isolation_supported() &&
	    !cc_platform_has(CC_ATTR_GUEST_MEM_ENCRYPT))
		page_zeroed_boot_track_request();
}
#else
static inline void __init hv_balloon_zeroed_early_init(void)
{
}
#endif

/* A built-in hv_balloon cannot call a modular frontend: it then does without. */
#if IS_REACHABLE(CONFIG_HYPERV_BALLOON_ZEROED)
/* For hv_balloon.c */
void hv_balloon_zeroed_report_init(struct page_reporting_dev_info *prdev);
void hv_balloon_zeroed_report_done(struct page_reporting_dev_info *prdev,
				   unsigned int nents, u64 status);
void hv_balloon_zeroed_free_unballooned(struct page *page);
void hv_balloon_zeroed_online_page(struct page *page, unsigned int order);

/* The same with explicit state, for the KUnit suite */
int hv_balloon_zeroed_settle(struct hv_balloon_zeroed *z,
			     const struct hv_balloon_zeroed_host *host,
			     const struct hv_balloon_zeroed_opts *opts);
void hv_balloon_zeroed_release(struct hv_balloon_zeroed *z);
unsigned long
hv_balloon_zeroed_boot_ranges(const struct hv_balloon_zeroed_host *host,
			      const struct hv_output_get_boot_zeroed_memory *out);
void __hv_balloon_zeroed_free_unballooned(const struct hv_balloon_zeroed *z,
					  struct page *page);
void __hv_balloon_zeroed_online_page(const struct hv_balloon_zeroed *z,
				     struct page *page, unsigned int order);
#else
static inline void hv_balloon_zeroed_report_init(struct page_reporting_dev_info *prdev)
{
}

static inline void hv_balloon_zeroed_report_done(struct page_reporting_dev_info *prdev,
						 unsigned int nents, u64 status)
{
}

static inline void hv_balloon_zeroed_free_unballooned(struct page *page)
{
	__free_page(page);
}

#ifdef CONFIG_MEMORY_HOTPLUG
static inline void hv_balloon_zeroed_online_page(struct page *page,
						 unsigned int order)
{
	generic_online_page(page, order);
}
#endif
#endif

#endif /* _HYPERV_HV_BALLOON_ZEROED_H */
