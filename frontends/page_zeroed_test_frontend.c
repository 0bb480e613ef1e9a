// SPDX-License-Identifier: GPL-2.0
/*
 * Test page reporting frontend for the page_zeroed KUnit suite.
 *
 * It stands in for a hypervisor: report() "discards" the pages by zeroing
 * them itself (or, when told to lie, by filling them with a pattern) and
 * answers through the zeroed bitmap the way a real frontend would after
 * asking its host.
 */
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/page_reporting.h>
#include <linux/scatterlist.h>
#include <linux/string.h>

#include "page_zeroed_test_frontend.h"

static void pz_test_fill(struct page *page, unsigned long nr, bool lie)
{
	unsigned long i;

	/* Free pages may be unmapped by debug_pagealloc. */
	debug_pagealloc_map_pages(page, nr);
	for (i = 0; i < nr; i++) {
		void *addr = kmap_local_page(page + i);

		if (lie)
			memset(addr, PZ_TEST_PATTERN, 64);
		else
			clear_page(addr);
		kunmap_local(addr);
	}
	debug_pagealloc_unmap_pages(page, nr);
}

static int pz_test_report(struct page_reporting_dev_info *prdev,
			  struct scatterlist *sgl, unsigned int nents)
{
	struct page_zeroed_test_frontend *fe =
		container_of(prdev, struct page_zeroed_test_frontend, prdev);
	bool lie = fe->mode == PZ_TEST_LYING;
	bool claim = fe->mode != PZ_TEST_SILENT;
	struct scatterlist *sg;
	unsigned int i;

	fe->reports++;
	for_each_sg(sgl, sg, nents, i) {
		unsigned long nr = sg->length >> PAGE_SHIFT;

		fe->pages += nr;
		pz_test_fill(sg_page(sg), nr, lie);
		if (!claim || !prdev->zeroed_bitmap)
			continue;
		set_bit(i, prdev->zeroed_bitmap);
		if (fe->mode != PZ_TEST_FAILING)
			fe->claimed += nr;
	}

	if (fe->mode == PZ_TEST_STRAY && prdev->zeroed_bitmap &&
	    nents < prdev->capacity) {
		set_bit(nents, prdev->zeroed_bitmap);
		fe->stray++;
	}

	return fe->mode == PZ_TEST_FAILING ? -EIO : 0;
}

/**
 * page_zeroed_test_frontend_register - Register a test reporting device
 * @fe: the device, zero-initialised by the caller
 * @mode: how its report() behaves
 * @host_zeroes_pages: whether it opts in to known-zero tracking
 * @capacity: batch size, 0 for the default
 *
 * Return: what page_reporting_register() returns (-EBUSY if another device,
 * e.g. virtio_balloon, is registered).
 */
int page_zeroed_test_frontend_register(struct page_zeroed_test_frontend *fe,
				       enum page_zeroed_test_mode mode,
				       bool host_zeroes_pages,
				       unsigned int capacity)
{
	fe->mode = mode;
	fe->prdev.report = pz_test_report;
	fe->prdev.order = PAGE_REPORTING_ORDER_UNSPECIFIED;
	fe->prdev.capacity = capacity;
	fe->prdev.host_zeroes_pages = host_zeroes_pages;
	return page_reporting_register(&fe->prdev);
}

/**
 * page_zeroed_test_frontend_unregister - Unregister a test reporting device
 * @fe: the device
 */
void page_zeroed_test_frontend_unregister(struct page_zeroed_test_frontend *fe)
{
	page_reporting_unregister(&fe->prdev);
}
