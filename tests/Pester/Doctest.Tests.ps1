# Doctests (issue 26): every example of the cmdlets' help (docs/help/<Cmdlet>.md), of about_LarkPS.md and every
# PowerShell block of the README runs against a sandbox as a user would type it, and prints what the documentation
# shows in the ```text block after it. An example that cannot run here is marked <!-- doctest: skip, why --> and
# listed below with its reason; it is still parsed and checked for cmdlets and parameters that exist.
# docs/help/README.md describes the rules; TestSupport/LarkPS.Doctest.psm1 runs them.
# The shown output is pwsh 7's (ConciseView errors, no colour), hence the PowerShell7 tag.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/LarkPS.TestSupport.psm1')
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/LarkPS.Doctest.psm1')
    $root = Get-LarkRepoRoot
    $paths = @(Get-ChildItem (Join-Path $root 'docs/help') -Filter '*-*.md' | Sort-Object Name | ForEach-Object FullName) +
        @((Join-Path $root 'docs/help/about_LarkPS.md'), (Join-Path $root 'README.md'))
    $documents = foreach ($path in $paths) {
        $inRepository = [System.IO.Path]::GetFileName($path) -in 'README.md', 'about_LarkPS.md'
        @{
            File         = [System.IO.Path]::GetFileName($path)
            Path         = $path
            InRepository = $inRepository
            Run          = @(Get-LarkDocExample -Path $path | Where-Object { -not $_.SkipReason } | ForEach-Object { @{ Name = $_.Name; Line = $_.Line } })
            Skipped      = @(Get-LarkDocExample -Path $path | Where-Object { $_.SkipReason } | ForEach-Object { @{ Name = $_.Name; Line = $_.Line; Reason = $_.SkipReason; Code = $_.Code } })
        }
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/LarkPS.TestSupport.psm1')
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/LarkPS.Doctest.psm1')
    $sandbox = Start-LarkTestSandbox
}

AfterAll { Stop-LarkTestSandbox }

Describe 'Doctest of <File>' -ForEach $documents -Tag 'PowerShell7' {
    BeforeAll {
        # One pwsh for the file's examples, run in order; each gets a fresh connection, inbox and folder.
        $examples = @(Get-LarkDocExample -Path $Path | Where-Object { -not $_.SkipReason })
        $printed = @{}
        if ($examples.Count -gt 0) {
            $folder = if ($InRepository) { Get-LarkRepoRoot } else { $null }
            foreach ($result in Invoke-LarkDocExample -Example $examples -SandboxUrl $sandbox.Url -WorkingDirectory $folder) {
                $printed[$result.Example.Line] = $result
            }
        }
    }

    It '<Name> (line <Line>) prints what it shows' -ForEach $Run {
        $result = $printed[$Line]
        $shown = if ($null -eq $result.Example.Output) { '(nothing)' } else { $result.Example.Output }
        Test-LarkDocOutput -Expected $result.Example.Output -Actual $result.Actual -SandboxUrl $sandbox.Url |
            Should -BeTrue -Because "$File line $Line shows:`n$shown`n`nbut it printed:`n$($result.Actual)`n"
    }

    It '<Name> (line <Line>) is not run (<Reason>), but parses and names only LarkPS cmdlets and parameters that exist' -ForEach $Skipped {
        Get-LarkDocCommandProblem -Code $Code | Should -BeNullOrEmpty
    }
}

Describe 'The doctests' -Tag 'PowerShell7' {
    It 'run at least one example of every cmdlet''s help and most README blocks, and skip none without a reason' -ForEach @(@{ Documents = $documents }) {
        @($Documents).Count | Should -BeGreaterThan 10
        foreach ($document in $Documents | Where-Object { -not $_.InRepository }) {
            $document.Run.Count | Should -BeGreaterThan 0 -Because "$($document.File) needs an example the sandbox can run"
        }
        $readme = $Documents | Where-Object File -eq 'README.md'
        $readme.Run.Count | Should -BeGreaterThan (2 * $readme.Skipped.Count) -Because 'the README''s blocks run against the sandbox, save the few that need a real tenant'
        foreach ($skipped in $Documents | ForEach-Object { $_.Skipped }) {
            $skipped.Reason.Length | Should -BeGreaterThan 10 -Because "line $($skipped.Line) is skipped: say what it needs"
        }
    }

    It 'match documented output to the word: a changed word, a missing line or extra output fails' {
        $shown = "MessageId                       Created ReceiveId`n---------                       ------- ---------`nom_0e87c1b0d4b6e1e9a6b1e3a1... 14:39   oc_39927562fa25da07df6771450e18c70e"
        $printed = "MessageId                           Created ReceiveId`n---------                           ------- ---------`nom_1c2b3a4d5e6f708192a3b4c5d6e7f809 09:01   oc_39927562fa25da07df6771450e18c70e"

        Test-LarkDocOutput -Expected $shown -Actual $printed | Should -BeTrue
        Test-LarkDocOutput -Expected $shown -Actual ($printed -replace 'oc_3992', 'oc_4992') | Should -BeFalse
        Test-LarkDocOutput -Expected $shown -Actual ($printed + "`nSend-LarkMessage: refused") | Should -BeFalse
        Test-LarkDocOutput -Expected ($shown + "`n...") -Actual ($printed + "`nSend-LarkMessage: refused") | Should -BeTrue
        Test-LarkDocOutput -Expected $null -Actual 'anything' | Should -BeFalse
        Test-LarkDocOutput -Expected $null -Actual "`n" | Should -BeTrue
    }
}
