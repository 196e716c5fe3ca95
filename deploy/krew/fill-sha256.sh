#!/usr/bin/env bash
# Prints the krew manifest with every platform's sha256 set to the sha256 of the archive its uri names, read
# from a directory of built archives (deploy/krew/package.sh runs this after building them).
#   deploy/krew/fill-sha256.sh ARCHIVE_DIR [manifest, default deploy/krew/flock.yaml] > flock.yaml
# The manifest's leading comment (which says its sums are placeholders) is left out of the output.
# Each platform's `uri:` line must come before its `sha256:` line (as in deploy/krew/flock.yaml): the sum is
# taken from the file named by the last uri seen, and a sha256 with no uri of its own above it is an error.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
archives=${1:?usage: fill-sha256.sh ARCHIVE_DIR [manifest]}
manifest=${2:-$root/deploy/krew/flock.yaml}

archive=""
line_number=0
header=1
while IFS= read -r line || [ -n "$line" ]; do
  line_number=$((line_number + 1))
  if [ "$header" = 1 ] && [[ $line == \#* ]]; then continue; fi
  header=0
  if [[ $line =~ ^[[:space:]-]*uri:[[:space:]]*\"?([^\"[:space:]]+) ]]; then
    archive=${BASH_REMATCH[1]##*/}
  elif [[ $line =~ ^([[:space:]-]*)sha256: ]]; then
    indent=${BASH_REMATCH[1]}
    [ -n "$archive" ] || { echo "$manifest:$line_number: sha256 with no uri above it" >&2; exit 1; }
    [ -f "$archives/$archive" ] || { echo "$manifest:$line_number: $archives/$archive not found" >&2; exit 1; }
    line="${indent}sha256: $(sha256sum "$archives/$archive" | cut -d' ' -f1)"
    archive=""
  fi
  printf '%s\n' "$line"
done < "$manifest"
