#!/usr/bin/env bash
# System packages the app and its tests need: Chromium for the browser
# journeys, Pango for WeasyPrint, DejaVu fonts, nginx for the proxy test
# (deploy/nginx.conf in front of gunicorn). Installs only what is missing.
set -euo pipefail
faltan=()
command -v chromium >/dev/null 2>&1 || faltan+=(chromium)
ldconfig -p 2>/dev/null | grep -q libpango-1.0 || faltan+=(libpango-1.0-0 libpangoft2-1.0-0)
[ -d /usr/share/fonts/truetype/dejavu ] || faltan+=(fonts-dejavu-core)
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || faltan+=(nginx)
if [ ${#faltan[@]} -eq 0 ]; then
  exit 0
fi
echo "Instalando paquetes del sistema: ${faltan[*]}"
sudo_cmd=""
[ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
# The tests run nginx themselves, on high ports: the package must not start a server on port 80.
politica=/usr/sbin/policy-rc.d
if [ ! -e "$politica" ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo_cmd tee "$politica" >/dev/null
  $sudo_cmd chmod +x "$politica"
  trap '$sudo_cmd rm -f "$politica"' EXIT
fi
$sudo_cmd apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${faltan[@]}"
