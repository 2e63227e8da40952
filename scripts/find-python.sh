#!/usr/bin/env bash
# Prints the path of the newest Python 3.11–3.13 on PATH (the versions the portal supports);
# exits 1 when there is none.
for candidate in python3.13 python3.12 python3.11 python3; do
  path=$(command -v "$candidate" 2>/dev/null) || continue
  if "$path" -c 'import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] <= (3, 13) else 1)' 2>/dev/null; then
    echo "$path"
    exit 0
  fi
done
exit 1
