#!/usr/bin/env bash
# Runs shellcheck on the shell scripts that live inside YAML, where neither the shellcheck hook nor the
# schemas look: every `run:` of the workflows and of the composite actions under .github/, and the
# `bash -c` scripts of cloudbuild.yaml's steps. GitHub's ${{ ... }} expressions and Cloud Build's
# ${_SUBSTITUTIONS} become plain words first, and Cloud Build's `$$` a `$`, as the runners do before the
# shell sees them.
# Then a planted mistake (an unquoted variable) must be reported, so a checker that sees nothing fails.
# Skips (exit 77) when shellcheck is missing; fails instead under ARXIVC_REQUIRE_CLIENT_TESTS=1.
set -euo pipefail
# shellcheck source=tests/support/serve_helpers.sh
source "$(dirname "${BASH_SOURCE[0]}")/../support/serve_helpers.sh"
arxivc_install_cleanup

require_command shellcheck
if ! /usr/bin/python3 -c 'import yaml' 2>/dev/null; then
  skip "Debian's /usr/bin/python3 with PyYAML is missing (apt-get install python3-yaml)"
fi
work=""
arxivc_temp_dir work

# extract OUTPUT_DIR FILE...: writes each embedded script as OUTPUT_DIR/NNN.sh with a comment naming
# where it came from; prints how many.
extract() {
  /usr/bin/python3 - "$@" <<'PY'
import os
import re
import sys

import yaml

out_dir, files = sys.argv[1], sys.argv[2:]
GITHUB_EXPRESSION = re.compile(r"\$\{\{.*?\}\}", re.S)
CLOUD_BUILD_SUBSTITUTION = re.compile(
    r"(?<!\$)\$\{?(_[A-Z0-9_]+|PROJECT_ID|BUILD_ID|COMMIT_SHA|SHORT_SHA)\}?")
count = 0


def write(origin, script):
    global count
    count += 1
    with open(os.path.join(out_dir, f"{count:03d}.sh"), "w", encoding="utf-8") as target:
        target.write(f"#!/usr/bin/env bash\n# {origin}\n{script}\n")


def github_steps(document):
    for job_name, job in (document.get("jobs") or {}).items():
        for index, step in enumerate(job.get("steps") or []):
            yield f"job {job_name}, step {step.get('name') or step.get('id') or index}", step
    for index, step in enumerate((document.get("runs") or {}).get("steps") or []):
        yield f"step {step.get('name') or step.get('id') or index}", step


for path in files:
    with open(path, encoding="utf-8") as source:
        # BaseLoader: every scalar stays text (`on:` stays a key, not the boolean YAML 1.1 makes of it).
        document = yaml.load(source, Loader=yaml.BaseLoader)
    if "steps" in document and "substitutions" in document:  # Cloud Build
        for index, step in enumerate(document["steps"]):
            args = step.get("args") or []
            if step.get("entrypoint") == "bash" and len(args) >= 2 and args[0] == "-c":
                script = CLOUD_BUILD_SUBSTITUTION.sub("CLOUD_BUILD_VALUE", args[1]).replace("$$", "$")
                write(f"{path}: step {step.get('id', index)}", script)
        continue
    for origin, step in github_steps(document):
        if "run" in step and step.get("shell", "bash") == "bash":
            write(f"{path}: {origin}", GITHUB_EXPRESSION.sub("GITHUB_EXPRESSION", step["run"]))
print(count)
PY
}

src="$ARXIVC_SOURCE_DIR"
mapfile -t sources < <(cd "$src" && ls .github/workflows/*.yaml .github/actions/*/action.yml cloudbuild.yaml)
mkdir -p "$work/scripts"
count="$(cd "$src" && extract "$work/scripts" "${sources[@]}")"
[ "$count" -gt 10 ] ||
  die "found only $count embedded scripts in ${sources[*]}: has the extraction stopped working?"
if ! shellcheck --shell=bash --severity=style "$work/scripts"/*.sh; then
  die "shellcheck found problems in scripts embedded in YAML (the line under '# FILE: ...' names the step)"
fi
log "shellcheck: $count scripts embedded in ${#sources[@]} YAML files are clean"

# The planted mistake: an unquoted variable in a copy of a workflow step.
mkdir -p "$work/planted"
cat >"$work/planted/workflow.yaml" <<'YAML'
on: push
jobs:
  planted:
    runs-on: ubuntu-24.04
    steps:
      - run: rm -rf ${{ runner.temp }}/$DIRECTORY
YAML
[ "$(extract "$work/planted" "$work/planted/workflow.yaml")" = 1 ] ||
  die "the planted workflow step was not extracted"
if shellcheck --shell=bash --severity=style "$work/planted"/*.sh >"$work/planted.out" 2>&1; then
  die "shellcheck did not report the unquoted \$DIRECTORY planted in a workflow step"
fi
grep -q SC2086 "$work/planted.out" ||
  die "shellcheck failed on the planted step, but not for the unquoted variable: $(cat "$work/planted.out")"
log "the planted unquoted variable is reported (SC2086)"
