# Issue 14's reproduction: kill -9 of PowerShell halfway through 1,000 messages, then the same script again, gave 320
# duplicates. With -Journal the rerun sends only what was not confirmed, with the uuids the first run recorded. The
# first run is a real pwsh process killed with SIGKILL (Stop-Process -Force: no chance to clean up) once the sandbox
# holds about half the messages; the sandbox's latency and -ThrottleLimit make the run take long enough to catch it
# halfway. Every wait is on a count, with generous limits, for a loaded machine.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/LarkPS.TestSupport.psm1')
    $sandbox = Start-LarkTestSandbox -Arguments '--no-quotas', '--latency-ms', '60'
    $ops = $sandbox.Chats['Ops alerts'].chatId
    $general = $sandbox.Chats['General'].chatId
    $folder = Join-Path ([System.IO.Path]::GetTempPath()) ('larkps-crash-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $folder | Out-Null
    $journal = Join-Path $folder 'run.journal'
    $script = Join-Path $folder 'send.ps1'
    Set-Content -Path $script -Encoding UTF8 -Value @"
`$ErrorActionPreference = 'Stop'
Import-Module '$(Join-Path (Get-LarkRepoRoot) 'out/LarkPS/LarkPS.psd1')'
Connect-Lark -BaseUri '$($sandbox.Url)' -AppId '$($sandbox.AppId)' -AppSecret (ConvertTo-SecureString '$($sandbox.AppSecret)' -AsPlainText -Force) -QuotaPerSecond 100000 -QuotaPerMinute 6000000 -QuotaPerReceiverPerSecond 10000
`$ErrorActionPreference = 'Continue'
`$to = '$ops', '$general'
`$results = 1..1000 | ForEach-Object { [pscustomobject]@{ receiveType = 'chat'; receiveId = `$to[`$_ % 2]; content = "message `$_" } } |
    Send-LarkMessage -Journal '$journal' -ThrottleLimit 4
"sent=`$(@(`$results | Where-Object { -not `$_.AlreadySent }).Count) already=`$(@(`$results | Where-Object AlreadySent).Count)"
"@

    function Start-SendScript {
        $exe, $prefix = Get-LarkPowerShellCommand
        $psi = New-Object System.Diagnostics.ProcessStartInfo
        $psi.FileName = $exe
        $psi.Arguments = (@($prefix) + @('-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-File', "`"$script`"") | Where-Object { $_ }) -join ' '
        $psi.UseShellExecute = $false
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $process = [System.Diagnostics.Process]::Start($psi)
        [pscustomobject]@{ Process = $process; Output = $process.StandardOutput.ReadToEndAsync(); Errors = $process.StandardError.ReadToEndAsync() }
    }

    function Get-Delivered { [int](Get-LarkSandboxStat).sent }

    # Polls until the count stops changing for a second: what reached the sandbox before the kill has landed.
    function Wait-Settled {
        $last = -1
        $now = Get-Delivered
        while ($now -ne $last) {
            Start-Sleep -Milliseconds 1000
            $last = $now
            $now = Get-Delivered
        }
        $now
    }
}

AfterAll {
    Stop-LarkTestSandbox
    Remove-Item $folder -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Send-LarkMessage -Journal after kill -9' {
    It 'leaves exactly 1,000 messages, none doubled, and the rerun reports the earlier ones as already sent' {
        $first = Start-SendScript
        $limit = [DateTime]::UtcNow.AddMinutes(5)
        while ((Get-Delivered) -lt 500 -and -not $first.Process.HasExited -and [DateTime]::UtcNow -lt $limit) {
            Start-Sleep -Milliseconds 20
        }
        if ($first.Process.HasExited) {
            throw "The first run ended before it could be killed (exit $($first.Process.ExitCode)): $($first.Errors.Result) $($first.Output.Result)"
        }
        (Get-Delivered) | Should -BeGreaterOrEqual 500 -Because 'the first run must get halfway within 5 minutes'

        $first.Process.Kill()
        $first.Process.WaitForExit(60000) | Should -BeTrue
        $atKill = Wait-Settled
        $atKill | Should -BeLessThan 1000 -Because 'the kill must come before the run ends, or it shows nothing'
        Test-Path $journal | Should -BeTrue -Because 'the journal is written as the run goes'

        $second = Start-SendScript
        $second.Process.WaitForExit(300000) | Should -BeTrue -Because 'the rerun finishes within 5 minutes'
        $second.Process.WaitForExit()
        $second.Process.ExitCode | Should -Be 0 -Because $second.Errors.Result

        # Exactly the 1,000 messages, each once.
        $texts = @(Get-LarkSandboxInbox | ForEach-Object { ($_.content | ConvertFrom-Json).text })
        $texts.Count | Should -Be 1000
        @($texts | Sort-Object -Unique).Count | Should -Be 1000
        $missing = @(1..1000 | ForEach-Object { "message $_" } | Where-Object { $_ -notin $texts })
        $missing | Should -BeNullOrEmpty

        # The rerun wrote all 1,000: those the first run had confirmed as already sent, the rest sent now. What had
        # reached the sandbox unconfirmed was resent with its recorded uuid, so the sandbox (as Lark) kept one of each.
        $summary = ($second.Output.Result.Trim() -split "`n")[-1].Trim()
        $summary -match '^sent=(\d+) already=(\d+)$' | Should -BeTrue -Because "the rerun's last line is its summary: $summary"
        $sentNow = [int]$Matches[1]
        $already = [int]$Matches[2]
        ($sentNow + $already) | Should -Be 1000
        Write-Host "kill -9 at $atKill delivered; the rerun sent $sentNow and found $already already sent; $((Get-LarkSandboxStat).duplicatesSuppressed) resends kept once"
        $already | Should -BeLessOrEqual $atKill
        $already | Should -BeGreaterOrEqual ([int]($atKill / 2)) -Because 'what the first run had confirmed is in the journal'
        (Get-LarkSandboxStat).duplicatesSuppressed | Should -BeGreaterOrEqual ($atKill - $already) -Because 'what had arrived unconfirmed went again with its first uuid'

        # The journal holds no content, no receiver and no secret.
        $text = Get-Content $journal -Raw
        $text | Should -Not -Match 'message 1'
        $text.Contains($ops) | Should -BeFalse
        $text.Contains($sandbox.AppSecret) | Should -BeFalse
    }
}
