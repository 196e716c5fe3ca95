#!/usr/bin/env bash
# Runs every test project of the solution and ends with one line of totals ("N passed, N failed").
set -euo pipefail
configuration=${1:-Release}
root=$(cd "$(dirname "$0")/.." && pwd)
results="$root/.tools/test-results"
rm -rf "$results" && mkdir -p "$results"

status=0
dotnet test "$root/Operator.sln" -c "$configuration" --no-build --nologo \
  --logger "trx" --results-directory "$results" -- RunConfiguration.TreatNoTestsAsError=true || status=$?

# Totals from the TRX files (one per test project).
read -r passed failed skipped < <(
  cat "$results"/*.trx 2>/dev/null | grep -o '<Counters [^>]*' | awk '
    { for (i = 1; i <= NF; i++) { split($i, kv, "="); gsub(/"/, "", kv[2]); c[kv[1]] += kv[2] } }
    END { printf "%d %d %d\n", c["passed"], c["failed"] + c["error"] + c["timeout"] + c["aborted"], c["notExecuted"] }')
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$passed" -eq 0 ]; then echo "no test ran" >&2; exit 1; fi
exit "$status"
