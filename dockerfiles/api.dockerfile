# syntax=docker/dockerfile:1
# arxivc serve: the HTTP inference API, for Cloud Run or any container platform (docs/containers.md).
#   podman build -f dockerfiles/api.dockerfile -t arxivc-api:latest .        (or: make images)
# Build arguments: BASE_IMAGE (default debian:bookworm-slim; scripts/base-image.sh makes the same base
# from Debian's archive where no registry is reachable), MODEL_DIR (a model directory inside the build
# context to bake in at /models/default; without it, mount one there), VERSION, REVISION, SOURCE (OCI labels).
# Runs `arxivc serve` on 0.0.0.0:$PORT (8080 unless the platform sets PORT), as an unprivileged user,
# one JSON log line per request on stdout (Cloud Logging's severity and httpRequest), exit 0 on SIGTERM.
ARG BASE_IMAGE=debian:bookworm-slim

# ---- build: a portable Release binary (no -march=native: the image runs on any x86-64) -------------
# The same stage as in train.dockerfile, word for word, so a second image build reuses its layers.
FROM ${BASE_IMAGE} AS build
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      g++ cmake ninja-build pkg-config libsimdjson-dev libzstd-dev libxxhash-dev zlib1g-dev libarchive-dev \
      libssl-dev libcli11-dev libyaml-cpp-dev libspdlog-dev libfmt-dev nlohmann-json3-dev libboost-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY CMakeLists.txt ./
COPY cmake/ cmake/
COPY include/ include/
COPY src/ src/
RUN cmake -S . -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release -DARXIVC_NATIVE=OFF -DARXIVC_TESTS=OFF \
 && cmake --build /build --target arxivc -j "$(nproc)" \
 && strip /build/arxivc \
 && /build/arxivc --version

# ---- runtime: the binary, its shared libraries, the configuration tree and the web page ------------
FROM ${BASE_IMAGE}
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG SOURCE=https://github.com/arxivc/arxivc
ARG MODEL_DIR=deploy/model-placeholder
LABEL org.opencontainers.image.title="arxivc-api" \
      org.opencontainers.image.description="arxivc serve: arXiv subject classification over HTTP" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.licenses="MIT"
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      libsimdjson14 libzstd1 libxxhash0 zlib1g libarchive13 libssl3 libyaml-cpp0.7 libspdlog1.10 libfmt9 \
 && rm -rf /var/lib/apt/lists/* /var/cache/debconf/*-old /var/log/apt /var/log/dpkg.log \
 && useradd --system --uid 10001 --user-group --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin arxivc
COPY --from=build /build/arxivc /usr/local/bin/arxivc
COPY configs/ /opt/arxivc/configs/
COPY web/index.html web/docs.html /opt/arxivc/web/
COPY web/static/ /opt/arxivc/web/static/
COPY web/node_modules/redoc/bundles/redoc.standalone.js web/node_modules/redoc/bundles/redoc.standalone.js.LICENSE.txt \
     /opt/arxivc/web/node_modules/redoc/bundles/
COPY ${MODEL_DIR}/ /models/default/
WORKDIR /opt/arxivc
ENV PORT=8080 \
    ARXIVC_CONFIG_DIR=/opt/arxivc/configs \
    ARXIVC_LOG_FORMAT=json
USER 10001:10001
EXPOSE 8080
# Bash's /dev/tcp: no HTTP client in the image. The platform's probes (Cloud Run: /ready, /health) are
# what matters there; this is for `docker run` and compose. Kept by `podman build --format docker`.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${PORT} && printf 'GET /health HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["/usr/local/bin/arxivc"]
CMD ["serve", "--model", "/models/default", "--host", "0.0.0.0", "serve.web_dir=/opt/arxivc/web"]
