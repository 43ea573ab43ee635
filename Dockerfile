# syntax=docker/dockerfile:1
# music-prediction: one image for the API (default command) and the BullMQ workers
# (`node dist/src/worker.js`). Four stages: ffmpeg (an audio-only ffmpeg build), deps (npm ci, native
# tfjs backend), build (tsc, then drop dev dependencies), runtime (Node + ffmpeg + the files the
# service reads, nothing else).
#
# Node 22 (Maintenance LTS until 2027-04-30), not the newer 24/26 LTS lines: @tensorflow/tfjs-node
# 4.22.0, the latest release, calls util.isNullOrUndefined in its kernels, which Node 23 removed, so
# on Node >= 23 the native backend loads and then fails on the first operation. Bookworm: the Debian
# release this project's ffmpeg timings were measured on. A newer Node works with TF_BACKEND=wasm:
#   docker build --build-arg NODE_IMAGE=node:24-bookworm-slim .
ARG NODE_IMAGE=node:22-bookworm-slim

# An audio-only ffmpeg of the same Debian version as the runtime stage's (scripts/build-ffmpeg.sh):
# it starts in ≈ 10 ms instead of ≈ 120 (215 shared libraries) and decodes byte-identically, which
# doubled sustained predictions/s on a 2-core VM (docs/api.md). The script checks the byte identity
# against Debian's ffmpeg before it finishes; if it fails for any reason, the image falls back to
# Debian's binary (same path, same behaviour, only slower). /opt/ffmpeg/runtime-packages names the
# Debian packages the chosen binary needs at run time: the minimal build links libsoxr (and its
# libgomp) besides libc, while Debian's ffmpeg needs its whole package (≈ 700 MB with its libraries).
FROM ${NODE_IMAGE} AS ffmpeg
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg ca-certificates curl xz-utils build-essential nasm pkg-config libsoxr-dev \
 && rm -rf /var/lib/apt/lists/*
COPY scripts/build-ffmpeg.sh /tmp/build-ffmpeg.sh
RUN (bash /tmp/build-ffmpeg.sh /opt/ffmpeg && echo "libsoxr0 libgomp1" >/opt/ffmpeg/runtime-packages) \
 || (echo "minimal ffmpeg unavailable: the image uses Debian's ffmpeg" && mkdir -p /opt/ffmpeg/bin && cp /usr/bin/ffmpeg /opt/ffmpeg/bin/ffmpeg \
     && echo ffmpeg >/opt/ffmpeg/runtime-packages)

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
# Compilers only for the case where @tensorflow/tfjs-node has no prebuilt binding and builds its own.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` runs tsc, and the sources are not here yet (they come in the next
# stage, so that editing a .ts file does not reinstall every dependency).
RUN npm ci --ignore-scripts --no-audit --no-fund
# tfjs-node's install script downloads libtensorflow (the image build has internet). If that fails
# anyway, remove the half-installed package: the service then runs on the wasm backend, by design.
RUN npm rebuild @tensorflow/tfjs-node \
 || (echo "tfjs-node unavailable: the image will use the wasm backend" && rm -rf node_modules/@tensorflow/tfjs-node)

FROM deps AS build
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# Not in the image: source maps (≈ 200 MB, mostly TensorFlow.js; Node runs without them) and the
# optional @ffmpeg-installer binary (67 MB; the image has its own ffmpeg, FFMPEG_PATH below).
RUN npm run build \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund \
 && rm -rf node_modules/@ffmpeg-installer \
 && find node_modules -name '*.map' -type f -delete

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    FFMPEG_PATH=/usr/local/bin/ffmpeg-audio
COPY --from=ffmpeg /opt/ffmpeg/bin/ffmpeg /usr/local/bin/ffmpeg-audio
COPY --from=ffmpeg /opt/ffmpeg/runtime-packages /tmp/ffmpeg-runtime-packages
# The libraries of the ffmpeg stage's binary (or Debian's whole ffmpeg, for the fallback); the binary
# must start, or the build fails here rather than at the first upload.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates $(cat /tmp/ffmpeg-runtime-packages) \
 && rm -rf /var/lib/apt/lists/* /tmp/ffmpeg-runtime-packages \
 && /usr/local/bin/ffmpeg-audio -hide_banner -version >/dev/null
WORKDIR /app
# Root owns the files; the service runs as the image's unprivileged `node` user and only reads them.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY models ./models
COPY public ./public
COPY openapi.yaml ./openapi.yaml
USER node
EXPOSE 3000
# Node's own fetch, so the image needs no curl; /healthz answers while the process serves HTTP.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/server.js"]
