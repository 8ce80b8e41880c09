#!/usr/bin/env bash
# Downloads the data files that .github/test-data.sha256 lists from the assets of one GitHub release into
# a directory, then checks every file against its checksum. Used by the test-data action (action.yml).
#   fetch.sh SUMS_FILE DIRECTORY TAG
# Environment: GITHUB_TOKEN (read access to the repository's releases), GITHUB_REPOSITORY, GITHUB_API_URL.
set -euo pipefail

sums="$(realpath "$1")" dir="$2" tag="$3"
api="${GITHUB_API_URL:-https://api.github.com}/repos/${GITHUB_REPOSITORY:?}"
auth=(-H "Authorization: Bearer ${GITHUB_TOKEN:?}" -H "X-GitHub-Api-Version: 2022-11-28")
mkdir -p "$dir"

release_json="$(mktemp)"
trap 'rm -f "$release_json"' EXIT
status="$(curl -sS -o "$release_json" -w '%{http_code}' "${auth[@]}" "$api/releases/tags/$tag")"
if [ "$status" != 200 ]; then
  cat >&2 <<EOF
::error::No release '$tag' with the test data in $GITHUB_REPOSITORY (HTTP $status).
The tests read the shared arXiv sample (the files of $sums). Publish them once, from a machine that has
them in ../shared/data (arXiv metadata is CC0; PROVENANCE.md says where it comes from):
  cd ../shared/data && gh release create $tag --repo $GITHUB_REPOSITORY --title 'Test data' \\
    --notes 'arXiv metadata sample for CI (CC0)' \\
    arxiv-metadata-5k.json arxiv-taxonomy.json arxiv-taxonomy.tsv PROVENANCE.md
EOF
  exit 1
fi

while read -r _ name; do
  url="$(python3 -c '
import json, sys
assets = {a["name"]: a["url"] for a in json.load(open(sys.argv[1]))["assets"]}
print(assets.get(sys.argv[2], ""))' "$release_json" "$name")"
  [ -n "$url" ] || {
    echo "::error::release '$tag' has no asset '$name'"
    exit 1
  }
  echo "downloading $name from release $tag"
  # curl drops the Authorization header when the asset URL redirects to the storage host.
  curl -fsSL --retry 3 "${auth[@]}" -H "Accept: application/octet-stream" -o "$dir/$name" "$url"
done <"$sums"

(cd "$dir" && sha256sum --check --strict "$sums")
