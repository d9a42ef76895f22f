# The main job, `dotnet run --project tools/LarkPS.QuickStart`, as a process: it runs the examples in the
# repository's pwsh 7.6.9, says so, keeps the sandbox up, and stops on SIGTERM as on Ctrl+C. SIGTERM is a Unix
# signal, so this is tagged Unix (build.ps1 leaves it out on Windows).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/LarkPS.TestSupport.psm1')
    $configuration = if ($env:LARKPS_CONFIGURATION) { $env:LARKPS_CONFIGURATION } else { 'Release' }
    $quickStart = Join-Path (Get-LarkRepoRoot) "tools/LarkPS.QuickStart/bin/$configuration/net10.0/LarkPS.QuickStart.dll"
}

Describe 'The quick start' -Tag 'Unix' {
    It 'runs the examples in pwsh 7.6.9, says so, waits, and stops on SIGTERM like Ctrl+C' {
        $quickStart | Should -Exist
        $psi = New-Object System.Diagnostics.ProcessStartInfo
        $psi.FileName = 'dotnet'
        $psi.Arguments = "`"$quickStart`" --wait --urls http://127.0.0.1:0"
        $psi.WorkingDirectory = Get-LarkRepoRoot
        $psi.UseShellExecute = $false
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $process = [System.Diagnostics.Process]::Start($psi)
        $errors = $process.StandardError.ReadToEndAsync()
        $lines = New-Object System.Collections.Generic.List[string]
        try {
            # Read until it says it waits (the examples have run by then).
            $deadline = [DateTime]::UtcNow.AddMinutes(5)
            while ([DateTime]::UtcNow -lt $deadline) {
                $line = $process.StandardOutput.ReadLine()
                if ($null -eq $line) { break }
                $lines.Add($line)
                if ($line -match 'press Ctrl\+C to stop') { break }
            }
            $text = $lines -join "`n"
            $text | Should -Match 'Running examples/quickstart\.ps1 in pwsh 7\.6\.9'
            $text | Should -Match 'Ran examples/quickstart\.ps1 in pwsh 7\.6\.9 \(no errors\)'
            $text | Should -Not -Match 'hosted'
            $text | Should -Match '8 message\(s\) delivered'
            $text | Should -Match 'press Ctrl\+C to stop'
            $process.HasExited | Should -BeFalse

            $kill = Start-Process -FilePath 'kill' -ArgumentList '-TERM', $process.Id -PassThru -Wait
            $kill.ExitCode | Should -Be 0
            $process.WaitForExit(30000) | Should -BeTrue -Because 'SIGTERM stops the quick start'
            $rest = $process.StandardOutput.ReadToEnd()
            $rest | Should -Match 'Stopping the sandbox\.'
            $process.ExitCode | Should -Be 0 -Because $errors.Result
        }
        finally {
            if (-not $process.HasExited) { $process.Kill() }
        }
    }
}
