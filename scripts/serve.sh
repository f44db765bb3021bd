#!/usr/bin/env bash
# Serve the app (make run) and announce its URL only once it answers an HTTP request:
# importing the app and its libraries takes a while, and a URL printed earlier leads people
# to a "connection refused". Usage: serve.sh PYTHON HOST PORT
set -uo pipefail
python=$1 host=$2 port=$3
url="http://$host:$port/"
"$python" -m flask --app pilot run --host "$host" --port "$port" &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; exit 0' INT TERM
answers() {
  "$python" - "$1" <<'PY'
import sys
import urllib.error
import urllib.request

try:
    urllib.request.urlopen(sys.argv[1], timeout=2)
except urllib.error.HTTPError:
    pass  # an HTTP error is an answer too
except OSError:
    sys.exit(1)
PY
}
until answers "$url"; do
  if ! kill -0 "$server" 2>/dev/null; then
    wait "$server"
    exit $?
  fi
  sleep 0.5
done
echo "De app draait op $url (stoppen met Ctrl+C)"
wait "$server"
