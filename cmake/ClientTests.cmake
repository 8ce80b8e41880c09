# Tests with real clients against the real `arxivc serve` process (label `clients`): the OpenAPI document
# checked by swagger-parser, the web page in headless Chromium (playwright-core), a Locust load test and a
# Prometheus scrape. Each script checks for its tools when it runs and skips (exit 77, with a message
# naming what to install) when one is missing, so installing them later needs no re-configure.
# They share one model trained on the 5k sample (trained by the first test, under a lock).

set(ARXIVC_SHARED_DATA_DIR "${CMAKE_CURRENT_SOURCE_DIR}/../shared/data"
    CACHE PATH "The shared arXiv data (arxiv-metadata-5k.json) for the client tests")
set(ARXIVC_LOCUST_DURATION "15s" CACHE STRING "How long the Locust test of `ctest -L clients` runs")

set(_arxivc_client_env
    "ARXIVC_BIN=$<TARGET_FILE:arxivc>"
    "ARXIVC_SOURCE_DIR=${CMAKE_CURRENT_SOURCE_DIR}"
    "ARXIVC_DATA_DIR=${ARXIVC_SHARED_DATA_DIR}"
    "ARXIVC_TEST_OUTPUT=${CMAKE_BINARY_DIR}/test-output")

function(arxivc_client_test name timeout)
  add_test(NAME ${name} COMMAND bash ${ARGN} WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR})
  set_tests_properties(${name} PROPERTIES
    LABELS clients
    ENVIRONMENT "${_arxivc_client_env}"
    SKIP_RETURN_CODE 77
    TIMEOUT ${timeout})
endfunction()

arxivc_client_test(clients.openapi 300 tests/web/run_web_test.sh openapi)
arxivc_client_test(clients.web_page 300 tests/web/run_web_test.sh page)
arxivc_client_test(clients.prometheus 300 tests/integration/prometheus_scrape.sh)
arxivc_client_test(clients.locust 300 tests/load/run_locust.sh --duration ${ARXIVC_LOCUST_DURATION})
# The load test saturates the machine: alone, its zero-failure check does not depend on what else runs.
set_tests_properties(clients.locust PROPERTIES RUN_SERIAL TRUE)

# The container images (label `containers`): built with podman or docker, a model trained in the train
# image and served by the api image (tests/containers/run_containers_test.sh). Compiles arxivc inside the
# image, so it runs alone.
add_test(NAME containers.images COMMAND bash tests/containers/run_containers_test.sh
         WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR})
set_tests_properties(containers.images PROPERTIES
  LABELS containers
  ENVIRONMENT "${_arxivc_client_env}"
  SKIP_RETURN_CODE 77
  RUN_SERIAL TRUE
  TIMEOUT 1800)
