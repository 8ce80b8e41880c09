# Tests of the deployment and pipeline files (label `deploy`; docs/ci.md): the GitHub workflows and
# actions, .pre-commit-config.yaml, cloudbuild.yaml, deploy/cloudrun/service.yaml and mkdocs.yml against
# the published schemas in ../shared/schemas (ajv-cli from web/node_modules), and shellcheck on the shell
# scripts embedded in them. Neither needs the arxivc binary. Like the client tests, each skips (exit 77,
# naming what to install) when a tool is missing, and fails instead under ARXIVC_REQUIRE_CLIENT_TESTS=1.

set(ARXIVC_SCHEMA_DIR "${CMAKE_CURRENT_SOURCE_DIR}/../shared/schemas"
    CACHE PATH "The published JSON schemas (github-workflow.json, cloudbuild.json, ...) for `ctest -L deploy`")

function(arxivc_deploy_test name)
  add_test(NAME ${name} COMMAND bash ${ARGN} WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR})
  set_tests_properties(${name} PROPERTIES
    LABELS deploy
    ENVIRONMENT "ARXIVC_SOURCE_DIR=${CMAKE_CURRENT_SOURCE_DIR};ARXIVC_SCHEMA_DIR=${ARXIVC_SCHEMA_DIR}"
    SKIP_RETURN_CODE 77
    TIMEOUT 300)
endfunction()

arxivc_deploy_test(deploy.schemas tests/deploy/validate_schemas.sh)
arxivc_deploy_test(deploy.embedded_scripts tests/deploy/check_embedded_scripts.sh)
