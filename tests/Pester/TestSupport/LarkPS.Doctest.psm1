# Doctests: the examples in docs/help/*.md and the README's PowerShell blocks, run against a sandbox the way a user
# runs them, their output compared with the output the documentation shows. docs/help/README.md describes the rules.
# Windows PowerShell 5.1 syntax only.
#
# In the markdown, an example is a ```powershell block; the ```text block right after it (if any) is its output.
# An example that cannot run here is marked just before its code with <!-- doctest: skip, why -->.

Set-StrictMode -Version Latest

$script:RepoRoot = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../..'))

function Get-LarkDocExample {
    <#
    .SYNOPSIS
        The examples of one markdown file: File, Line, Name, Code, Output ($null: the example shows none, so it must
        print nothing), SkipReason ($null: it runs). A cmdlet's file gives its '### Example N: Title' sections, any
        other file (the README) each ```powershell block under its heading.
    #>
    param([Parameter(Mandatory)] [string] $Path)
    $lines = @(Get-Content -LiteralPath $Path -Encoding UTF8)
    $file = [System.IO.Path]::GetFileName($Path)
    $isCmdlet = $file -match '^[A-Z][a-z]+-[A-Za-z]+\.md$'
    $heading = ''
    $inExamples = $false
    $skip = $null
    $count = @{}
    for ($i = 0; $i -lt $lines.Count; $i++) {
        $line = $lines[$i]
        if ($line -match '^(#{1,6}) (.+)$') {
            $heading = $Matches[2].Trim()
            if ($Matches[1].Length -eq 2) { $inExamples = ($heading -eq 'EXAMPLES') }
            $skip = $null
            continue
        }
        if ($line -match '^<!--\s*doctest:\s*skip,\s*(.+?)\s*-->\s*$') { $skip = $Matches[1]; continue }
        if ($line -notmatch '^```powershell\s*$') {
            if ($line.Trim() -and $line -notmatch '^```') { $skip = $null }
            if ($line -match '^```') { $i = Skip-LarkFence $lines $i }
            continue
        }
        if ($isCmdlet -and -not $inExamples) { $i = Skip-LarkFence $lines $i; continue }

        $start = $i + 1
        $end = Skip-LarkFence $lines $i
        $code = ($lines[($i + 1)..($end - 1)] -join "`n")
        if ($end -eq $i + 1) { $code = '' }
        $output = $null
        $next = $end + 1
        while ($next -lt $lines.Count -and -not $lines[$next].Trim()) { $next++ }
        if ($next -lt $lines.Count -and $lines[$next] -match '^```text\s*$') {
            $outputEnd = Skip-LarkFence $lines $next
            $output = if ($outputEnd -gt $next + 1) { $lines[($next + 1)..($outputEnd - 1)] -join "`n" } else { '' }
            $end = $outputEnd
        }
        $name = if ($isCmdlet) { $heading } else { $count[$heading] = 1 + [int]$count[$heading]; "'$heading' block $($count[$heading])" }
        [pscustomobject]@{
            File       = $file
            Line       = $start
            Name       = $name
            Code       = $code
            Output     = $output
            SkipReason = $skip
        }
        $skip = $null
        $i = $end
    }
}

# The index of the line that closes the fence opened at $Start.
function Skip-LarkFence([string[]] $Lines, [int] $Start) {
    for ($j = $Start + 1; $j -lt $Lines.Count; $j++) {
        if ($Lines[$j] -match '^```\s*$') { return $j }
    }
    throw "The fenced block at line $($Start + 1) is never closed."
}

