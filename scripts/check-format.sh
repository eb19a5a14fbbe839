#!/usr/bin/env bash
# Fails if any of our C++ sources differ from clang-format's output.
set -euo pipefail
cd "$(dirname "$0")/.."

mapfile -t files < <(git ls-files --cached --others --exclude-standard '*.h' '*.cc' 2>/dev/null || true)
if ((${#files[@]} == 0)); then
  mapfile -t files < <(find common server storage client tests bench -name '*.h' -o -name '*.cc' 2>/dev/null)
fi
bad=0
for f in "${files[@]}"; do
  [[ -f $f ]] || continue
  if ! clang-format --style=file "$f" | cmp -s - "$f"; then
    echo "not formatted: $f (run: clang-format -i $f)"
    bad=1
  fi
done
exit $bad
