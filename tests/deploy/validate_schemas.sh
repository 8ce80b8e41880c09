#!/usr/bin/env bash
# The deployment and pipeline files against the published JSON schemas that GitHub, pre-commit, Cloud
# Build, Cloud Run, Knative and mkdocs hold them to (../shared/schemas, draft-07; ajv-cli 5 + ajv-formats
# from web/node_modules, as ../shared/schemas/README.md says):
#   .github/workflows/*.yaml       github-workflow.json
#   .github/actions/*/action.yml   github-action.json
#   .pre-commit-config.yaml        pre-commit-config.json (+ pre-commit-hooks.json, which it $refs)
#   cloudbuild.yaml                cloudbuild.json
#   deploy/cloudrun/service.yaml   cloud-run-v1.json and knative-serving-service-v1.json, as written and as
#                                  cloudbuild.yaml's render step fills in its placeholders
#   mkdocs.yml                     mkdocs-1.6.json (converted to JSON first: it may hold !!python/name tags);
#                                  skipped, with a message, only while the file does not exist
# Then it shows that it can fail: a broken copy of each kind of file must be rejected for the reason that
# was planted (a validator that accepts everything fails this test).
# Skips (exit 77) when node, web/node_modules (bash scripts/setup.sh) or the schemas are missing; fails
# instead under ARXIVC_REQUIRE_CLIENT_TESTS=1 (tests/support/serve_helpers.sh).
set -euo pipefail
# shellcheck source=tests/support/serve_helpers.sh
source "$(dirname "${BASH_SOURCE[0]}")/../support/serve_helpers.sh"
arxivc_install_cleanup

src="$ARXIVC_SOURCE_DIR"
schemas="${ARXIVC_SCHEMA_DIR:-$src/../shared/schemas}"
require_command node
if ! /usr/bin/python3 -c 'import yaml' 2>/dev/null; then
  skip "Debian's /usr/bin/python3 with PyYAML is missing (apt-get install python3-yaml)"
fi
ajv="$src/web/node_modules/ajv-cli/dist/index.js"
[ -f "$ajv" ] || skip "web/node_modules lacks ajv-cli (run: bash scripts/setup.sh)"
[ -f "$src/web/node_modules/ajv-formats/package.json" ] ||
  skip "web/node_modules lacks ajv-formats (run: bash scripts/setup.sh)"
[ -f "$schemas/github-workflow.json" ] ||
  skip "no published schemas in $schemas (the shared/schemas beside the repository; or set ARXIVC_SCHEMA_DIR)"

work=""
arxivc_temp_dir work
checked=0
failures=0

# ajv FILE SCHEMA [REFERENCED_SCHEMA...]: ajv-cli's exit status (0 valid, 1 invalid); its messages go to
# stdout and stderr. Draft-07, and --strict=false because SchemaStore's schemas carry extra keywords such
# as markdownDescription.
ajv() {
  local file="$1" schema="$2"
  shift 2
  local refs=() ref
  for ref in "$@"; do refs+=(-r "$schemas/$ref"); done
  node "$ajv" validate --spec=draft7 --strict=false -c ajv-formats -s "$schemas/$schema" "${refs[@]}" \
    -d "$file" --errors=text
}

# expect_valid FILE SCHEMA [REFERENCED_SCHEMA...]
expect_valid() {
  local file="$1" schema="$2" output shown
  shown="${file#"$src"/}"
  shown="${shown/#"$work"\//generated }"
  checked=$((checked + 1))
  if output="$(ajv "$@" 2>&1)"; then
    log "valid: $shown ($schema)"
  else
    log "INVALID: $shown against $schema:"
    printf '%s\n' "$output" >&2
    failures=$((failures + 1))
  fi
}

# expect_invalid WHY PATTERN FILE SCHEMA [REFERENCED_SCHEMA...]: the file must be rejected (exit 1) with a
# message matching PATTERN, the reason that was planted in it.
expect_invalid() {
  local why="$1" pattern="$2" status=0 output
  shift 2
  checked=$((checked + 1))
  output="$(ajv "$@" 2>&1)" || status=$?
  if [ "$status" -eq 1 ] && grep -qE "$pattern" <<<"$output"; then
    log "rejected as it must be: $why"
  else
    log "NOT REJECTED AS EXPECTED ($why): exit status $status, output:"
    printf '%s\n' "$output" >&2
    failures=$((failures + 1))
  fi
}

# mutate ORIGINAL COPY SED_SCRIPT: writes a changed copy, and fails when the change did not apply.
mutate() {
  sed -e "$3" "$1" >"$2"
  ! cmp -s "$1" "$2" || die "the broken copy of $1 is unchanged: '$3' no longer matches it"
}

