# Shared by scripts/run and scripts/test: a virtualenv with Legwork installed, and the system
# packages the tests drive (Debian's chromium). Safe to run again: it only installs what's missing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${LEGWORK_VENV:-$ROOT/.venv}"
cd "$ROOT"

if [ ! -x "$VENV/bin/python" ]; then
  echo "» creating virtualenv in $VENV"
  python3 -m venv "$VENV"
fi
PY="$VENV/bin/python"
stamp="$VENV/.legwork-installed-$(cat pyproject.toml | sha1sum | cut -c1-12)-${LEGWORK_EXTRAS:-dev}"
if [ ! -e "$stamp" ]; then
  echo "» installing Legwork and its dependencies"
  "$PY" -m pip install -q --upgrade pip >/dev/null
  "$PY" -m pip install -q -e ".[${LEGWORK_EXTRAS:-dev}]"
  touch "$stamp"
fi

apt_install() {  # apt_install PACKAGE...: only as root, only when missing
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ]; then
    echo "» apt-get install ${missing[*]}"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "» please install: sudo apt-get install ${missing[*]}" >&2
  fi
}
