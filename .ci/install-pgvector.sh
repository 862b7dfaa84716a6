#!/usr/bin/env bash
# Builds pgvector for the machine's PostgreSQL 15 from Debian's own source package:
# bookworm ships no pgvector for PG15, trixie has the 0.8.x source. Only runs when the extension is missing.
set -euo pipefail
PSQL=(psql -h 127.0.0.1 -U postgres -d test -v ON_ERROR_STOP=1 -qtAc)
if "${PSQL[@]}" "CREATE EXTENSION IF NOT EXISTS vector" >/dev/null 2>&1; then
  echo "pgvector: already available"
  exit 0
fi
echo "pgvector: building from Debian source (about 20 s)"
mirror=$(grep -h '^URIs:' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1 | awk '{print $2}')
mirror=${mirror:-http://deb.debian.org/debian}
src=/etc/apt/sources.list.d/hishamos-trixie-src.list
echo "deb-src $mirror trixie main" > "$src"
trap 'rm -f "$src"; apt-get update -qq >/dev/null 2>&1 || true' EXIT
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-server-dev-15 build-essential dpkg-dev >/dev/null
work=$(mktemp -d)
(cd "$work" && apt-get source -qq pgvector >/dev/null 2>&1 && cd pgvector-*/ && make -s >/dev/null && make -s install >/dev/null)
rm -rf "$work"
# Installing the dev package can upgrade and stop the server.
pg_ctlcluster 15 main status >/dev/null 2>&1 || pg_ctlcluster --skip-systemctl-redirect 15 main start
for _ in $(seq 1 30); do "${PSQL[@]}" "select 1" >/dev/null 2>&1 && break; sleep 1; done
"${PSQL[@]}" "CREATE EXTENSION IF NOT EXISTS vector" >/dev/null
echo "pgvector: installed"
