// SPDX-License-Identifier: GPL-2.0
/* double_zero.cocci must flag every clear below. */

static struct folio *anon_zero_twice(struct vm_fault *vmf)
{
	struct folio *folio;

	folio = vma_alloc_folio(GFP_HIGHUSER_MOVABLE | __GFP_ZERO, 0, vmf->vma, vmf->address);
	if (!folio)
		return NULL;
	folio_zero_user(folio, vmf->address);
	return folio;
}

static struct folio *movable_clear_user(struct vm_area_struct *vma, unsigned long vaddr)
{
	struct folio *folio;

	folio = vma_alloc_folio(GFP_HIGHUSER_MOVABLE | __GFP_ZERO, 0, vma, vaddr);
	if (folio && user_alloc_needs_zeroing())
		clear_user_highpage(&folio->page, vaddr);
	return folio;
}

static struct page *kernel_clear_highpage(void)
{
	struct page *page = NULL;

	page = alloc_pages(GFP_KERNEL | __GFP_ZERO, 0);
	if (page)
		clear_highpage(page);
	return page;
}

static void *kernel_clear_page(void)
{
	struct page *page;

	page = alloc_page(__GFP_ZERO | GFP_KERNEL);
	clear_page(page_address(page));
	return page_address(page);
}

static struct folio *gfp_local(struct vm_area_struct *vma, unsigned long addr, int order)
{
	struct folio *folio;
	gfp_t gfp;

	gfp = vma_thp_gfp_mask(vma) | __GFP_ZERO;
	folio = vma_alloc_folio(gfp, order, vma, addr);
	if (folio)
		folio_zero_user(folio, addr);
	return folio;
}

static struct folio *gfp_decl(struct hstate *h)
{
	gfp_t gfp_mask = htlb_alloc_mask(h) | __GFP_ZERO;
	struct folio *folio;

	folio = alloc_hugetlb_folio_reserve(h, numa_node_id(), NULL, gfp_mask);
	if (folio)
		clear_highpage(folio_page(folio, 0));
	return folio;
}
