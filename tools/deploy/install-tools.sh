#!/usr/bin/env bash
# Installs the pinned manifest-validation tools into .cache/ (git-ignored), once:
#   .cache/bin/{kustomize,kubeconform,kube-score}  (go install; GOBIN=.cache/bin)
#   .cache/deploy-venv                              (kubernetes-validate: the Kubernetes 1.32 JSON schemas)
# A tool whose pinned version is already there is skipped, so later runs cost nothing.
# Versions are pinned here and only here (tools/deploy/src/tools.ts reads this file's paths).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
CACHE="${TUNELINE_CACHE:-$ROOT/.cache}"
BIN="$CACHE/bin"
VENV="$CACHE/deploy-venv"

KUSTOMIZE_VERSION=v5.7.1
KUBECONFORM_VERSION=v0.7.0
KUBE_SCORE_VERSION=v1.20.0
KUBERNETES_VALIDATE_VERSION=1.32.0

mkdir -p "$BIN"
log() { printf '[deploy-tools] %s\n' "$*" >&2; }

# go_tool <binary> <package> <version>; a stamp file records the version installed.
go_tool() {
  local name="$1" pkg="$2" version="$3" stamp="$BIN/.$1.version"
  if [ -x "$BIN/$name" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$version" ]; then return; fi
  command -v go >/dev/null || { log "go is required to install $name ($pkg@$version)"; exit 1; }
  log "go install $pkg@$version"
  GOBIN="$BIN" GOFLAGS=-modcacherw CGO_ENABLED=0 go install "$pkg@$version"
  echo "$version" >"$stamp"
}

go_tool kustomize sigs.k8s.io/kustomize/kustomize/v5 "$KUSTOMIZE_VERSION"
go_tool kubeconform github.com/yannh/kubeconform/cmd/kubeconform "$KUBECONFORM_VERSION"
go_tool kube-score github.com/zegl/kube-score/cmd/kube-score "$KUBE_SCORE_VERSION"

stamp="$VENV/.kubernetes-validate.version"
if [ "$(cat "$stamp" 2>/dev/null)" != "$KUBERNETES_VALIDATE_VERSION" ]; then
  python3 -c 'import venv, ensurepip' 2>/dev/null || { log "python3 with venv and ensurepip is required (kubernetes-validate)"; exit 1; }
  log "pip install kubernetes-validate==$KUBERNETES_VALIDATE_VERSION"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION"
  echo "$KUBERNETES_VALIDATE_VERSION" >"$stamp"
fi

