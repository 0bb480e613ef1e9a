#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Export pagehint as an upstream-style series: one git commit per patch in `series`, on top of
# the pristine tree, with the MANIFEST files whose third column names a patch added in that
# patch's commit; then `git format-patch --cover-letter` into $PH_BUILD/series.
#   export-series.sh            export
#   export-series.sh --verify   export, `git am` the result onto a fresh checkout of the base
#                               and compare it with the tree prepare-tree.sh builds; KTAP on
#                               stdout, progress on stderr
# The repository ($PH_BUILD/series-git, branch `series`, tags `base` and `v7.3`) is kept: the
# base commit of the whole tree is made once per pristine version, a re-run only resets to it.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

verify=0
case ${1:-} in
"") ;;
--verify) verify=1 ;;
*) ph_die "usage: export-series.sh [--verify]" ;;
esac
# --verify keeps stdout for KTAP.
[ $verify = 0 ] || exec 3>&1 1>&2

pristine=$PH_BUILD/linux-pristine
repo=$PH_BUILD/series-git
outdir=$PH_BUILD/series
[ -f "$pristine/.pagehint-version" ] || ph_die "no pristine tree: run scripts/fetch-kernel.sh"
debver=$(cat "$pristine/.pagehint-version")
base_subject="Linux ${debver%%-*} (Debian $debver)"
# Files that tools or our scripts leave in the pristine tree; not part of Linux.
# Patterns, quoted: expanded here they would match files in the current directory instead.
droppings=('.pagehint-*' '.checkpatch-camelcase.*')

