#!/usr/bin/env bash
# Brings a machine to the point where opsconsole runs and its tests pass: system packages,
# a running Docker engine, node_modules matching package-lock.json, and a fresh build.
# Idempotent: each step checks before it acts, so running it twice costs about a second.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*" >&2; }

engine_answers() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

install_system_packages() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  [ -x /bin/busybox ] || missing+=(busybox-static)
  command -v tmux >/dev/null 2>&1 || missing+=(tmux)
  # The remote-engine tests: an sshd of their own, a TLS listener in front of the engine, certificates.
  [ -x /usr/sbin/sshd ] || missing+=(openssh-server)
  command -v ssh >/dev/null 2>&1 || missing+=(openssh-client)
  command -v socat >/dev/null 2>&1 || missing+=(socat)
  command -v openssl >/dev/null 2>&1 || missing+=(openssl)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    say "missing ${missing[*]}; install them (Debian: sudo apt-get install -y ${missing[*]}) and run again"
    exit 1
  fi
  say "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

start_engine() {
  engine_answers && return 0
  if [ "$(id -u)" -ne 0 ]; then
    say "no Docker engine answers and starting one needs root; start dockerd, or set OPSCONSOLE_SKIP_DOCKER_TESTS=1 to run only the tests that need no engine"
    return 0
  fi
  say "starting dockerd (log: /var/log/opsconsole-dockerd.log)"
  nohup /usr/sbin/dockerd >/var/log/opsconsole-dockerd.log 2>&1 &
  for _ in $(seq 1 60); do
    engine_answers && return 0
    sleep 0.5
  done
  say "dockerd did not answer within 30 s; see /var/log/opsconsole-dockerd.log"
  exit 1
}

install_node_modules() {
  if [ -f node_modules/.package-lock.json ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
    return 0
  fi
  say "installing node modules (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
}

build() {
  say "building"
  npx --no-install tsc -p tsconfig.json
  node scripts/bundle.mjs
}

install_system_packages
start_engine
install_node_modules
build
