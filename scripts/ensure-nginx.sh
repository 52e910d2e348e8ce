#!/bin/sh
# Make sure nginx exists for `make serve-replicas` and the replica tests: any nginx on PATH
# (or Debian's /usr/sbin/nginx); else install Debian's package with apt-get when running as
# root; else say what to install. Only the binary is needed: deploy/replicas.py runs its own
# nginx with a private config, so the package's system service is not started here.
set -e
if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's nginx for the replica set-up (apt-get)..."
  # Keep the package's init script from starting a system nginx on port 80 (Docker images
  # usually ship this policy already; leave an existing one alone).
  policy=/usr/sbin/policy-rc.d
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy"
    trap 'rm -f "$policy"' EXIT
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
  exit 0
fi
echo "nginx is needed for 'make serve-replicas' and tests/browser/test_replicas.py, and was not found." >&2
echo "Install it as root (Debian/Ubuntu: 'sudo apt-get install nginx'; Fedora: 'sudo dnf install nginx';" >&2
echo "macOS: 'brew install nginx'), or put an nginx binary on PATH (or set NGINX=/path/to/nginx)." >&2
exit 1
