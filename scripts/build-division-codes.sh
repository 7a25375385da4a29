#!/bin/sh
# Rebuilds the code lines of data/division_codes.txt from a clone of
# https://github.com/cn/GB2260 (pass its path): the union of every code in every list.
set -eu
repo=${1:?usage: build-division-codes.sh PATH-TO-GB2260-CLONE}
cd "$repo"
for f in $(git ls-tree -r --name-only HEAD | grep -E '^(mca|stats)/.*tsv$|^200[27]12.tsv$'); do
  git show "HEAD:$f"
  echo
done | tr -d '\r' | awk -F'\t' '$3 ~ /^[0-9][0-9][0-9][0-9][0-9][0-9]$/ {print $3}' | sort -u