function Invoke-LarkDocExample {
    <#
    .SYNOPSIS
        Runs examples in one new PowerShell (80 columns, en-US, no colour), each against the sandbox with a fresh
        connection, an empty inbox and, as its current folder, a fresh copy of tests/Pester/Doctest (the files a
        cmdlet's examples read) or -WorkingDirectory (the repository, for the README), in the order given. Returns,
        per example, what a user would have seen: output, errors, warnings, host lines.
    #>
    param(
        [Parameter(Mandatory)] [object[]] $Example,
        [Parameter(Mandatory)] [string] $SandboxUrl,
        [string] $WorkingDirectory,
        [int] $TimeoutSeconds = 300
    )
    $work = Join-Path ([System.IO.Path]::GetTempPath()) ('larkps-doctest-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $work | Out-Null
    try {
        $batch = Join-Path $work 'examples.json'
        $items = @($Example | ForEach-Object { @{ Code = $_.Code.Replace('http://127.0.0.1:5300', $SandboxUrl) } })
        [System.IO.File]::WriteAllText($batch, (ConvertTo-Json -InputObject $items -Depth 3), (New-Object System.Text.UTF8Encoding $false))

        $psi = New-Object System.Diagnostics.ProcessStartInfo
        $exe, $prefix = Get-LarkDocPowerShell
        $runner = Join-Path $PSScriptRoot 'Invoke-LarkDoctest.ps1'
        $arguments = @($prefix) + @('-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-File', "`"$runner`"",
            '-Batch', "`"$batch`"", '-SandboxUrl', $SandboxUrl, '-Fixtures', "`"$(Join-Path $script:RepoRoot 'tests/Pester/Doctest')`"",
            '-Work', "`"$work`"", '-WorkingDirectory', "`"$WorkingDirectory`"", '-Module', "`"$(Join-Path $script:RepoRoot 'out/LarkPS/LarkPS.psd1')`"")
        $psi.FileName = $exe
        $psi.Arguments = ($arguments | Where-Object { $_ }) -join ' '
        $psi.UseShellExecute = $false
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $psi.StandardOutputEncoding = New-Object System.Text.UTF8Encoding $false
        $psi.EnvironmentVariables['COLUMNS'] = '80'
        $psi.EnvironmentVariables['LINES'] = '50'
        $psi.EnvironmentVariables['NO_COLOR'] = '1'
        $psi.EnvironmentVariables['LANG'] = 'en_US.UTF-8'
        $psi.EnvironmentVariables['LC_ALL'] = 'en_US.UTF-8'
        foreach ($name in 'LARK_APP_ID', 'LARK_APP_SECRET', 'LARK_WEBHOOK_URI', 'LARK_WEBHOOK_SECRET') { $psi.EnvironmentVariables.Remove($name) }
        $process = [System.Diagnostics.Process]::Start($psi)
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
            $process.Kill()
            throw "The doctest PowerShell did not finish within $TimeoutSeconds s: $($stdout.Result)"
        }
        $text = $stdout.Result
        if ($process.ExitCode -ne 0) { throw "The doctest PowerShell failed (exit code $($process.ExitCode)): $($stderr.Result)`n$text" }

        for ($n = 0; $n -lt $items.Count; $n++) {
            $begin = "@@larkps-doctest-begin $n@@"
            $finish = "@@larkps-doctest-end $n@@"
            $from = $text.IndexOf($begin)
            $to = $text.IndexOf($finish)
            if ($from -lt 0 -or $to -lt $from) { throw "Example $n left no output markers: $text $($stderr.Result)" }
            $from += $begin.Length
            [pscustomobject]@{ Example = $Example[$n]; Actual = $text.Substring($from, $to - $from).Trim("`r", "`n") }
        }
    }
    finally {
        Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
    }
}

# This PowerShell's executable, and what goes before its arguments: pwsh run as a .NET tool is `dotnet pwsh.dll`.
function Get-LarkDocPowerShell {
    if ($PSVersionTable.PSEdition -ne 'Core') { return (Join-Path $PSHOME 'powershell.exe'), '' }
    $self = [System.Diagnostics.Process]::GetCurrentProcess().MainModule.FileName
    if ([System.IO.Path]::GetFileNameWithoutExtension($self) -eq 'dotnet') { return $self, ('"' + (Join-Path $PSHOME 'pwsh.dll') + '"') }
    return $self, ''
}

function ConvertTo-LarkDocText {
    <#
    .SYNOPSIS
        Output text with what changes from run to run made constant: message ids (om_, also when shortened as
        om_0e87...), times, dates, uuids, log ids, and the sandbox's port (as 5300, the quick start's). Whitespace is not compared: every run of it
        becomes one space, so a table's column widths and where a line wraps do not matter, the words do.
    #>
    param([AllowEmptyString()] [string] $Text, [string] $SandboxUrl)
    if ($SandboxUrl) { $Text = $Text.Replace(([uri]$SandboxUrl).Authority, '127.0.0.1:5300') }
    $Text = $Text -replace '\bom_[0-9a-f]*(\.\.\.)?', 'om_<id>'
    $Text = $Text -replace '\b\d{14}[0-9A-F]{18}\b', '<logid>'
    $Text = $Text -replace '\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b', '<uuid>'
    $Text = $Text -replace '\b[0-9a-f]{32}\b', '<uuid>'
    $Text = $Text -replace '\b\d{4}-\d\d-\d\d\b', '<date>'
    $Text = $Text -replace '\b\d{1,2}/\d{1,2}/\d{4}\b', '<date>'
    $Text = $Text -replace '\b\d{1,2}:\d\d(:\d\d)?(\s[AP]M)?\b', '<time>'
    (($Text -split '\s+') | Where-Object { $_ }) -join ' '
}

