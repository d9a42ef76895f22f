#!/usr/bin/env bash
# The test command. Installs what the tests need (Chromium and the Node SDK peer: tools/install-test-deps.sh; pwsh
# 7.6.9: the repository's .NET tool, `dotnet tool restore`), then runs build.ps1 in that pwsh: Build, Test (every
# xunit project of LarkPS.sln, then the Pester suite in tests/Pester with Pester from NuGet) and Package. Ends with
# one line counting xunit and Pester together: "tests: N passed, N failed".
# For a part, run dotnet test --filter ... or dotnet pwsh ./build.ps1 -Task Test -PesterPath <file> (see build.ps1).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash tools/install-test-deps.sh
dotnet tool restore

results="$root/out/TestResults"
rm -rf "$results"
status=0
dotnet pwsh -NoProfile -NonInteractive -ExecutionPolicy Bypass -File ./build.ps1 -Task Build,Test,Package -ResultsDirectory "$results" || status=$?

# xunit: one .trx per test project.
xunit_passed=0; xunit_failed=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  xunit_passed=$((xunit_passed + ${p:-0})); xunit_failed=$((xunit_failed + ${f:-0}))
done

# Pester: NUnit 2.5 results, <test-results total= errors= failures= not-run= inconclusive= ignored= skipped= invalid=>.
pester_passed=0; pester_failed=0
pester_xml="$results/pester.xml"
if [ -f "$pester_xml" ]; then
  header=$(grep -o '<test-results [^>]*>' "$pester_xml" | head -n 1)
  attr() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$header"; }
  total=$(attr total); errors=$(attr errors); failures=$(attr failures); notrun=$(attr not-run)
  inconclusive=$(attr inconclusive); ignored=$(attr ignored); skipped=$(attr skipped); invalid=$(attr invalid)
  pester_failed=$(( ${failures:-0} + ${errors:-0} + ${invalid:-0} ))
  pester_passed=$(( ${total:-0} - pester_failed - ${notrun:-0} - ${inconclusive:-0} - ${ignored:-0} - ${skipped:-0} ))
else
  echo "no Pester results ($pester_xml): the Pester suite did not run" >&2
  [ "$status" -ne 0 ] || status=1
fi

# The failed tests again, by name with the first lines of their messages, here at the end where a log's tail shows them.
if [ $((xunit_failed + pester_failed)) -gt 0 ]; then
  echo
  echo "failed tests:"
  dotnet pwsh -NoProfile -NonInteractive -File tools/print-failures.ps1 "$results" || true
fi

passed=$((xunit_passed + pester_passed)); failed=$((xunit_failed + pester_failed))
echo
echo "xunit: $xunit_passed passed, $xunit_failed failed; Pester (pwsh $(dotnet pwsh -NoProfile -Command '$PSVersionTable.PSVersion.ToString()')): $pester_passed passed, $pester_failed failed"
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then
  echo "no test ran" >&2
  status=1
fi
echo "tests: $passed passed, $failed failed"
exit "$status"
