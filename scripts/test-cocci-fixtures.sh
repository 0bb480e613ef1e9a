#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Prove each semantic patch bites and stays quiet where it must: run spatch in report mode on
# cocci/tests/<rule>/positive.c (output must equal cocci/tests/<rule>/expected) and on
# negative.c (output must be empty). arch_zeroed_folio's macro half lives in
# scripts/coccicheck.sh (--arch-macros) and is run on the same fixtures.
#
# stdout is a KTAP document (parse with the tree's tools/testing/kunit/kunit.py parse);
# progress and the summary go to stderr. Exit status 1 if any test fails.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

command -v spatch >/dev/null || ph_die "spatch not installed (make deps)"
cocci_dir=$PH_TOP/cocci
rules=()
for c in "$cocci_dir"/*.cocci; do
	[ -e "$c" ] || continue
	rules+=("$(basename "$c" .cocci)")
done
[ ${#rules[@]} -gt 0 ] || ph_die "no semantic patches in $cocci_dir"

# Same spatch flags as scripts/coccicheck for MODE=report, plus the script's own Options:.
report() {
	local rule=$1 file=$2 opts
	opts=$(sed -n 's|^// Options:||p' "$cocci_dir/$rule.cocci")
	# shellcheck disable=SC2086 # Options: is a word list, as in scripts/coccicheck
	(cd "$cocci_dir/tests/$rule" &&
		spatch -D report --no-show-diff --very-quiet $opts \
			--cocci-file "$cocci_dir/$rule.cocci" "$file" 2>"$tmp/spatch.err" &&
		if [ "$rule" = arch_zeroed_folio ]; then
			bash "$PH_TOP/scripts/coccicheck.sh" --arch-macros "$file"
		fi) | LC_ALL=C sort
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "KTAP version 1"
echo "1..$((2 * ${#rules[@]}))"
n=0
failed=0
for rule in "${rules[@]}"; do
	dir=$cocci_dir/tests/$rule
	for kind in positive negative; do
		n=$((n + 1))
		name=$rule-$kind
		ph_log "fixture $n: $name" >&2
		if [ ! -f "$dir/$kind.c" ] || { [ $kind = positive ] && [ ! -f "$dir/expected" ]; }; then
			echo "# $name: missing $dir/$kind.c or $dir/expected"
			echo "not ok $n - $name"
			failed=$((failed + 1))
			continue
		fi
		if ! report "$rule" "$kind.c" > "$tmp/got"; then
			sed 's/^/# /' "$tmp/spatch.err"
			echo "not ok $n - $name"
			failed=$((failed + 1))
			continue
		fi
		if [ $kind = positive ]; then
			want=$dir/expected
		else
			want=/dev/null
		fi
		if diff -u --label "$name expected" --label "$name got" "$want" "$tmp/got" > "$tmp/diff"; then
			echo "ok $n - $name"
		else
			sed 's/^/# /' "$tmp/diff"
			echo "not ok $n - $name"
			failed=$((failed + 1))
		fi
	done
done
if [ $failed -gt 0 ]; then
	ph_log "cocci fixtures: $failed of $n failed" >&2
	exit 1
fi
ph_log "cocci fixtures: all $n passed (${#rules[@]} rules)" >&2
