#!/usr/bin/env bash
# Lists Debian packages that ship music files whose NAME carries a genre word: the search that
# found simutrans-data and davegnukem-data (`dataset build-bundled --more-sources`, docs/model.md).
# Reads the suite's Contents indexes (≈ 45 MB over HTTPS from deb.debian.org), prints
# "package<TAB>path", one per matching file. A name is a lead, not a label: check the package's
# copyright file and the tune itself (instruments, tempo) before adding it to sources.ts.
#   bash scripts/find-genre-music.sh [suite] [extra-regex]     (default: this machine's release)
set -euo pipefail
suite=${1:-$(. /etc/os-release && echo "${VERSION_CODENAME:?}")}
extra=${2:-}
genres='jazz|blues|swing|bebop|hip.?hop|techno|trance|house|electro|dubstep|drum.?n.?bass|metal|rock|orchestr|symphon|sonata|concerto|fugue|waltz|nocturne'
[ -n "$extra" ] && genres="$genres|$extra"
for contents in Contents-all.gz Contents-amd64.gz; do
  curl -fsS --max-time 300 "https://deb.debian.org/debian/dists/$suite/main/$contents" | gzip -dc
done |
  awk '{print $NF "\t" $1}' |
  grep -iE '\.(ogg|oga|opus|mp3|flac|wav|mid|midi|kar|mscz|mscx|mod|xm|it|s3m)$' |
  # Music folders only, not sound effects or per-language voice clips.
  grep -iE '/(music|songs?|midi|tracks?|demos?|examples?)/' |
  grep -viE '/(sfx|sounds?|effects|voices?)/' |
  grep -iE "[^/]*($genres)[^/]*$" |
  sort -u
