<#
.SYNOPSIS
    Runs documentation examples one after another, as a user would type them at a prompt, for LarkPS.Doctest.psm1.
.DESCRIPTION
    Each example gets a new connection to the sandbox (the quick start's Connect-Lark line), an empty inbox, and as
    its current folder -WorkingDirectory, or else a fresh copy of the files the examples read (-Fixtures). Everything it shows goes to standard output
    in order, between markers: output through Out-Default (this process runs at 80 columns), errors as the console
    shows them, warnings, host lines, -WhatIf lines. Each statement runs and is formatted on its own, as when typed
    at a prompt.
    Windows PowerShell 5.1 syntax only.
#>
param(
    [Parameter(Mandatory = $true)] [string] $Batch,
    [Parameter(Mandatory = $true)] [string] $SandboxUrl,
    [Parameter(Mandatory = $true)] [string] $Fixtures,
    [Parameter(Mandatory = $true)] [string] $Work,
    [string] $WorkingDirectory,
    [Parameter(Mandatory = $true)] [string] $Module
)

$ErrorActionPreference = 'Stop'
if (Get-Variable PSStyle -ErrorAction SilentlyContinue) { $PSStyle.OutputRendering = 'PlainText' }
Import-Module $Module
$examples = @(Get-Content -LiteralPath $Batch -Raw -Encoding UTF8 | ConvertFrom-Json)
$secret = ConvertTo-SecureString 'sandbox-secret' -AsPlainText -Force

# An error as pwsh 7's ConciseView shows one for a command typed at the prompt: "Cmdlet: message", then the fix.
# (For a command of several lines it adds the line and a marker under it; the documentation leaves those out.)
function Format-DoctestError([System.Management.Automation.ErrorRecord] $Record) {
    $message = if ($Record.ErrorDetails -and $Record.ErrorDetails.Message) { $Record.ErrorDetails.Message } else { $Record.Exception.Message }
    $command = if ($Record.InvocationInfo -and $Record.InvocationInfo.MyCommand) { $Record.InvocationInfo.MyCommand.Name } else { '' }
    $text = if ($command) { "${command}: $message" } else { $message }
    if ($Record.ErrorDetails -and $Record.ErrorDetails.RecommendedAction) { $text += "`n  Recommendation: " + $Record.ErrorDetails.RecommendedAction }
    $text
}

for ($n = 0; $n -lt $examples.Count; $n++) {
    $folder = $WorkingDirectory
    if (-not $folder) {
        $folder = Join-Path $Work "example-$n"
        Copy-Item -LiteralPath $Fixtures -Destination $folder -Recurse
    }
    Set-Location -LiteralPath $folder
    Invoke-RestMethod -Method Delete -Uri "$SandboxUrl/_sandbox/inbox" | Out-Null
    Disconnect-Lark
    Connect-Lark -BaseUri $SandboxUrl -AppId cli_sandbox -AppSecret $secret
    $ErrorActionPreference = 'Continue'

    Write-Host "@@larkps-doctest-begin $n@@"
    # As typed at a prompt: each statement on its own, its output formatted on its own, errors shown where they
    # happen; a terminating error ends that statement, not the example. The example's variables live in its own
    # scope (the & block), shared by its statements (dot-sourced into it).
    & {
        param([string] $Code)
        $parseErrors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($Code, [ref]$null, [ref]$parseErrors)
        if ($parseErrors) { Write-Host ('The example does not parse: ' + (@($parseErrors | ForEach-Object Message) -join '; ')); return }
        foreach ($statement in @($ast.EndBlock.Statements)) {
            try {
                . ([scriptblock]::Create($statement.Extent.Text)) 2>&1 | ForEach-Object {
                    if ($_ -is [System.Management.Automation.ErrorRecord]) { Write-Host (Format-DoctestError $_) } else { $_ }
                } | Out-Default
            }
            catch {
                Write-Host (Format-DoctestError $_)
            }
        }
    } $examples[$n].Code
    Write-Host "@@larkps-doctest-end $n@@"
    $ErrorActionPreference = 'Stop'
    Set-Location -LiteralPath $Work
}
