# shellcheck shell=bash
# Installs Debian packages that the tests (or the benchmark) need, only when missing.
#
# Usage (source it, then call):
#   source scripts/apt.sh
#   apt_install_missing postgresql            # no-op when already installed
#
# Runs apt-get non-interactively (CI has no stdin), calls `apt-get update` only when
# something must actually be installed, and at most once per shell. As root it runs
# apt-get directly; otherwise it needs passwordless sudo and says so if there is none.

# True when dpkg reports the package as fully installed.
apt_is_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# apt_install_missing PKG... : install those of PKG... that are not installed yet.
apt_install_missing() {
  local pkg
  local -a missing=() as_root=()
  for pkg in "$@"; do
    apt_is_installed "$pkg" || missing+=("$pkg")
  done
  ((${#missing[@]} > 0)) || return 0

  if ((EUID != 0)); then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
      as_root=(sudo -n)
    else
      echo "error: missing Debian packages: ${missing[*]}" >&2
      echo "       install them as root: apt-get install ${missing[*]}" >&2
      return 1
    fi
  fi

  echo "==> installing Debian packages: ${missing[*]}"
  # Keep existing config files and never ask: there is nobody to answer in CI.
  local -a apt=("${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -y -q
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
  if [[ -z "${_APT_UPDATED:-}" ]]; then
    "${apt[@]}" update </dev/null
    _APT_UPDATED=1
  fi
  "${apt[@]}" install --no-install-recommends "${missing[@]}" </dev/null
}