series_files() { sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$PH_TOP/series"; }
manifest() { sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$PH_TOP/MANIFEST"; }
g() { git -C "$repo" "$@"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Fixed identity and dates make the commits, and so the exported patches, reproducible.
base_env=(GIT_AUTHOR_NAME=pagehint GIT_AUTHOR_EMAIL=pagehint@example.org
	  GIT_COMMITTER_NAME=pagehint GIT_COMMITTER_EMAIL=pagehint@example.org
	  GIT_AUTHOR_DATE='2026-01-01T00:00:00Z' GIT_COMMITTER_DATE='2026-01-01T00:00:00Z')

make_base() {
	ph_log "creating the base commit '$base_subject' in $repo (once per pristine version)"
	rm -rf "$repo"
	git init -q "$repo"
	# The user's global settings must not change what we export.
	g config user.name pagehint
	g config user.email pagehint@example.org
	g config core.autocrlf false
	g config diff.noprefix false
	g config diff.mnemonicPrefix false
	g config gc.auto 0
	cp -a "$pristine/." "$repo/"
	# shellcheck disable=SC2068 # the patterns must glob, inside $repo
	(cd "$repo" && rm -rf ${droppings[@]})
	# -f: the Debian tarball holds files the kernel's .gitignore matches; all of them count.
	g add -A -f
	env "${base_env[@]}" git -C "$repo" commit -q -m "$base_subject"
	g tag -f base >/dev/null
	g tag -f v7.3 >/dev/null
}

export_series() {
	local t0=$SECONDS
	if [ "$(g log -1 --format=%s base 2>/dev/null)" != "$base_subject" ]; then
		make_base
	fi
	g checkout -q -f -B series base
	g clean -q -fdx

	# MANIFEST files by the patch that introduces them.
	local -A files_of=() in_series=()
	local last="" p name src dst intro n=0 m=0
	while read -r p; do
		name=$(basename "$p")
		in_series[$name]=1
		last=$name
	done < <(series_files)
	[ -n "$last" ] || ph_die "series lists no patch"
	while read -r src dst intro; do
		[ -f "$PH_TOP/$src" ] || ph_die "MANIFEST names $src, which does not exist"
		[ -n "$dst" ] || ph_die "MANIFEST line for $src has no in-tree path"
		if [ -z "$intro" ]; then
			ph_log "WARNING: MANIFEST gives no introducing patch for $src; adding it in $last"
			intro=$last
		elif [ -z "${in_series[$intro]:-}" ]; then
			ph_log "WARNING: MANIFEST says $src comes with $intro, which is not in series; adding it in $last"
			intro=$last
		fi
		files_of[$intro]+="$src $dst"$'\n'
	done < <(manifest)

	while read -r p; do
		name=$(basename "$p")
		[ -f "$PH_TOP/$p" ] || ph_die "series names $p, which does not exist"
		if g apply --check "$PH_TOP/$p" 2>/dev/null; then
			g apply "$PH_TOP/$p"
		elif patch -d "$repo" -p1 -N --no-backup-if-mismatch -r - < "$PH_TOP/$p" >"$tmp/patch.log" 2>&1; then
			# prepare-tree.sh applies the same way; the exported patch is regenerated clean.
			grep -E '^(patching|Hunk)' "$tmp/patch.log" | grep -B1 '^Hunk' || true
			ph_log "WARNING: $name applies only with fuzz (git apply refuses it); refresh it"
		else
			cat "$tmp/patch.log"
			ph_die "patch does not apply: $p"
		fi
		while read -r src dst; do
			[ -n "$src" ] || continue
			mkdir -p "$(dirname "$repo/$dst")"
			rm -f "$repo/$dst"
			cp "$PH_TOP/$src" "$repo/$dst"
			m=$((m + 1))
		done <<< "${files_of[$name]:-}"

		git mailinfo -u "$tmp/msg" "$tmp/diff" < "$PH_TOP/$p" > "$tmp/info"
		local author email date subject
		author=$(sed -n 's/^Author: //p' "$tmp/info")
		email=$(sed -n 's/^Email: //p' "$tmp/info")
		date=$(sed -n 's/^Date: //p' "$tmp/info")
		subject=$(sed -n 's/^Subject: //p' "$tmp/info")
		if [ -z "$author" ] || [ -z "$email" ] || [ -z "$subject" ]; then
			ph_die "$p has no From:/Subject: header (make it with git format-patch)"
		fi
		[ -n "$date" ] || date='2026-01-01T00:00:00Z'
		grep -q '^Signed-off-by: ' "$tmp/msg" || ph_log "WARNING: $name has no Signed-off-by"
		{ printf '%s\n\n' "$subject"; cat "$tmp/msg"; } > "$tmp/commit-msg"

		# Stage only what this patch and its files touch: `add -A` of the whole tree stats
		# every one of its ~96k files per patch.
		{ sed -n -e 's/^--- a\/\([^	]*\).*/\1/p' -e 's/^+++ b\/\([^	]*\).*/\1/p' "$PH_TOP/$p"
		  while read -r src dst; do [ -z "$dst" ] || echo "$dst"; done <<< "${files_of[$name]:-}"
		} | LC_ALL=C sort -u > "$tmp/paths"
		g add -A -f --pathspec-from-file="$tmp/paths"
		g diff --cached --quiet && ph_die "patch changes nothing: $p"
		GIT_AUTHOR_NAME=$author GIT_AUTHOR_EMAIL=$email GIT_AUTHOR_DATE=$date \
		GIT_COMMITTER_NAME=$author GIT_COMMITTER_EMAIL=$email GIT_COMMITTER_DATE=$date \
			git -C "$repo" commit -q --cleanup=whitespace -F "$tmp/commit-msg"
		n=$((n + 1))
		ph_log "  [$n] $subject"
	done < <(series_files)

	rm -rf "$outdir"
	mkdir -p "$outdir"
	g format-patch -q --cover-letter --thread -o "$outdir" base..series
	write_cover_letter "$outdir"/0000-cover-letter.patch "$n"
	ph_log "exported $n patches ($m MANIFEST files) to $outdir in $((SECONDS - t0))s"
	count=$n
}

# Fill git's cover-letter template: what and why from the README's introduction, numbers only
# from the newest make bench results file in docs/results/, the patches grouped like `series`.
write_cover_letter() {
	local cover=$1 n=$2 blurb=$tmp/blurb line section="" i=0 subj newest
	{
		awk 'NR > 1 && /^$/ && started { exit } NR > 1 && !/^$/ { started = 1; print }' \
			"$PH_TOP/README.md"
		echo
		# The newest committed make bench report, verbatim, with its file name.
		newest=$(ls "$PH_TOP"/docs/results/bench-*.txt 2>/dev/null | sort | tail -n 1 || true)
		if [ -n "$newest" ]; then
			echo "Numbers (make bench, ${newest#"$PH_TOP"/}):"
			echo
			cat "$newest"
		else
			echo "Numbers: see make bench."
		fi
		echo
		echo "Enable CONFIG_PAGE_REPORTING_ZEROED (and a frontend) to use it;"
		echo "CONFIG_PAGE_REPORTING_ZEROED_VERIFY checks every claim the allocator consumes."
		echo
		echo "Patches:"
		while IFS= read -r line; do
			if [[ $line =~ ^##[[:space:]]*(.*[^[:space:]]) ]]; then
				section=${BASH_REMATCH[1]}
				continue
			fi
			line=${line%%#*}
			line=$(echo "$line" | xargs)
			[ -n "$line" ] || continue
			if [ -n "$section" ]; then
				printf '\n  %s:\n' "$section"
				section=""
			fi
			i=$((i + 1))
			subj=$(git mailinfo /dev/null /dev/null < "$PH_TOP/$line" | sed -n 's/^Subject: //p')
			printf '    %2d/%d %s\n' "$i" "$n" "$subj"
		done < "$PH_TOP/series"
		echo
		echo "Based on $base_subject."
	} > "$blurb"
	BLURB=$blurb python3 - "$cover" <<-'EOF'
		import os, sys
		path = sys.argv[1]
		text = open(path).read()
		text = text.replace("*** SUBJECT HERE ***",
		                    "mm: skip clearing free pages the host already zeroed")
		text = text.replace("*** BLURB HERE ***", open(os.environ["BLURB"]).read().rstrip("\n"))
		open(path, "w").write(text)
	EOF
}

count=0
if [ $verify = 0 ]; then
	export_series
	echo "$outdir: $count patches + cover letter"
	exit 0
fi

# --verify
ktap() { printf '%s\n' "$*" >&3; }
ktap "KTAP version 1"
ktap "1..3"
fail=0
# set -e does not reach into a function called as a condition: run it as a command.
set +e
(set -e; export_series)
rc=$?
set -e
if [ $rc = 0 ]; then
	count=$(find "$outdir" -name '0*.patch' ! -name '0000-cover-letter.patch' | wc -l)
	ktap "ok 1 export"
else
	ktap "not ok 1 export"
	ktap "ok 2 git-am # SKIP export failed"
	ktap "ok 3 identical-to-prepared-tree # SKIP export failed"
	ph_die "export failed"
fi

# A second worktree of the base, as a user applying the mails would have it.
wt=$PH_BUILD/series-verify
if [ "$(git -C "$wt" rev-parse --git-common-dir 2>/dev/null)" != "$repo/.git" ]; then
	rm -rf "$wt"
	g worktree prune
	ph_log "checking out the base in $wt"
	g worktree add -q --detach "$wt" base
else
	git -C "$wt" am --abort >/dev/null 2>&1 || true
	git -C "$wt" checkout -q -f --detach base
	git -C "$wt" clean -q -fdx
fi
ph_log "git am of $count patches onto the base"
mapfile -t mails < <(find "$outdir" -name '0*.patch' ! -name '0000-cover-letter.patch' | sort)
if git -C "$wt" am -q "${mails[@]}" >&2 && git -C "$wt" diff --quiet series HEAD; then
	ktap "ok 2 git-am"
else
	git -C "$wt" diff --stat series HEAD >&2 || true
	ktap "not ok 2 git-am"
	fail=1
fi

if [ $fail = 0 ]; then
	bash "$PH_TOP/scripts/prepare-tree.sh"
	ph_log "comparing with $PH_BUILD/linux"
	excl=(-x .git)
	for d in "${droppings[@]}"; do excl+=(-x "$d"); done
	if diff -r -q --no-dereference "${excl[@]}" "$wt" "$PH_BUILD/linux" >&2; then
		ktap "ok 3 identical-to-prepared-tree"
	else
		ktap "not ok 3 identical-to-prepared-tree"
		fail=1
	fi
else
	ktap "ok 3 identical-to-prepared-tree # SKIP git am failed"
fi
[ $fail = 0 ] || ph_die "the exported series does not reproduce the prepared tree"
ph_log "verified: $count patches apply with git am and give the tree prepare-tree.sh builds"
