#!/usr/bin/env bash
# Installs every Debian 12 package teeharness needs to build, test and benchmark.
# Idempotent: when everything is present it only checks and returns (no apt-get update).
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake pkg-config git clang clang-format clang-tidy libclang-rt-14-dev
  # libraries (DESIGN.md "Dependencies")
  libcurl4-openssl-dev rapidjson-dev libsecp256k1-dev libcrypto++-dev libssl-dev libboost-dev
  libxml2-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  # real peers for integration tests and side-by-side benchmarks
  prometheus prometheus-pushgateway nginx-light wrk curl procps openssl
  # the HTML report opened in a real browser (headless, network off), and its screenshot decoded
  chromium util-linux zlib1g-dev
  # a locale whose decimal separator is a comma, for the metrics' locale-independence test
  locales
)

# de_DE.UTF-8 must exist for that test; generating it is idempotent and quick.
ensure_comma_locale() {
  if ! locale -a 2>/dev/null | grep -qi '^de_DE\.utf-\?8$'; then
    $SUDO localedef -i de_DE -f UTF-8 de_DE.UTF-8
  fi
}

missing=()
for p in "${packages[@]}"; do
  # dpkg-query prints "install ok installed" only for fully installed packages.
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if [[ $(id -u) -ne 0 ]]; then
  SUDO=sudo
else
  SUDO=
fi

if ((${#missing[@]} == 0)); then
  ensure_comma_locale
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# Debian starts services on install; the tests start their own Prometheus, Pushgateway and nginx on
# loopback ports, so the system-wide ones are stopped right away (policy-rc.d keeps them from starting).
if [[ ! -e /usr/sbin/policy-rc.d ]]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
  $SUDO chmod +x /usr/sbin/policy-rc.d
  remove_policy=1
fi
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
[[ -n "${remove_policy:-}" ]] && $SUDO rm -f /usr/sbin/policy-rc.d
ensure_comma_locale
echo "install-deps: done"
