// SPDX-License-Identifier: GPL-2.0-only
///
/// Zeroing of user pages belongs to the page allocator alone.
///
/// A fault path asks for a zeroed user page with __GFP_ZERO and the raw
/// user address; post_alloc_hook() decides how to clear it (kernel
/// alias, folio_zero_user() on aliasing caches, or not at all when the
/// host already zeroed the page). A caller that clears the page itself
/// either repeats that work or, worse, makes the decision with its own
/// copy of the rules, which is how aliasing architectures end up with
/// a page cleared through the wrong alias.
///
/// Flagged outside mm/page_alloc.c (and the definition in
/// include/linux/mm.h):
///  - any call of user_alloc_needs_zeroing();
///  - folio_zero_user(), clear_user_highpage(), clear_user_highpages(),
///    clear_highpage() or clear_page() applied to the result of a user
///    page allocation (vma_alloc_folio(), vma_alloc_folio_noprof(),
///    vma_alloc_zeroed_movable_folio(), folio_prealloc(),
///    alloc_hugetlb_folio(), alloc_hugetlb_folio_reserve()) in the
///    same function. Convert such a site to __GFP_ZERO.
/// Not seen: an allocation and a clear in different functions.
///
// Confidence: High
// Copyright: (C) 2026 pagehint contributors
// URL: https://coccinelle.gitlabpages.inria.fr/website
// Options: --no-includes --include-headers
//
// Keywords: user_alloc_needs_zeroing, folio_zero_user, clear_user_highpage, __GFP_ZERO
//

virtual patch
virtual context
virtual org
virtual report

@initialize:python@
@@
# The cleared page is the allocated one: F itself, its first page, a subpage or its address.
# Checked here rather than in SmPL so that "page" is not a token every file must be parsed for.
def same_memory(z, f):
	z = z.replace(" ", "")
	f = f.replace(" ", "")
	return (z in (f, "&" + f + "->page", "page_address(" + f + ")",
		      "folio_address(" + f + ")") or z.startswith("folio_page(" + f + ","))

# The allocator owns the zeroing decision; everything else is a caller.
def outside_allocator(p):
	f = p[0].file
	return not (f.endswith("/mm/page_alloc.c") or f == "mm/page_alloc.c" or
		    f.endswith("/include/linux/mm.h") or f == "include/linux/mm.h")

@needs_zeroing depends on !patch@
position p : script:python() { outside_allocator(p) };
@@

  user_alloc_needs_zeroing@p()

@zero_after_alloc depends on !patch exists@
expression F, E, E0, Z;
position pa;
position pz : script:python() { outside_allocator(pz) };
@@

  F = \(vma_alloc_folio\|vma_alloc_folio_noprof\|vma_alloc_zeroed_movable_folio\|folio_prealloc\|
        alloc_hugetlb_folio\|alloc_hugetlb_folio_reserve\)(E0@pa, ...);
  ... when != F = E
(
  folio_zero_user@pz(Z, ...)
|
  clear_user_highpage@pz(Z, ...)
|
  clear_user_highpages@pz(Z, ...)
|
  clear_highpage@pz(Z)
|
  clear_page@pz(Z)
)

// Keep only the matches where the cleared memory is the allocated memory.
@script:python keep@
F << zero_after_alloc.F;
Z << zero_after_alloc.Z;
@@
cocci.include_match(same_memory(Z, F))

@ctx depends on context@
position pz = {needs_zeroing.p, zero_after_alloc.pz};
@@

(
* user_alloc_needs_zeroing@pz()
|
* folio_zero_user@pz(...)
|
* clear_user_highpage@pz(...)
|
* clear_user_highpages@pz(...)
|
* clear_highpage@pz(...)
|
* clear_page@pz(...)
)

// Patch mode converts the common shape: a vma_alloc_folio() whose result is cleared under
// user_alloc_needs_zeroing() gets __GFP_ZERO instead. Other shapes need a human: the gfp may
// be a variable shared with other calls.
@depends on patch exists@
expression F, G, O, V, A, X, E;
@@

  F = vma_alloc_folio(
- G
+ G | __GFP_ZERO
  , O, V, A);
  ... when != F = E
(
- if (user_alloc_needs_zeroing())
-	folio_zero_user(F, X);
|
- if (F && user_alloc_needs_zeroing())
-	clear_user_highpage(&F->page, X);
)

@script:python depends on report@
p << needs_zeroing.p;
@@
coccilib.report.print_report(p[0], "user_alloc_needs_zeroing() outside the page allocator; allocate with __GFP_ZERO instead")

@script:python depends on report@
pa << zero_after_alloc.pa;
pz << zero_after_alloc.pz;
@@
coccilib.report.print_report(pz[0], "caller zeroes the user page allocated on line %s; pass __GFP_ZERO and let the allocator zero it" % pa[0].line)

@script:python depends on org@
p << needs_zeroing.p;
@@
coccilib.org.print_todo(p[0], "user_alloc_needs_zeroing() outside the page allocator")

@script:python depends on org@
pa << zero_after_alloc.pa;
pz << zero_after_alloc.pz;
@@
coccilib.org.print_todo(pz[0], "caller zeroes a user page; use __GFP_ZERO")
coccilib.org.print_link(pa[0], "")
