# Install rules and CPack packages (a .deb and a .tar.gz): the arxivc program, the configuration tree it
# composes (configs/) and the web page `arxivc serve` serves (web/: index.html, docs.html, static/ and the
# Redoc bundle that web/node_modules holds after `bash scripts/setup.sh`).
#
#   cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DARXIVC_NATIVE=OFF -DARXIVC_TESTS=OFF
#   cmake --build build-release --target arxivc
#   (cd build-release && cpack -G DEB && cpack -G TGZ)
#
# Installed layout (prefix /usr in the .deb; the .tar.gz holds the same under arxivc-VERSION-Linux/):
#   bin/arxivc
#   share/arxivc/configs/...        the configuration tree
#   share/arxivc/web/...            the page arxivc serve serves
#   share/doc/arxivc/...            README.md and docs/
# arxivc looks for ./configs and ./web in the working directory first, then beside its binary in
# <prefix>/share/arxivc (core/install_paths); ARXIVC_CONFIG_DIR and --web-dir choose others.

include(GNUInstallDirs)

set(ARXIVC_SHARE_DIR "${CMAKE_INSTALL_DATADIR}/arxivc")

install(TARGETS arxivc RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}" COMPONENT runtime)
install(DIRECTORY configs/ DESTINATION "${ARXIVC_SHARE_DIR}/configs" COMPONENT runtime
  FILES_MATCHING PATTERN "*.yaml")
install(FILES web/index.html web/docs.html DESTINATION "${ARXIVC_SHARE_DIR}/web" COMPONENT runtime)
install(DIRECTORY web/static/ DESTINATION "${ARXIVC_SHARE_DIR}/web/static" COMPONENT runtime)

# /docs loads /vendor/redoc/bundles/redoc.standalone.js, served from web/node_modules: only that bundle
# (with Redoc's licence and the licences of what the bundle contains) is shipped, not the build and test packages of web/package.json. Without it the
# package would install a /docs page that cannot render, so installing fails instead.
set(ARXIVC_REDOC_DIR "${CMAKE_CURRENT_SOURCE_DIR}/web/node_modules/redoc")
install(CODE "
  if(NOT EXISTS \"${ARXIVC_REDOC_DIR}/bundles/redoc.standalone.js\")
    message(FATAL_ERROR \"${ARXIVC_REDOC_DIR}/bundles/redoc.standalone.js is missing: \"
                        \"run 'bash scripts/setup.sh' (npm ci --prefix web) before installing or packaging\")
  endif()" COMPONENT runtime)
install(FILES "${ARXIVC_REDOC_DIR}/bundles/redoc.standalone.js"
  "${ARXIVC_REDOC_DIR}/bundles/redoc.standalone.js.LICENSE.txt"
  DESTINATION "${ARXIVC_SHARE_DIR}/web/node_modules/redoc/bundles" OPTIONAL COMPONENT runtime)
install(FILES "${ARXIVC_REDOC_DIR}/LICENSE" "${ARXIVC_REDOC_DIR}/package.json"
  DESTINATION "${ARXIVC_SHARE_DIR}/web/node_modules/redoc" OPTIONAL COMPONENT runtime)

install(FILES README.md DESTINATION "${CMAKE_INSTALL_DOCDIR}" COMPONENT runtime)
install(DIRECTORY docs/ DESTINATION "${CMAKE_INSTALL_DOCDIR}/docs" COMPONENT runtime
  FILES_MATCHING PATTERN "*.md")

set(ARXIVC_PACKAGE_CONTACT "arxivc maintainers"
    CACHE STRING "Maintainer named in the packages, \"NAME <EMAIL>\" (the .deb's Maintainer field)")

set(CPACK_PACKAGE_NAME arxivc)
set(CPACK_PACKAGE_VENDOR arxivc)
set(CPACK_PACKAGE_CONTACT "${ARXIVC_PACKAGE_CONTACT}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "arXiv paper subject classifier: prepare, train, evaluate and serve")
set(CPACK_PACKAGE_DESCRIPTION
    "arxivc prepares arXiv metadata into versioned datasets, trains subject classifiers (TF-IDF + linear \
models, fastText), evaluates them and serves them over HTTP with an OpenAPI document, Prometheus metrics and \
a web page.")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_INSTALL_DIRECTORY arxivc)
set(CPACK_STRIP_FILES ON)
set(CPACK_SOURCE_IGNORE_FILES "/\\\\.git/" "/build[^/]*/" "/web/node_modules/")
# The tarball unpacks into arxivc-VERSION-Linux-ARCH/{bin,share}.
set(CPACK_TGZ_COMPONENT_INSTALL OFF)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Depends is computed by dpkg-shlibdeps from the libraries the binary links (libyaml-cpp, libspdlog,
# libfmt, libarchive, libzstd, libxxhash, libssl, zlib, libstdc++...), so it names exactly the packages of
# the distribution that built it: build the .deb on the release it is for.
# CPack needs the `file` program and dpkg-shlibdeps (dpkg-dev) for it.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Not a library, so dpkg-shlibdeps cannot see it: `arxivc train` and `arxivc evaluate` draw their figures by
# running gnuplot, and fail without it (src/eval/gnuplot.cpp). CPack appends the computed list to this.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "gnuplot-nox | gnuplot")

include(CPack)
