/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A page reporting frontend for the page_zeroed KUnit suite: it plays the
 * host, honest or not, so the core can be tested without a hypervisor.
 */
#ifndef _MM_TESTS_PAGE_ZEROED_TEST_FRONTEND_H
#define _MM_TESTS_PAGE_ZEROED_TEST_FRONTEND_H

#include <linux/page_reporting.h>

/**
 * enum page_zeroed_test_mode - how the test "host" answers a report
 * @PZ_TEST_HONEST: zero every reported page and set its bit
 * @PZ_TEST_LYING: write a pattern into every page and still set its bit
 * @PZ_TEST_SILENT: zero every page but set no bit (an old host)
 * @PZ_TEST_FAILING: zero and set every bit, then fail the report
 * @PZ_TEST_STRAY: as honest, and also set the bit just past the batch
 */
enum page_zeroed_test_mode {
	PZ_TEST_HONEST,
	PZ_TEST_LYING,
	PZ_TEST_SILENT,
	PZ_TEST_FAILING,
	PZ_TEST_STRAY,
};

/* What the pattern of PZ_TEST_LYING pages starts with */
#define PZ_TEST_PATTERN	0x5a

/**
 * struct page_zeroed_test_frontend - a test page reporting device
 * @prdev: what is registered with page reporting
 * @mode: how report() behaves
 * @reports: report() calls
 * @pages: base pages handed to report()
 * @claimed: base pages of the entries whose bit report() set, within nents
 * @stray: bits set past nents (PZ_TEST_STRAY)
 */
struct page_zeroed_test_frontend {
	struct page_reporting_dev_info prdev;
	enum page_zeroed_test_mode mode;
	unsigned long reports;
	unsigned long pages;
	unsigned long claimed;
	unsigned long stray;
};

int page_zeroed_test_frontend_register(struct page_zeroed_test_frontend *fe,
				       enum page_zeroed_test_mode mode,
				       bool host_zeroes_pages,
				       unsigned int capacity);
void page_zeroed_test_frontend_unregister(struct page_zeroed_test_frontend *fe);

#endif /* _MM_TESTS_PAGE_ZEROED_TEST_FRONTEND_H */
