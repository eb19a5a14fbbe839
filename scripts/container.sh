#!/usr/bin/env bash
# Builds the almanacd container image (deploy/Containerfile) with Buildah, as root, on a machine
# without a container registry: the Debian base image is made locally with debootstrap.
#   scripts/container.sh [TAG]     (default localhost/almanac:dev)
set -euo pipefail
cd "$(dirname "$0")/.."
tag=${1:-localhost/almanac:dev}

if ! command -v buildah >/dev/null || ! command -v podman >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman buildah runc debootstrap
fi
# Child processes may not raise RLIMIT_NPROC here, and crun fails on hybrid cgroups: use runc.
if [[ ! -f /etc/containers/containers.conf ]]; then
  mkdir -p /etc/containers
  cat > /etc/containers/containers.conf <<'CONF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
[engine]
runtime = "runc"
CONF
fi

base=docker.io/library/debian:bookworm-slim
if ! podman image exists "$base"; then
  rootfs=$(mktemp -d)
  trap 'rm -rf "$rootfs"' EXIT
  mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  debootstrap --variant=minbase bookworm "$rootfs" "${mirror:-http://deb.debian.org/debian}" >/dev/null
  tar -C "$rootfs" -c . | podman import - "$base" >/dev/null
fi

buildah bud --isolation chroot -f deploy/Containerfile -t "$tag" .
echo "built $tag"
