#!/usr/bin/env bash
# Builds a small, audio-only ffmpeg for the service: `bash scripts/build-ffmpeg.sh [out-dir]`
# (default .cache/ffmpeg), then run the service with FFMPEG_PATH=<out-dir>/bin/ffmpeg.
#
# Why: the service starts one ffmpeg per clip, and Debian's ffmpeg links ≈ 215 shared libraries
# (every video, network and device library); loading them costs ≈ 120 CPU-ms per start, more than
# the decode itself. This build has the same source and version as the system ffmpeg (Debian's
# source package of the installed version, with Debian's patches), only the audio demuxers,
# decoders and filters the service uses, and links libc, libm and libsoxr only: it starts in
# ≈ 10 ms. The decoded samples are byte-identical to the system binary's, which this script
# checks before it finishes (so training, which uses the system ffmpeg, and serving still see the
# same audio). Numbers: docs/api.md, "A minimal ffmpeg".
#
# Needs Debian (or a derivative) with the ffmpeg package installed, curl, xz, make, gcc, nasm,
# pkg-config and libsoxr-dev; as root it installs the missing build tools with apt-get.
# Downloads over HTTPS from deb.debian.org and checks each file's SHA-256 against the archive's
# Sources index. Formats other than those listed below are refused by this binary (the service
# then answers 415/422 as for any unsupported upload); use the system ffmpeg if you need them.
set -euo pipefail
out=$(realpath -m "${1:-.cache/ffmpeg}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

version=$(dpkg-query -W -f='${Version}' ffmpeg 2>/dev/null) || {
  echo "build-ffmpeg: the Debian ffmpeg package is not installed (its version and its decodes are the reference)" >&2
  exit 1
}
missing=()
for tool in curl xz make gcc nasm pkg-config patch; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
[ -f /usr/include/soxr.h ] || missing+=(libsoxr-dev)
if [ "${#missing[@]}" -gt 0 ]; then
  pkgs=$(printf '%s\n' "${missing[@]}" | sed 's/^xz$/xz-utils/; s/^gcc$/build-essential/; s/^make$/build-essential/' | sort -u | tr '\n' ' ')
  if [ "$(id -u)" -ne 0 ]; then echo "build-ffmpeg: install first: sudo apt-get install $pkgs" >&2; exit 1; fi
  echo "build-ffmpeg: installing $pkgs"
  apt-get update -qq
  # shellcheck disable=SC2086 # a list of package names
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $pkgs ca-certificates >/dev/null
fi

# Find the source package of exactly the installed version in the security, updates and main suites.
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:?}")
stanza=""
for index in "debian-security/dists/$codename-security" "debian/dists/$codename-updates" "debian/dists/$codename"; do
  base=https://deb.debian.org/${index%%/*}
  stanza=$(curl -fsS --max-time 120 "https://deb.debian.org/$index/main/source/Sources.xz" 2>/dev/null | xz -d |
    awk -v v="$version" 'BEGIN{RS=""} /(^|\n)Package: ffmpeg\n/ && index($0, "\nVersion: " v "\n") {print; exit}') || true
  [ -n "$stanza" ] && break
done
[ -n "$stanza" ] || { echo "build-ffmpeg: ffmpeg $version not found in $codename's source indexes" >&2; exit 1; }
directory=$(printf '%s\n' "$stanza" | sed -n 's/^Directory: //p')
files=$(printf '%s\n' "$stanza" | awk '/^Checksums-Sha256:/{on=1; next} on && /^ /{print $1, $3; next} {on=0}' | grep -E '\.(orig\.tar\.xz|debian\.tar\.xz)$')
echo "build-ffmpeg: ffmpeg $version from $base/$directory"
while read -r sha name; do
  curl -fsS --max-time 600 -o "$work/$name" "$base/$directory/$name"
  echo "$sha  $work/$name" | sha256sum -c --quiet -
done <<<"$files"

cd "$work"
tar xf ./*.orig.tar.xz
tar xf ./*.debian.tar.xz
src=$(find . -maxdepth 1 -type d -name 'ffmpeg-*' | head -1)
if [ -f debian/patches/series ]; then
  sed '/^\s*#/d' debian/patches/series | while read -r p; do
    if [ -n "$p" ]; then patch -d "$src" -p1 -s < "debian/patches/$p"; fi
  done
fi
cd "$src"
# Audio only: the containers and codecs people upload or previews use; file and pipe protocols
# only (no network); the filters the decode command line needs (decode.ts).
./configure --prefix="$out" --disable-everything --disable-autodetect --disable-doc --disable-network --disable-debug \
  --disable-ffplay --disable-ffprobe --disable-avdevice --disable-swscale --disable-postproc --enable-static --disable-shared \
  --enable-libsoxr --enable-protocol=file,pipe \
  --enable-demuxer=mp3,mov,ogg,flac,wav,aiff,matroska,aac,asf,caf,w64,au,amr \
  --enable-decoder=mp3,mp3float,mp2,mp2float,aac,aac_fixed,aac_latm,vorbis,opus,flac,alac,pcm_s16le,pcm_s16be,pcm_s24le,pcm_s24be,pcm_s32le,pcm_s32be,pcm_f32le,pcm_f32be,pcm_f64le,pcm_u8,pcm_s8,pcm_mulaw,pcm_alaw,wmav1,wmav2,wmapro,amrnb,amrwb \
  --enable-parser=mpegaudio,aac,aac_latm,vorbis,opus,flac \
  --enable-filter=abuffer,abuffersink,aformat,anull,aresample,atrim,asetpts \
  --enable-encoder=pcm_f32le,pcm_s16le --enable-muxer=pcm_f32le,wav >/dev/null
make -j"$(nproc)" >"$work/make.log" 2>&1 || { tail -30 "$work/make.log" >&2; exit 1; }
make install >>"$work/make.log" 2>&1
built="$out/bin/ffmpeg"

# The check: the same clip in each common format, decoded as decode.ts does by both binaries.
mkdir -p "$work/check" && cd "$work/check"
ffmpeg -v error -f lavfi -i 'sine=frequency=220:duration=8' -f lavfi -i 'anoisesrc=d=8:c=pink:a=0.2' \
  -filter_complex '[0][1]amix=inputs=2,pan=stereo|c0=c0|c1=0.7*c0' -ar 44100 source.wav
for spec in mp3:libmp3lame m4a:aac ogg:libvorbis opus:libopus flac:flac wav:pcm_s16le; do
  ext=${spec%%:*}
  ffmpeg -v error -i source.wav -c:a "${spec#*:}" "clip.$ext"
done
filter='aresample=22050:rematrix_maxval=1:resampler=soxr,aformat=sample_fmts=flt:channel_layouts=mono'
for clip in clip.*; do
  for binary in ffmpeg "$built"; do
    "$binary" -hide_banner -v error -nostdin -i "$clip" -map 0:a:0 -vn -t 30 -af "$filter" -ac 1 -ar 22050 -f f32le - | sha256sum | cut -d' ' -f1
  done | uniq | wc -l | grep -qx 1 || { echo "build-ffmpeg: $clip decodes differently from the system ffmpeg" >&2; exit 1; }
done
echo "build-ffmpeg: $built (decodes of mp3, m4a, ogg, opus, flac, wav byte-identical to $(command -v ffmpeg))"
echo "run the service with FFMPEG_PATH=$built"
