// SPDX-License-Identifier: GPL-2.0
/* alloc_zeroing.cocci must accept everything below. */

/* The converted fault path: the allocator zeroes. */
static struct folio *anon_fault(struct vm_fault *vmf, gfp_t gfp, int order)
{
	return vma_alloc_folio(gfp | __GFP_ZERO, order, vmf->vma, vmf->address);
}

/* A COW copy writes the whole page; no clear. */
static struct folio *cow(struct vm_fault *vmf, struct folio *old)
{
	struct folio *folio = vma_alloc_folio(GFP_HIGHUSER_MOVABLE, 0, vmf->vma, vmf->address);

	if (folio)
		copy_user_highpage(&folio->page, &old->page, vmf->address, vmf->vma);
	return folio;
}

/* Kernel pages are not user pages. */
static void *kernel_buffer(void)
{
	struct page *page = alloc_pages(GFP_KERNEL, 0);

	clear_highpage(page);
	return page_address(page);
}

/* Partial clears of a user folio (e.g. the tail beyond EOF) are not zeroing-after-alloc. */
static struct folio *partial(struct vm_area_struct *vma, unsigned long addr)
{
	struct folio *folio = vma_alloc_folio(GFP_HIGHUSER_MOVABLE, 0, vma, addr);

	if (folio)
		folio_zero_range(folio, 0, 64);
	return folio;
}

/* The clear targets another folio than the one just allocated. */
static struct folio *other(struct vm_area_struct *vma, unsigned long addr, struct folio *spare)
{
	struct folio *folio = vma_alloc_folio(GFP_HIGHUSER_MOVABLE | __GFP_ZERO, 0, vma, addr);

	folio_zero_user(spare, addr);
	return folio;
}
