#!/usr/bin/env bash
# Makes the images' base locally from Debian's archive, for machines that reach no image registry:
# a minimal Debian 12 (debootstrap --variant=minbase), trimmed the way the official debian:bookworm-slim is
# (no documentation, manual pages or locales; no apt lists or caches), imported with `podman import`.
#   scripts/base-image.sh [--force] [IMAGE]      (IMAGE default: localhost/debian:bookworm-slim)
# The mirror is the one this machine's apt already uses (MIRROR=... to choose another). Idempotent: an
# existing IMAGE is kept unless --force. Needs root (debootstrap) and podman (or docker: ENGINE=docker).
set -euo pipefail

force=0
if [ "${1:-}" = "--force" ]; then force=1; shift; fi
image="${1:-localhost/debian:bookworm-slim}"
engine="${ENGINE:-$(command -v podman >/dev/null 2>&1 && echo podman || echo docker)}"
here="$(cd "$(dirname "$0")/.." && pwd)"
if [ "$engine" = podman ] && [ -z "${CONTAINERS_CONF:-}" ]; then
  export CONTAINERS_CONF="$here/deploy/podman/containers.conf"
fi

if [ "$force" = 0 ] && "$engine" image exists "$image" 2>/dev/null; then
  echo "base-image: $image already exists (--force to make it again)"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "base-image: debootstrap needs root" >&2
  exit 2
fi
command -v debootstrap >/dev/null || { echo "base-image: install debootstrap (scripts/setup.sh does)" >&2; exit 2; }

# The Debian mirror apt uses here: the first URIs of a deb822 .sources file, else the first deb line.
mirror="${MIRROR:-}"
if [ -z "$mirror" ]; then
  mirror="$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)"
fi
if [ -z "$mirror" ] && [ -f /etc/apt/sources.list ]; then
  mirror="$(awk '$1 == "deb" && $0 !~ /security/ {print ($2 ~ /^\[/ ? $3 : $2); exit}' /etc/apt/sources.list)"
fi
mirror="${mirror:-http://deb.debian.org/debian}"
security="${SECURITY_MIRROR:-${mirror%/debian}/debian-security}"

work="$(mktemp -d /tmp/arxivc-base-image.XXXXXX)"
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"
mkdir -p "$rootfs/etc/dpkg/dpkg.cfg.d"
# What the slim images leave out, for every package installed now and later (in the images' RUN steps).
cat >"$rootfs/etc/dpkg/dpkg.cfg.d/slim" <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
CFG
echo "base-image: debootstrap --variant=minbase bookworm from $mirror"
debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 || {
  tail -n 30 "$work/debootstrap.log" >&2
  exit 1
}

cat >"$rootfs/etc/apt/sources.list" <<LIST
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $security bookworm-security main
LIST
# Nothing to keep from the build: apt's lists and caches, logs, and the files the excludes name.
cat >"$rootfs/etc/apt/apt.conf.d/docker-clean" <<'CFG'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
CFG
echo 'Acquire::GzipIndexes "true"; Acquire::CompressionTypes::Order:: "gz";' >"$rootfs/etc/apt/apt.conf.d/docker-gzip-indexes"
echo 'APT::AutoRemove::SuggestsImportant "false";' >"$rootfs/etc/apt/apt.conf.d/docker-autoremove-suggests"
find "$rootfs/usr/share/doc" -mindepth 2 -not -name copyright -not -type d -delete 2>/dev/null || true
find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
rm -rf "$rootfs"/usr/share/{man,info,locale,lintian,linda}/* "$rootfs"/var/lib/apt/lists/* \
  "$rootfs"/var/cache/apt/* "$rootfs"/var/cache/debconf/*-old "$rootfs"/var/log/* "$rootfs"/tmp/* \
  "$rootfs"/var/cache/ldconfig/aux-cache
: >"$rootfs/etc/machine-id"

echo "base-image: importing as $image"
tar --numeric-owner -C "$rootfs" -c . | "$engine" import -q --change 'CMD ["bash"]' - "$image" >/dev/null
"$engine" image inspect --format '{{.Size}}' "$image" | awk -v i="$image" '{printf "base-image: %s, %.1f MB\n", i, $1/1e6}'
