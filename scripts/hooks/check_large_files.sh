#!/usr/bin/env bash
# pre-commit hook: refuses files larger than MAX_KB (default 500) kibibytes. Data, models and build output
# belong outside the repository (../shared/data, models/, build/), not in git.
set -euo pipefail
max_kb="${MAX_KB:-500}"
status=0
for path in "$@"; do
  size_kb=$((($(stat -c %s "$path") + 1023) / 1024))
  if [ "$size_kb" -gt "$max_kb" ]; then
    echo "$path: ${size_kb} KiB is over the ${max_kb} KiB limit for files in git"
    status=1
  fi
done
exit "$status"
