#!/usr/bin/env bash
# Installs everything the project needs on a fresh machine: CJK fonts (Debian) and a virtualenv
# with the package and its test tools. Idempotent; `make` calls it when pyproject.toml changes.
set -euo pipefail
cd "$(dirname "$0")/.."

fonts_missing() {
    [ ! -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] ||
    [ ! -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] ||
    [ ! -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] ||
    [ ! -f /usr/share/fonts/truetype/arphic/uming.ttc ] ||
    [ ! -f /usr/share/fonts/truetype/arphic/ukai.ttc ]
}
if fonts_missing; then
    echo "bootstrap: installing CJK fonts (fonts-wqy-*, fonts-noto-cjk, fonts-arphic-uming/ukai: Hei, Song, Kai faces)"
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
        fonts-wqy-zenhei fonts-wqy-microhei fonts-noto-cjk fonts-arphic-uming fonts-arphic-ukai >/dev/null
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    echo "bootstrap: creating .venv"
    "$PY" -m venv .venv
fi
echo "bootstrap: installing govreport into .venv (with the model and Ray extras, so CI tests them)"
.venv/bin/pip install -q -e ".[dev,model,ray]"
touch .venv/.installed
