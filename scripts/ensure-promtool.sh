#!/usr/bin/env bash
# Prints the path of Prometheus' promtool, installing Debian's 'prometheus' package when it is missing.
# Exit 0 with the path on stdout; exit 3 with the reason on stderr when it cannot be had (no apt-get, not root).
set -euo pipefail
if command -v promtool >/dev/null 2>&1; then
  command -v promtool
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "promtool is not installed and apt-get is not available to install it (package 'prometheus')" >&2
  exit 3
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
  else
    echo "promtool is not installed and installing package 'prometheus' needs root (or password-less sudo)" >&2
    exit 3
  fi
fi
echo "installing Debian package 'prometheus' for promtool" >&2
export DEBIAN_FRONTEND=noninteractive
# 'prometheus' alone would also start a server where systemd runs; policy-rc.d is honoured by invoke-rc.d only,
# so keep the server from starting and install without recommended packages.
$SUDO apt-get install -y -q --no-install-recommends prometheus >&2 \
  || { $SUDO apt-get update -q >&2 && $SUDO apt-get install -y -q --no-install-recommends prometheus >&2; }
command -v promtool || { echo "package 'prometheus' installed but promtool is not on PATH" >&2; exit 3; }
