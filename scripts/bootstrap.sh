#!/usr/bin/env bash
# Installs everything the project needs on a fresh machine: CJK fonts, LibreOffice and chromium (Debian) and a virtualenv
# with the package and its test tools. Idempotent; `make` calls it when pyproject.toml changes.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_UPDATED=""
apt_install() {
    local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    if [ -z "$APT_UPDATED" ]; then $sudo apt-get update -qq; APT_UPDATED=1; fi
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

fonts_missing() {
    [ ! -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] ||
    [ ! -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] ||
    [ ! -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] ||
    [ ! -f /usr/share/fonts/truetype/arphic/uming.ttc ] ||
    [ ! -f /usr/share/fonts/truetype/arphic/ukai.ttc ]
}
if fonts_missing; then
    echo "bootstrap: installing CJK fonts (fonts-wqy-*, fonts-noto-cjk, fonts-arphic-uming/ukai: Hei, Song, Kai faces)"
    apt_install fonts-wqy-zenhei fonts-wqy-microhei fonts-noto-cjk fonts-arphic-uming fonts-arphic-ukai
fi

# The review page's browser test drives Debian's chromium headless (Playwright's own browser
# download cannot reach its host here).
if ! command -v chromium >/dev/null 2>&1; then
    echo "bootstrap: installing chromium (Debian) for the review page's browser test"
    apt_install chromium
fi

# LibreOffice headless: Writer reads .doc/.wps/.rtf for ingest, Calc writes the factory's .xls style.
libreoffice_missing() {
    ! command -v soffice >/dev/null ||
    [ ! -f /usr/lib/libreoffice/program/libswlo.so ] ||
    [ ! -f /usr/lib/libreoffice/program/libsclo.so ]
}
if libreoffice_missing; then
    echo "bootstrap: installing LibreOffice headless (libreoffice-writer-nogui, libreoffice-calc-nogui)"
    apt_install --no-install-recommends libreoffice-writer-nogui libreoffice-calc-nogui
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    echo "bootstrap: creating .venv"
    "$PY" -m venv .venv
fi
echo "bootstrap: installing govreport into .venv (with the model, review and Ray extras, so CI tests them)"
.venv/bin/pip install -q -e ".[dev,model,review,ray]"
touch .venv/.installed
