#!/usr/bin/env bash
# Builds kube-apiserver and etcd for the end-to-end tests from this Go module (go.mod/go.sum pin every
# module by checksum), into the directory given as $1. A binary that is there and reports the pinned
# version is kept: only a missing or wrong one is rebuilt, so a warm `make kube-tools` costs a second.
#
# Why a module of our own: k8s.io/kubernetes requires its staging modules at v0.0.0 and maps them with
# replace directives, which `go install pkg@version` ignores; go.mod here repeats them, one per staging
# module (shared/reference/real-kube-apiserver.md).
#
# Usage: build.sh OUT_DIR KUBE_VERSION ETCD_VERSION
set -euo pipefail

out=$(realpath -m "$1")
kube_version=$2
etcd_version=$3
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"

# The pins in mk/kube.mk and the requirements in go.mod must agree, or the binary's --version would
# not say what it was built from.
require() {
  local module=$1 want=$2 got
  got=$(go list -m -f '{{.Version}}' "$module")
  if [ "$got" != "$want" ]; then
    echo "kube-tools: go.mod requires $module $got, mk/kube.mk pins $want: change them together" >&2
    exit 1
  fi
}

# The version a binary reports, or nothing when it is missing or does not run.
reported() {
  [ -x "$1" ] || return 0
  "$1" --version 2>/dev/null | head -n 1 || true
}

# go build -v names each package as it compiles it: turn that into one line per 10% done. Anything
# else (a compile error: "# pkg", "file.go:1:2: ...") is passed through as it is.
progress() {
  local name=$1 total=$2
  awk -v name="$name" -v total="$total" '
    /^#|[ \t:]/ { print; fflush(); next }
    { n++; step = int(n * 10 / total); if (step > shown) { shown = step; printf "%s: %d%% (%d of ~%d packages)\n", name, step * 10, n, total; fflush() } }
    END { if (n == 0) printf "%s: nothing to compile (Go build cache)\n", name }'
}

build() {
  local name=$1 package=$2 ldflags=$3 total started
  total=$(go list -deps "$package" | wc -l)
  echo "$name: building from $package (~$total packages; a cold build takes minutes, later ones reuse the Go cache)"
  started=$SECONDS
  mkdir -p "$out"
  CGO_ENABLED=0 go build -v -trimpath -ldflags "-s -w $ldflags" -o "$out/$name.partial" "$package" 2>&1 |
    progress "$name" "$total"
  mv "$out/$name.partial" "$out/$name"
  echo "$name: built in $((SECONDS - started)) s: $(reported "$out/$name")"
}

ensure() {
  local name=$1 want=$2 package=$3 ldflags=$4 got
  got=$(reported "$out/$name")
  if [ "$got" = "$want" ]; then
    echo "$name: $got (up to date)"
    return
  fi
  [ -z "$got" ] || echo "$name: found '$got', want '$want': rebuilding"
  build "$name" "$package" "$ldflags"
  got=$(reported "$out/$name")
  if [ "$got" != "$want" ]; then
    echo "$name: built, but it reports '$got' instead of '$want'" >&2
    exit 1
  fi
}

require k8s.io/kubernetes "$kube_version"
require go.etcd.io/etcd/server/v3 "$etcd_version"
minor=${kube_version#v1.}
minor=${minor%%.*}
version_pkg=k8s.io/component-base/version
ensure kube-apiserver "Kubernetes $kube_version" k8s.io/kubernetes/cmd/kube-apiserver \
  "-X $version_pkg.gitVersion=$kube_version -X $version_pkg.gitMajor=1 -X $version_pkg.gitMinor=$minor"
ensure etcd "etcd Version: ${etcd_version#v}" go.etcd.io/etcd/server/v3 ""
