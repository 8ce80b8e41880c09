#!/usr/bin/env bash
# Runs one of the Node.js client tests against a freshly started `arxivc serve`:
#   tests/web/run_web_test.sh openapi   # validate_openapi.mjs, server in API-key mode
#   tests/web/run_web_test.sh page      # page_test.mjs in headless Chromium
# Skips (exit 77) when node, web/node_modules (bash scripts/setup.sh) or Chromium is missing; fails instead
# under ARXIVC_REQUIRE_CLIENT_TESTS=1 (see tests/support/serve_helpers.sh).
set -euo pipefail
# shellcheck source=tests/support/serve_helpers.sh
source "$(dirname "${BASH_SOURCE[0]}")/../support/serve_helpers.sh"
arxivc_install_cleanup

which_test="${1:?usage: run_web_test.sh openapi|page}"
require_command node
node_modules="$ARXIVC_SOURCE_DIR/web/node_modules"
case "$which_test" in
  openapi)
    script="validate_openapi.mjs"
    [ -f "$node_modules/@apidevtools/swagger-parser/package.json" ] ||
      skip "web/node_modules lacks @apidevtools/swagger-parser (run: bash scripts/setup.sh)"
    ;;
  page)
    script="page_test.mjs"
    [ -f "$node_modules/playwright-core/package.json" ] ||
      skip "web/node_modules lacks playwright-core (run: bash scripts/setup.sh)"
    [ -f "$node_modules/redoc/bundles/redoc.standalone.js" ] ||
      skip "web/node_modules lacks redoc (run: bash scripts/setup.sh)"
    [ -x "${CHROMIUM:-/usr/bin/chromium}" ] || skip "no Chromium at ${CHROMIUM:-/usr/bin/chromium} (apt-get install chromium)"
    ;;
  *) die "unknown test '$which_test' (openapi or page)" ;;
esac
require_arxivc

out="$ARXIVC_TEST_OUTPUT/web"
mkdir -p "$out"
model="$(arxivc_test_model)"
server_args=()
if [ "$which_test" = openapi ]; then
  # API-key mode: every route exists (POST /admin/reload too) and 401s can be checked against the document.
  ARXIVC_API_KEY="test-key-$RANDOM$RANDOM"
  export ARXIVC_API_KEY
  server_args=(--api-key "$ARXIVC_API_KEY")
fi
arxivc_start_server "$model" "$out/server-$which_test.log" "${server_args[@]}"

node "$ARXIVC_SOURCE_DIR/tests/web/$script"
arxivc_stop_server
