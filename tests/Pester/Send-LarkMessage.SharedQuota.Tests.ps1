# Issue 24 in real processes: two pwsh processes on one app, started at the same moment, each sending 150 messages
# to the same 20 users, against a sandbox that counts the app's quota (50/s) across both on arrival. With the
# machine-wide sharing (the default) they draw no refusal from each other; with -NoQuotaSharing they do (which is why
# the first case can fail), and still every message arrives once, with no error.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/LarkPS.TestSupport.psm1')
    $folder = Join-Path ([System.IO.Path]::GetTempPath()) ('larkps-shared-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $folder | Out-Null
    $script = Join-Path $folder 'send.ps1'
    Set-Content -Path $script -Encoding UTF8 -Value @'
param([string] $Manifest, [string] $Url, [string] $AppId, [string] $Secret, [string] $Tag, [long] $StartAt, [string] $NoSharing)
$ErrorActionPreference = 'Stop'
Import-Module $Manifest
$sharing = @{}; if ($NoSharing -eq 'true') { $sharing.NoQuotaSharing = $true }
Connect-Lark -BaseUri $Url -AppId $AppId -AppSecret (ConvertTo-SecureString $Secret -AsPlainText -Force) @sharing | Out-Null
$items = foreach ($i in 1..150) { [pscustomobject]@{ receiveType = 'email'; receiveId = ('user{0:00000}@example.com' -f ((($i - 1) % 20) + 1)); content = "$Tag #$i" } }
while ([DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds() -lt $StartAt) { Start-Sleep -Milliseconds 2 }
$sent = @($items | Send-LarkMessage -ErrorAction SilentlyContinue -ErrorVariable failed)
"RESULT sent=$($sent.Count) failed=$($failed.Count)"
'@

    # Starts one send script per tag at a common moment (after each process's start-up) and returns their RESULT lines.
    function Invoke-TogetherOnOneApp {
        param([string[]] $Tags, [switch] $NoSharing)
        $sandbox = Start-LarkTestSandbox -Arguments '--extra-users', '20', '--latency-ms', '60'
        try {
            $exe, $prefix = Get-LarkPowerShellCommand
            $manifest = Join-Path (Get-LarkRepoRoot) 'out/LarkPS/LarkPS.psd1'
            $startAt = [DateTimeOffset]::UtcNow.AddSeconds(8).ToUnixTimeMilliseconds()
            $runs = foreach ($tag in $Tags) {
                $psi = New-Object System.Diagnostics.ProcessStartInfo
                $psi.FileName = $exe
                $arguments = @($prefix) + @('-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-File', "`"$script`"",
                    "`"$manifest`"", $sandbox.Url, $sandbox.AppId, $sandbox.AppSecret, $tag, $startAt, $(if ($NoSharing) { 'true' } else { 'false' }))
                $psi.Arguments = ($arguments | Where-Object { $_ }) -join ' '
                $psi.UseShellExecute = $false
                $psi.RedirectStandardOutput = $true
                $psi.RedirectStandardError = $true
                $process = [System.Diagnostics.Process]::Start($psi)
                [pscustomobject]@{ Process = $process; Output = $process.StandardOutput.ReadToEndAsync(); Errors = $process.StandardError.ReadToEndAsync() }
            }

            foreach ($run in $runs) {
                if (-not $run.Process.WaitForExit(120000)) { $run.Process.Kill(); throw 'a send script did not finish within 2 minutes' }
            }

            $inbox = @(Get-LarkSandboxInbox)
            [pscustomobject]@{
                Results = @($runs | ForEach-Object { ($_.Output.Result -split "`n" | Where-Object { $_ -like 'RESULT *' } | Select-Object -Last 1), $_.Errors.Result.Trim() -join ' ' })
                Texts   = @($inbox | ForEach-Object { ($_.content | ConvertFrom-Json).text })
                Stats   = Get-LarkSandboxStat
            }
        }
        finally {
            Stop-LarkTestSandbox
        }
    }
}

AfterAll {
    Remove-Item $folder -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Two pwsh processes on one app' {
    It 'share its quota through the machine: every message once, no error, no refusal' {
        $run = Invoke-TogetherOnOneApp -Tags 'a', 'b'

        $run.Results | Should -Be @('RESULT sent=150 failed=0 ', 'RESULT sent=150 failed=0 ')
        $run.Texts.Count | Should -Be 300
        @($run.Texts | Sort-Object -Unique).Count | Should -Be 300
        $run.Stats.refused429 | Should -Be 0
        $run.Stats.refused230020 | Should -Be 0
    }

    It 'without sharing draw refusals from each other, and still deliver every message once with no error' {
        $run = Invoke-TogetherOnOneApp -Tags 'c', 'd' -NoSharing

        $run.Results | Should -Be @('RESULT sent=150 failed=0 ', 'RESULT sent=150 failed=0 ')
        $run.Texts.Count | Should -Be 300
        @($run.Texts | Sort-Object -Unique).Count | Should -Be 300
        ($run.Stats.refused429 + $run.Stats.refused230020) | Should -BeGreaterThan 0
    }
}
