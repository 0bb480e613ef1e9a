// SPDX-License-Identifier: GPL-2.0-only
///
/// Do not zero a page that was allocated with __GFP_ZERO.
///
/// With __GFP_ZERO the page allocator has already cleared the memory,
/// and for user pages it did so with folio_zero_user() at the user
/// address. A second clear doubles the cost of the fault, and a
/// clear through a different alias (clear_page(), clear_highpage())
/// can leave dirty lines of the kernel alias that the user mapping
/// does not see on architectures with aliasing data caches.
///
/// Flagged: folio_zero_user(), clear_user_highpage(),
/// clear_user_highpages(), clear_highpage(), clear_page() applied to
/// the result (F, &F->page, folio_page(F, i), page_address(F),
/// folio_address(F)) of any call whose arguments contain __GFP_ZERO,
/// directly or through a gfp local assigned a value containing it,
/// on some path with no reassignment of the result in between.
///
// Confidence: High
// Copyright: (C) 2026 pagehint contributors
// URL: https://coccinelle.gitlabpages.inria.fr/website
// Options: --no-includes --include-headers
//
// Keywords: __GFP_ZERO, folio_zero_user, clear_user_highpage, clear_page
//

virtual patch
virtual context
virtual org
virtual report

// Allocations and gfp values that clear __GFP_ZERO are not zeroing ones.
// Every rule needs __GFP_ZERO in the file; saying it once lets spatch skip the rest unparsed.
@gate@
@@

__GFP_ZERO

@masked_gfp depends on gate && !patch@
identifier g;
position pg;
@@

  g@pg = <+... ~__GFP_ZERO ...+>

@masked_call depends on gate && !patch@
identifier alloc;
position pa;
@@

  alloc@pa(..., <+... ~__GFP_ZERO ...+>, ...)

@direct depends on gate && !patch exists@
expression F, E;
identifier alloc;
position pa != masked_call.pa;
position pz;
@@

  F = alloc@pa(..., <+... __GFP_ZERO ...+>, ...);
  ... when != F = E
(
* folio_zero_user@pz(F, ...)
|
* clear_user_highpage@pz(\(F\|&F->page\|folio_page(F, ...)\), ...)
|
* clear_user_highpages@pz(\(F\|&F->page\|folio_page(F, ...)\), ...)
|
* clear_highpage@pz(\(F\|&F->page\|folio_page(F, ...)\))
|
* clear_page@pz(\(F\|page_address(F)\|folio_address(F)\))
)

@via_local depends on gate && !patch exists@
expression F, E;
identifier alloc, g;
position pg != masked_gfp.pg;
position pa != masked_call.pa;
position pz;
@@

  g@pg = <+... __GFP_ZERO ...+>;
  ... when != g = E
  F = alloc@pa(..., g, ...);
  ... when != F = E
(
* folio_zero_user@pz(F, ...)
|
* clear_user_highpage@pz(\(F\|&F->page\|folio_page(F, ...)\), ...)
|
* clear_user_highpages@pz(\(F\|&F->page\|folio_page(F, ...)\), ...)
|
* clear_highpage@pz(\(F\|&F->page\|folio_page(F, ...)\))
|
* clear_page@pz(\(F\|page_address(F)\|folio_address(F)\))
)

@via_decl depends on gate && !patch exists@
expression F, E;
identifier alloc, g;
type T;
position pa != masked_call.pa;
position pz;
@@

  T g = <+... __GFP_ZERO ...+>;
  ... when != g = E
  F = alloc@pa(..., g, ...);
  ... when != F = E
(
* folio_zero_user@pz(F, ...)
|
* clear_user_highpage@pz(\(F\|&F->page\|folio_page(F, ...)\), ...)
|
* clear_user_highpages@pz(\(F\|&F->page\|folio_page(F, ...)\), ...)
|
* clear_highpage@pz(\(F\|&F->page\|folio_page(F, ...)\))
|
* clear_page@pz(\(F\|page_address(F)\|folio_address(F)\))
)

// Patch mode: drop the second clear. Only the direct form is rewritten;
// the local-gfp forms are left to a human.
@depends on gate && patch exists@
expression F, E;
identifier alloc;
@@

  F = alloc(..., <+... __GFP_ZERO ...+>, ...);
  ... when != F = E
(
- folio_zero_user(F, ...);
|
- clear_user_highpage(\(F\|&F->page\|folio_page(F, ...)\), ...);
|
- clear_highpage(\(F\|&F->page\|folio_page(F, ...)\));
)

@script:python depends on report@
pa << direct.pa;
pz << direct.pz;
alloc << direct.alloc;
@@
coccilib.report.print_report(pz[0], "zeroing memory that %s() on line %s already zeroed (__GFP_ZERO)" % (alloc, pa[0].line))

@script:python depends on report@
pa << via_local.pa;
pz << via_local.pz;
alloc << via_local.alloc;
@@
coccilib.report.print_report(pz[0], "zeroing memory that %s() on line %s already zeroed (__GFP_ZERO)" % (alloc, pa[0].line))

@script:python depends on report@
pa << via_decl.pa;
pz << via_decl.pz;
alloc << via_decl.alloc;
@@
coccilib.report.print_report(pz[0], "zeroing memory that %s() on line %s already zeroed (__GFP_ZERO)" % (alloc, pa[0].line))

@script:python depends on org@
pa << direct.pa;
pz << direct.pz;
@@
coccilib.org.print_todo(pz[0], "double zeroing after __GFP_ZERO allocation")
coccilib.org.print_link(pa[0], "")

@script:python depends on org@
pa << via_local.pa;
pz << via_local.pz;
@@
coccilib.org.print_todo(pz[0], "double zeroing after __GFP_ZERO allocation")
coccilib.org.print_link(pa[0], "")

@script:python depends on org@
pa << via_decl.pa;
pz << via_decl.pz;
@@
coccilib.org.print_todo(pz[0], "double zeroing after __GFP_ZERO allocation")
coccilib.org.print_link(pa[0], "")
