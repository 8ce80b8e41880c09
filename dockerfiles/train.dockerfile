# syntax=docker/dockerfile:1
# arxivc for training: runs any arxivc command (prepare, train, evaluate, predict, export, config) with the
# data and the outputs as volumes (docs/containers.md). Its model directories are what the api image serves.
#   podman build -f dockerfiles/train.dockerfile -t arxivc-train:latest .      (or: make images)
#   podman run --rm -v "$PWD/../shared/data:/data:ro" -v "$PWD/work:/workspace" arxivc-train:latest \
#     train --input /data/arxiv-metadata-5k.json --output models/demo
# Build arguments: BASE_IMAGE (default debian:bookworm-slim; scripts/base-image.sh makes it locally),
# VERSION, REVISION, SOURCE (OCI labels). Data is read from /data (ARXIVC_DATA_DIR), outputs (datasets/,
# models/, outputs/ run directories, reports/) are written under the working directory /workspace.
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

# ---- runtime: the binary, its shared libraries, gnuplot for the figures, the configuration tree ------
FROM ${BASE_IMAGE}
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG SOURCE=https://github.com/arxivc/arxivc
LABEL org.opencontainers.image.title="arxivc-train" \
      org.opencontainers.image.description="arxivc: prepare datasets, train and evaluate arXiv subject classifiers" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.licenses="MIT"
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      libsimdjson14 libzstd1 libxxhash0 zlib1g libarchive13 libssl3 libyaml-cpp0.7 libspdlog1.10 libfmt9 \
      gnuplot-nox \
 && rm -rf /var/lib/apt/lists/* /var/cache/debconf/*-old /var/log/apt /var/log/dpkg.log \
 && useradd --system --uid 10001 --user-group --no-create-home --home-dir /workspace \
      --shell /usr/sbin/nologin arxivc \
 && mkdir -p /workspace /data && chown 10001:10001 /workspace
COPY --from=build /build/arxivc /usr/local/bin/arxivc
COPY configs/ /opt/arxivc/configs/
ENV ARXIVC_CONFIG_DIR=/opt/arxivc/configs \
    ARXIVC_DATA_DIR=/data
WORKDIR /workspace
VOLUME ["/workspace"]
USER 10001:10001
# No HEALTHCHECK: the commands of this image run to completion; their exit code is the health.
ENTRYPOINT ["/usr/local/bin/arxivc"]
CMD ["--help"]
