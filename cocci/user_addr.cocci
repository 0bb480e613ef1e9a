// SPDX-License-Identifier: GPL-2.0-only
///
/// A page allocated for user space must be given the raw user address.
///
/// The page allocator zeroes a user page with folio_zero_user() in
/// post_alloc_hook() only when the caller passes the address the page
/// will be mapped at; that address picks the cache colour of each
/// subpage on architectures with aliasing data caches and decides
/// which subpage is cleared last and stays cache-hot. A missing or
/// rewritten address zeroes through the kernel alias instead and
/// leaves stale lines visible to the user mapping.
///
/// Flagged, in the address argument of vma_alloc_folio(),
/// vma_alloc_folio_noprof(), vma_alloc_zeroed_movable_folio(),
/// folio_prealloc() and alloc_hugetlb_folio():
///  - an aligned or masked address: ALIGN_DOWN(), ALIGN(),
///    round_down(), round_up(), PAGE_ALIGN(), PAGE_ALIGN_DOWN()
///    or "addr & MASK", written in the call or held by a local
///    assigned one of these on the way to the call;
///  - USER_ADDR_NONE, passed to any of them or to
///    alloc_hugetlb_folio_reserve();
///  - vmf->address (any "...->address") passed to alloc_hugetlb_folio() for a folio that
///    is zeroed (gfp with __GFP_ZERO, directly or through a local, or
///    a folio_zero_user() on the result): hugetlb's vmf->address is
///    huge-page aligned, the raw address is vmf->real_address.
/// Accepted: any other expression, in practice vmf->address,
/// vmf->real_address or the caller's addr parameter.
///
// Confidence: High
// Copyright: (C) 2026 pagehint contributors
// URL: https://coccinelle.gitlabpages.inria.fr/website
// Options: --no-includes --include-headers
//
// Keywords: vma_alloc_folio, alloc_hugetlb_folio, user_addr, folio_zero_user
//

virtual patch
virtual context
virtual org
virtual report

// Patch mode fixes the direct forms, where the raw address is the first operand of the
// alignment or the mask; the local and hugetlb forms need a human.

// Every rule needs one of these calls in the file; saying it once lets spatch skip the rest
// unparsed.
@gate@
@@

\(vma_alloc_folio\|vma_alloc_folio_noprof\|vma_alloc_zeroed_movable_folio\|folio_prealloc\|alloc_hugetlb_folio\|alloc_hugetlb_folio_reserve\)(...)

@initialize:python@
@@
import re

# An address that was aligned or masked: not the address the task faulted on. Checked on the
# expression's text rather than with an SmPL disjunction: the disjunction would make spatch's
# file prefilter give up and parse every file in the tree.
ALIGNERS = re.compile(r"^(ALIGN_DOWN|ALIGN|round_down|round_up|PAGE_ALIGN|PAGE_ALIGN_DOWN)\(")

def top_level_and(e):
	depth = 0
	for i, c in enumerate(e):
		if c in "([":
			depth += 1
		elif c in ")]":
			depth -= 1
		elif c == "&" and depth == 0 and i > 0 and e[i - 1] != "&" and \
		     (i + 1 == len(e) or e[i + 1] != "&"):
			return True
	return False

def derived(e):
	e = re.sub(r"\s+", "", e)
	while e.startswith("(") and e.endswith(")"):
		e = e[1:-1].strip()
	return bool(ALIGNERS.match(e)) or top_level_and(e)

def no_user_addr(e):
	return re.sub(r"\s+", "", e) == "USER_ADDR_NONE"

@aligned depends on gate && !patch@
expression G, O, V;
expression D : script:python() { derived(D) or no_user_addr(D) };
position p;
@@

(
* vma_alloc_folio(G@p, O, V, D)
|
* vma_alloc_folio_noprof(G@p, O, V, D)
|
* vma_alloc_zeroed_movable_folio@p(V, D)
|
* folio_prealloc@p(G, V, D, O)
|
* alloc_hugetlb_folio@p(V, D, ...)
|
* alloc_hugetlb_folio_reserve@p(..., USER_ADDR_NONE, ...)
)

@aligned_local depends on gate && !patch exists@
identifier a;
expression F, G, O, V, E3;
expression D : script:python() { derived(D) };
position p;
@@

  a = D;
  ... when != a = E3
