#!/usr/bin/env bash
# Debian packages the tests use besides WordPress: tmux (the real-terminal test) and newsboat (OPML
# round-trip and the refresh benchmark's peer). Idempotent.
set -euo pipefail
missing=()
for command in tmux newsboat; do
    command -v "$command" >/dev/null 2>&1 || missing+=("$command")
done
[ ${#missing[@]} -eq 0 ] && exit 0
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -q --no-install-recommends "${missing[@]}"; then
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