function Test-LarkDocOutput {
    <#
    .SYNOPSIS
        Whether the actual output matches the output the documentation shows, both through ConvertTo-LarkDocText.
        In the documented output, a line '...' stands for any text (or none), and an id shortened with '...'
        (oc_3992..., omt_...) for any id that starts so.
    #>
    param([AllowEmptyString()] [AllowNull()] [string] $Expected, [AllowEmptyString()] [string] $Actual, [string] $SandboxUrl)
    $want = ConvertTo-LarkDocText ([string]$Expected)
    $got = ConvertTo-LarkDocText $Actual -SandboxUrl $SandboxUrl
    if (-not $want) { return -not $got }
    $pattern = New-Object System.Text.StringBuilder
    [void]$pattern.Append('^')
    foreach ($token in $want -split ' ') {
        if ($token -eq '...') { [void]$pattern.Append('(?:.*? )?'); continue }
        $escaped = [regex]::Escape($token) -replace '((?:o[cun]|omt)_[0-9a-f]*)\\\.\\\.\\\.', '$1[0-9a-f]*'
        [void]$pattern.Append($escaped).Append(' ')
    }
    [void]$pattern.Append('$')
    [regex]::IsMatch($got + ' ', $pattern.ToString(), [System.Text.RegularExpressions.RegexOptions]::Singleline)
}

function Get-LarkDocCommandProblem {
    <#
    .SYNOPSIS
        What a skipped example can still be checked for: that it parses, and that every LarkPS cmdlet it calls exists
        with every parameter it names. Nothing means no problem.
    #>
    param([Parameter(Mandatory)] [string] $Code)
    $tokens = $null
    $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseInput($Code, [ref]$tokens, [ref]$errors)
    foreach ($e in @($errors)) { if ($e) { "parse error: $($e.Message)" } }
    $module = @(Get-Command -Module LarkPS | ForEach-Object Name)
    foreach ($call in $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true)) {
        $name = $call.GetCommandName()
        if (-not $name -or $name -notmatch '-Lark') { continue }
        if ($module -notcontains $name) { "$name is not a LarkPS cmdlet"; continue }
        $command = Get-Command $name
        foreach ($element in $call.CommandElements) {
            if ($element -isnot [System.Management.Automation.Language.CommandParameterAst]) { continue }
            $matching = @($command.Parameters.Values | Where-Object { $_.Name -like "$($element.ParameterName)*" -or ($_.Aliases | Where-Object { $_ -eq $element.ParameterName }) })
            if ($matching.Count -eq 0) { "$name has no parameter -$($element.ParameterName)" }
        }
    }
}

Export-ModuleMember -Function Get-LarkDocExample, Invoke-LarkDocExample, ConvertTo-LarkDocText, Test-LarkDocOutput, Get-LarkDocCommandProblem
