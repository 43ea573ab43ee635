#!/usr/bin/env bash
# Installs the system tools the test suite needs when they are missing (Debian/Ubuntu, as root):
# ffmpeg (fixtures, decode), redis-server/redis-cli (queue tests), chromium (widget browser test),
# clang + wasm-ld (the test that rebuilds the SIMD mel power module and compares it with the committed one).
# Runs before `npm test`; prints the install line instead when it cannot install.
set -euo pipefail
missing=()
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
{ command -v clang-14 || command -v clang; } >/dev/null 2>&1 || missing+=(clang-14)
{ command -v wasm-ld-14 || command -v wasm-ld; } >/dev/null 2>&1 || missing+=(lld-14)
[ "${#missing[@]}" -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "tests need: ${missing[*]} — install them, e.g. sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "installing ${missing[*]} (apt-get)"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
