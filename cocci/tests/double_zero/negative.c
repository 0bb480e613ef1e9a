// SPDX-License-Identifier: GPL-2.0
/* double_zero.cocci must accept everything below. */

/* The pre-conversion pattern: no __GFP_ZERO, so the caller clears. */
static struct folio *zero_without_gfp_zero(struct vm_fault *vmf)
{
	struct folio *folio;

	folio = vma_alloc_folio(GFP_HIGHUSER_MOVABLE, 0, vmf->vma, vmf->address);
	if (folio)
		folio_zero_user(folio, vmf->address);
	return folio;
}

/* __GFP_ZERO and nothing else: the converted form. */
static struct folio *converted(struct vm_fault *vmf)
{
	return vma_alloc_folio(GFP_HIGHUSER_MOVABLE | __GFP_ZERO, 0, vmf->vma, vmf->address);
}

/* __GFP_ZERO explicitly masked off before the allocation. */
static struct page *gfp_dropped(gfp_t gfp)
{
	struct page *page;

	gfp = gfp | __GFP_ZERO;
	gfp = gfp & ~__GFP_ZERO;
	page = alloc_pages(gfp, 0);
	clear_highpage(page);
	return page;
}

/* The result was replaced by a non-zeroed page before the clear. */
static struct page *reassigned(struct page *spare)
{
	struct page *page;

	page = alloc_pages(GFP_KERNEL | __GFP_ZERO, 0);
	if (!page)
		page = spare;
	else
		return page;
	clear_highpage(page);
	return page;
}

/* Another page is cleared, not the zeroed one. */
static void other_page(struct page *old)
{
	struct page *page = alloc_pages(GFP_KERNEL | __GFP_ZERO, 0);

	clear_highpage(old);
	put_page(page);
}
