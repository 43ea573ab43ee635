#!/usr/bin/env bash
# The end-to-end checks of scripts/docker-e2e.sh against a compose stack it has just started:
# readiness, the widget page, a synchronous upload, an asynchronous one, and jobs answered while a
# worker container is killed. Usage: checks.sh <compose project> <epoch seconds of `up`>
set -euo pipefail
project=${1:?compose project}
started=${2:?start time}
base=http://127.0.0.1:${E2E_API_PORT:?}
log() { echo "docker-e2e: $*"; }
fail() { echo "docker-e2e: FAILED: $*" >&2; exit 1; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
containers() { docker ps -q --filter "label=com.docker.compose.project=$project" --filter "label=com.docker.compose.service=$1"; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Cold start: from `compose up` until /readyz answers 200, then until Docker calls the api healthy.
for _ in $(seq 1 900); do
  code=$(curl -s -o "$work/ready.json" -w '%{http_code}' --max-time 2 "$base/readyz" || true)
  [ "$code" = 200 ] && break
  sleep 0.2
done
[ "$code" = 200 ] || fail "/readyz did not answer 200 within 180 s (last: $code $(cat "$work/ready.json" 2>/dev/null))"
log "cold start to ready: $(secs "$started" "$(now)") s (compose up → /readyz 200)"
jq -e '.status == "ready"' "$work/ready.json" >/dev/null || fail "/readyz: $(cat "$work/ready.json")"
api=$(containers api)
for _ in $(seq 1 120); do
  health=$(docker inspect -f '{{.State.Health.Status}}' "$api")
  [ "$health" = healthy ] && break
  sleep 1
done
[ "$health" = healthy ] || fail "api container health: $health"
log "api container healthy: $(secs "$started" "$(now)") s"
redis=$(containers redis)
[ "$(docker inspect -f '{{.State.Health.Status}}' "$redis")" = healthy ] || fail "redis container not healthy"
[ "$(docker exec "$redis" redis-cli -p "$E2E_REDIS_PORT" config get appendonly | tail -1)" = yes ] || fail "redis runs without AOF"
[ "$(containers worker | wc -l)" -eq 2 ] || fail "expected 2 worker containers, found $(containers worker | wc -l)"
[ "$(docker exec "$api" id -un)" = node ] || fail "the api does not run as the node user"
# The workers run the model; their log says which TensorFlow.js backend started and why not another.
docker logs "$(containers worker | head -1)" 2>&1 | grep -m1 'TensorFlow.js backend' | cut -c1-400 | sed 's/^/docker-e2e: worker: /' || true

code=$(curl -s -o "$work/index.html" -w '%{http_code} %{content_type}' "$base/")
[[ "$code" == "200 text/html"* ]] && grep -qi '<html' "$work/index.html" || fail "widget page: $code"
log "widget page / served"

# Test clips: a tone plus noise, different for each upload so that no answer comes from the cache.
for i in 1 2 3 4 5 6; do
  ffmpeg -nostdin -loglevel error -f lavfi -i "sine=frequency=$((200 * i + 60)):duration=20" \
    -f lavfi -i "anoisesrc=duration=20:amplitude=0.2:seed=$i" -filter_complex amix=inputs=2 \
    -ar 22050 -ac 1 "$work/clip$i.wav"
done
two_genres='(.first | type == "array" and (.[0] | type == "string") and (.[1] | type == "number"))
  and (.second | type == "array" and (.[0] | type == "string")) and .first[0] != .second[0]'

read -r code latency < <(curl -s -o "$work/sync.json" -w '%{http_code} %{time_total}\n' -F "file=@$work/clip1.wav" "$base/predict")
[ "$code" = 200 ] && jq -e "$two_genres" "$work/sync.json" >/dev/null || fail "upload: $code $(head -c 300 "$work/sync.json")"
log "upload answered in ${latency} s: $(jq -c '[.first, .second]' "$work/sync.json")"

submit() {
  code=$(curl -s -o "$work/accepted.json" -w '%{http_code}' -F "file=@$work/clip$1.wav" "$base/predict?mode=async")
  [ "$code" = 202 ] || fail "mode=async: $code $(cat "$work/accepted.json")"
  jq -er .jobId "$work/accepted.json" || fail "mode=async: no jobId in $(cat "$work/accepted.json")"
}
await_job() { # job id, seconds
  for _ in $(seq 1 $(($2 * 2))); do
    curl -s "$base/jobs/$1" >"$work/job.json"
    state=$(jq -r .state "$work/job.json")
    [ "$state" = completed ] && jq -e ".result | $two_genres" "$work/job.json" >/dev/null && return 0
    [ "$state" = failed ] && fail "job $1 failed: $(cat "$work/job.json")"
    sleep 0.5
  done
  fail "job $1 not answered within $2 s: $(cat "$work/job.json")"
}
t=$(now)
id=$(submit 2)
await_job "$id" 60
log "mode=async answered through the workers in $(secs "$t" "$(now)") s: $(jq -c '[.result.first, .result.second]' "$work/job.json")"

# A worker killed in the middle of a job: with the other worker stopped and the remaining one slowed
# to 2 % of a CPU (a job then lasts seconds, not tens of milliseconds), it gets SIGKILL once a job is
# active; then the stopped worker starts again. The killed worker's job comes back through BullMQ's
# stalled-job check (WORKER_LOCK_DURATION_MS), so all four jobs must still be answered.
read -r victim spare < <(containers worker | tr '\n' ' '; echo)
docker stop "$spare" >/dev/null
docker update --cpus 0.02 "$victim" >/dev/null
t=$(now)
ids=$(for i in 3 4 5 6; do submit "$i"; done)
states() { for id in $ids; do curl -s "$base/jobs/$id" | jq -r .state; done; }
# grep reads the states whole: `states | grep -q` under pipefail fails when grep stops reading
# before the last state is written (SIGPIPE), and the kill would then wait for the whole loop.
for _ in $(seq 1 100); do
  grep -q '^active$' <<<"$(states)" && break
  sleep 0.1
done
docker kill -s KILL "$victim" >/dev/null
held=$(states | grep -c '^active$' || true)
[ "$held" -gt 0 ] || fail "the killed worker held no job (states: $(states | tr '\n' ' '))"
docker start "$spare" >/dev/null
for id in $ids; do await_job "$id" 180; done
log "worker killed with $held job(s) in progress: all 4 jobs answered in $(secs "$t" "$(now)") s"
