#!/usr/bin/env bash
# End-to-end check of the Docker deployment, run by .ci/run after the tests: builds the real image
# from the real Dockerfile, starts the real docker-compose.yml (Redis with AOF, the API, 2 workers)
# with scripts/docker-e2e/host-network.yml over it (host networking, 127.0.0.1 only, ports
# E2E_API_PORT/E2E_REDIS_PORT), checks it (scripts/docker-e2e/checks.sh), takes it down, and prints
# what it measured. Installs docker.io + docker-compose with apt-get when missing, starts dockerd when
# none answers (and stops it at the end), and makes local stand-ins for the Docker Hub base images
# (scripts/docker-e2e/base-images.sh). Exits 0 with one line only where Docker cannot run at all
# (not root, or a kernel without the namespaces/cgroups/overlay it needs); any other failure is fatal.
set -euo pipefail
cd "$(dirname "$0")/.."
export E2E_API_PORT=${E2E_API_PORT:-38080} E2E_REDIS_PORT=${E2E_REDIS_PORT:-36379}
image=music-prediction:local
project=music-prediction-e2e
log() { echo "docker-e2e: $*"; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

[ "$(id -u)" -eq 0 ] || { log "skipped: not root (installing and starting Docker needs root)"; exit 0; }
kernel_ok() {
  [ -d /sys/fs/cgroup ] && grep -qw overlay /proc/filesystems 2>/dev/null || modprobe overlay 2>/dev/null || return 1
  unshare --mount --pid --net --uts --ipc --fork true 2>/dev/null
}
kernel_ok || { log "skipped: this kernel lacks the namespaces, cgroups or overlay file system Docker needs"; exit 0; }

# Debian's packages, not whatever `docker` is first on PATH: CI machines start from a bare Debian.
missing=()
[ -x /usr/bin/docker ] && [ -x /usr/sbin/dockerd ] || missing+=(docker.io)
for tool in docker-compose debootstrap curl jq ffmpeg; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing ${missing[*]} (apt-get)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
docker() { /usr/bin/docker "$@"; }
export -f docker
# docker-compose.yml with the override merged in; compose 1.29 refuses published ports under host
# networking (Docker itself only ignores them), so they are dropped from the merged file.
merged=/tmp/music-prediction-e2e-compose.yml
docker-compose -f docker-compose.yml -f scripts/docker-e2e/host-network.yml config | python3 -c '
import sys, yaml
c = yaml.safe_load(sys.stdin)
for service in c["services"].values():
    if service.get("network_mode") == "host": service.pop("ports", None)
yaml.safe_dump(c, sys.stdout)' >"$merged"
compose() { docker-compose -p "$project" --project-directory . -f "$merged" "$@"; }

started_dockerd=""
stack_up=""
cleanup() {
  status=$?
  if [ -n "$stack_up" ]; then
    [ "$status" -eq 0 ] || { log "failed; last api/worker logs:"; compose logs --no-color --tail 30 api worker 2>&1 | tail -60 || true; }
    compose down -v --remove-orphans >/dev/null 2>&1 || true
  fi
  if [ -n "$started_dockerd" ]; then
    kill "$started_dockerd" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$started_dockerd" 2>/dev/null || break; sleep 0.2; done
  fi
  exit "$status"
}
trap cleanup EXIT

if ! docker info >/dev/null 2>&1; then
  log "starting dockerd"
  # Niced, so that builds and containers (its children) leave the CPU to other work on the machine;
  # no docker0 bridge and no iptables rules: every container here uses the host's network.
  nice -n 15 /usr/sbin/dockerd --bridge=none --iptables=false --ip-masq=false >/tmp/music-prediction-e2e-dockerd.log 2>&1 &
  started_dockerd=$!
  for _ in $(seq 1 150); do docker info >/dev/null 2>&1 && break; kill -0 "$started_dockerd" 2>/dev/null || break; sleep 0.2; done
  docker info >/dev/null 2>&1 || { tail -20 /tmp/music-prediction-e2e-dockerd.log; log "dockerd did not start"; exit 1; }
fi

node_tag=$(sed -n 's/^ARG NODE_IMAGE=//p' Dockerfile)
redis_tag=$(awk '/^  redis:/ { r = 1 } r && /image:/ { print $2; exit }' docker-compose.yml)
t=$(now)
bash scripts/docker-e2e/base-images.sh "$node_tag" "$redis_tag"
base_s=$(secs "$t" "$(now)")

log "building $image (docker build --network host)"
t=$(now)
nice -n 15 docker build --network host -t "$image" . >/tmp/music-prediction-e2e-build.log 2>&1 \
  || { tail -40 /tmp/music-prediction-e2e-build.log; log "image build failed"; exit 1; }
build_s=$(secs "$t" "$(now)")
grep -E "^(minimal ffmpeg|tfjs-node) unavailable" /tmp/music-prediction-e2e-build.log | sed 's/^/docker-e2e: build: /' || true

compose down -v --remove-orphans >/dev/null 2>&1 || true
stack_up=1
t=$(now)
compose up -d --no-build
bash scripts/docker-e2e/checks.sh "$project" "$t"

t=$(now)
compose down -v --remove-orphans
stack_up=""
left=$(docker ps -aq --filter "label=com.docker.compose.project=$project")
[ -z "$left" ] || { log "containers left after down: $left"; exit 1; }
# A here-string, not a pipe: under pipefail an early grep -q match can read as a failure (SIGPIPE).
! grep -q "^${project}_" <<<"$(docker volume ls -q)" || { log "volumes left after down"; exit 1; }
! curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$E2E_API_PORT/healthz" || { log "the api still answers after down"; exit 1; }
log "down: nothing left ($(secs "$t" "$(now)") s)"

size=$(docker image inspect -f '{{.Size}}' "$image")
log "image $image: $((size / 1000000)) MB; base images $base_s s; build $build_s s"
log "largest layers:"
docker history --format '{{.Size}}\t{{.CreatedBy}}' "$image" | sort -h -r | head -6 | cut -c1-110 | sed 's/^/  /'
docker run --rm --network none --user root --entrypoint sh "$image" -c 'du -sh /usr/local/bin/node /usr/local/bin/ffmpeg-audio \
  /usr/lib/x86_64-linux-gnu /var/cache/apt /app/dist /app/models /app/node_modules; du -s /app/node_modules/* /app/node_modules/@*/* |
  sort -n | tail -4 | cut -f2 | xargs du -sh' | sed 's/^/  du /'
log "passed"