(
* F = vma_alloc_folio(G@p, O, V, a);
|
* return vma_alloc_folio(G@p, O, V, a);
|
* F = vma_alloc_folio_noprof(G@p, O, V, a);
|
* return vma_alloc_folio_noprof(G@p, O, V, a);
|
* F = vma_alloc_zeroed_movable_folio@p(V, a);
|
* return vma_alloc_zeroed_movable_folio@p(V, a);
|
* F = folio_prealloc@p(G, V, a, O);
|
* return folio_prealloc@p(G, V, a, O);
|
* F = alloc_hugetlb_folio@p(V, a, ...);
)

@depends on gate && patch@
expression G, O, V, E1, E2;
@@

(
  vma_alloc_folio(G, O, V,
- \(ALIGN_DOWN(E1, E2)\|round_down(E1, E2)\|E1 & E2\)
+ E1
  )
|
  vma_alloc_folio_noprof(G, O, V,
- \(ALIGN_DOWN(E1, E2)\|round_down(E1, E2)\|E1 & E2\)
+ E1
  )
)

// hugetlb: vmf->address is aligned to the huge page; only a zeroed
// folio needs the raw address, a COW copy does not.
@hugetlb_zeroed depends on gate && !patch@
expression A : script:python() { A.replace(" ", "").endswith("->address") };
expression V;
position p;
@@

* alloc_hugetlb_folio@p(V, A, ..., <+... __GFP_ZERO ...+>, ...)

@hugetlb_zeroed_local depends on gate && !patch exists@
expression A : script:python() { A.replace(" ", "").endswith("->address") };
expression F, V;
identifier g;
position p;
@@

  g = <+... __GFP_ZERO ...+>;
  ...
* F = alloc_hugetlb_folio@p(V, A, ..., g, ...);

@hugetlb_zeroed_after depends on gate && !patch exists@
expression A : script:python() { A.replace(" ", "").endswith("->address") };
expression F, V, E;
position p;
@@

* F = alloc_hugetlb_folio@p(V, A, ...);
  ... when != F = E
  folio_zero_user(F, ...);

@hugetlb_zeroed_decl depends on gate && !patch exists@
type T;
expression A : script:python() { A.replace(" ", "").endswith("->address") };
expression F, V;
identifier g;
position p;
@@

  T g = <+... __GFP_ZERO ...+>;
  ...
* F = alloc_hugetlb_folio@p(V, A, ..., g, ...);

@script:python depends on report@
p << aligned.p;
@@
coccilib.report.print_report(p[0], "user page allocated with an aligned or missing user address; pass the raw fault address")

@script:python depends on report@
p << aligned_local.p;
@@
coccilib.report.print_report(p[0], "user page allocated with a local holding an aligned fault address; pass the raw fault address")

@script:python depends on report@
p << hugetlb_zeroed.p;
@@
coccilib.report.print_report(p[0], "zeroed hugetlb folio allocated at vmf->address (huge-page aligned); pass vmf->real_address")

@script:python depends on report@
p << hugetlb_zeroed_decl.p;
@@
coccilib.report.print_report(p[0], "zeroed hugetlb folio allocated at vmf->address (huge-page aligned); pass vmf->real_address")

@script:python depends on org@
p << aligned.p;
@@
coccilib.org.print_todo(p[0], "user page allocated with an aligned or missing user address")

@script:python depends on org@
p << aligned_local.p;
@@
coccilib.org.print_todo(p[0], "user page allocated with a local holding an aligned fault address")

@script:python depends on org@
p << hugetlb_zeroed.p;
@@
coccilib.org.print_todo(p[0], "zeroed hugetlb folio allocated at vmf->address; pass vmf->real_address")

@script:python depends on org@
p << hugetlb_zeroed_decl.p;
@@
coccilib.org.print_todo(p[0], "zeroed hugetlb folio allocated at vmf->address; pass vmf->real_address")

@script:python depends on report@
p << hugetlb_zeroed_local.p;
@@
coccilib.report.print_report(p[0], "zeroed hugetlb folio allocated at vmf->address (huge-page aligned); pass vmf->real_address")

@script:python depends on report@
p << hugetlb_zeroed_after.p;
@@
coccilib.report.print_report(p[0], "zeroed hugetlb folio allocated at vmf->address (huge-page aligned); pass vmf->real_address")

@script:python depends on org@
p << hugetlb_zeroed_local.p;
@@
coccilib.org.print_todo(p[0], "zeroed hugetlb folio allocated at vmf->address; pass vmf->real_address")

@script:python depends on org@
p << hugetlb_zeroed_after.p;
@@
coccilib.org.print_todo(p[0], "zeroed hugetlb folio allocated at vmf->address; pass vmf->real_address")