# mkdocs.yml as JSON: PyYAML with every tag (!!python/name:..., !ENV, ...) read as the text it tags, which
# is what the schema expects where such tags are allowed.
mkdocs_as_json() {
  /usr/bin/python3 - "$1" "$2" <<'PY'
import json
import sys

import yaml


class AnyTagLoader(yaml.SafeLoader):
    pass


def tagged_text(loader, tag_suffix, node):
    if isinstance(node, yaml.ScalarNode):
        return f"{node.tag} {loader.construct_scalar(node)}".strip()
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_mapping(node, deep=True)


AnyTagLoader.add_multi_constructor("", tagged_text)
with open(sys.argv[1], encoding="utf-8") as source:
    document = yaml.load(source, Loader=AnyTagLoader)
with open(sys.argv[2], "w", encoding="utf-8") as target:
    json.dump(document, target)
PY
}

# deploy/cloudrun/service.yaml with cloudbuild.yaml's placeholders filled in by its own render step (the
# step's script, with Cloud Build's substitutions made here), so that the two files cannot drift apart.
render_service() {
  /usr/bin/python3 - "$src/cloudbuild.yaml" "$1" <<'PY'
import re
import subprocess
import sys

import yaml

cloudbuild_file, rendered = sys.argv[1], sys.argv[2]
with open(cloudbuild_file, encoding="utf-8") as source:
    build = yaml.safe_load(source)
values = {"PROJECT_ID": "example-project", "BUILD_ID": "00000000-0000-0000-0000-000000000000"}
pending = dict(build["substitutions"])
for _ in range(len(pending) + 1):
    for key, value in pending.items():
        values[key] = re.sub(r"\$\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), value)
(step,) = [s for s in build["steps"] if s.get("id") == "render-service"]
script = step["args"][-1]
script = re.sub(r"(?<!\$)\$\{(\w+)\}", lambda m: values[m.group(1)], script).replace("$$", "$")
script = script.replace("/workspace/service.rendered.yaml", rendered)
sys.exit(subprocess.run(["bash", "-c", script], check=False).returncode)
PY
}

log "schemas: $schemas"

# The files as they are.
workflows=("$src"/.github/workflows/*.yaml)
[ -f "${workflows[0]}" ] || die "no workflow in $src/.github/workflows"
for workflow in "${workflows[@]}"; do expect_valid "$workflow" github-workflow.json; done
for action in "$src"/.github/actions/*/action.yml; do
  [ -f "$action" ] && expect_valid "$action" github-action.json
done
expect_valid "$src/.pre-commit-config.yaml" pre-commit-config.json pre-commit-hooks.json
expect_valid "$src/cloudbuild.yaml" cloudbuild.json
for schema in cloud-run-v1.json knative-serving-service-v1.json; do
  expect_valid "$src/deploy/cloudrun/service.yaml" "$schema"
done
render_service "$work/service.rendered.yaml" || die "cloudbuild.yaml's render-service step failed"
for schema in cloud-run-v1.json knative-serving-service-v1.json; do
  expect_valid "$work/service.rendered.yaml" "$schema"
done
if [ -f "$src/mkdocs.yml" ]; then
  mkdocs_as_json "$src/mkdocs.yml" "$work/mkdocs.yml.json"
  expect_valid "$work/mkdocs.yml.json" mkdocs-1.6.json
else
  log "NOT CHECKED: mkdocs.yml does not exist (yet); it is validated against mkdocs-1.6.json once it does"
fi

# Broken copies: each must be rejected, for the planted reason.
mutate "$src/.github/workflows/tests.yaml" "$work/workflow-without-runs-on.yaml" \
  '0,/^    runs-on: /{/^    runs-on: /d}'
expect_invalid "a workflow job without runs-on" "runs-on" "$work/workflow-without-runs-on.yaml" \
  github-workflow.json
mutate "$src/.pre-commit-config.yaml" "$work/pre-commit-types-not-a-list.yaml" \
  '0,/types: \[shell\]/s//types: shell/'
expect_invalid "a hook whose types is not a list (defined in pre-commit-hooks.json)" "types" \
  "$work/pre-commit-types-not-a-list.yaml" pre-commit-config.json pre-commit-hooks.json
mutate "$src/cloudbuild.yaml" "$work/cloudbuild-without-steps.yaml" 's/^steps:/step:/'
expect_invalid "a build without steps" "steps" "$work/cloudbuild-without-steps.yaml" cloudbuild.json
mutate "$src/deploy/cloudrun/service.yaml" "$work/service-port-as-text.yaml" \
  's/containerPort: 8080/containerPort: "8080"/'
for schema in cloud-run-v1.json knative-serving-service-v1.json; do
  expect_invalid "a container port written as text ($schema)" "containerPort" \
    "$work/service-port-as-text.yaml" "$schema"
done
if [ -f "$src/mkdocs.yml" ]; then
  mutate "$src/mkdocs.yml" "$work/mkdocs-without-site-name.yml" '/^site_name:/d'
  mkdocs_as_json "$work/mkdocs-without-site-name.yml" "$work/mkdocs-without-site-name.json"
  expect_invalid "an mkdocs.yml without site_name" "site_name" "$work/mkdocs-without-site-name.json" \
    mkdocs-1.6.json
fi

if [ "$failures" -ne 0 ]; then
  die "$failures of $checked schema checks failed"
fi
log "all $checked schema checks passed"
