# Prints the failed tests of a test run by name, with the first lines of their messages: tools/test.sh calls it at
# the end, where a log's tail shows it. $Results: the folder of the .trx files (xunit) and pester.xml (NUnit 2.5).
param([Parameter(Mandatory)] [string] $Results)
foreach ($trx in Get-ChildItem $Results -Filter *.trx) {
    [xml] $doc = Get-Content -LiteralPath $trx.FullName -Raw
    foreach ($r in @($doc.TestRun.Results.UnitTestResult) | Where-Object outcome -eq 'Failed') {
        "  xunit  $($r.testName)"
        @(([string]$r.Output.ErrorInfo.Message) -split "`n" | Select-Object -First 8) | ForEach-Object { "         $_" }
    }
}
$nunit = Join-Path $Results 'pester.xml'
if (Test-Path $nunit) {
    [xml] $doc = Get-Content -LiteralPath $nunit -Raw
    foreach ($c in $doc.SelectNodes("//test-case[@result='Failure']")) {
        "  Pester $($c.name)"
        @(([string]$c.failure.message) -split "`n" | Select-Object -First 8) | ForEach-Object { "         $_" }
    }
}
