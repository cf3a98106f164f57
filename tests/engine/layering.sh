#!/usr/bin/env bash
# Fails when the engine includes an adapter's library (DESIGN.md: arrows never
# point from engine/ to an adapter).
set -u
dir="$1"
bad=$(grep -rnE '#include *[<"](Poco/|hpdf|hb\.h|hb-|harfbuzz|openssl/|sqlite3\.h|libpq|sodium)' "$dir")
if [ -n "$bad" ]; then
  echo "engine/ includes an adapter's library:"
  echo "$bad"
  exit 1
fi
echo "engine/ includes no adapter library"
