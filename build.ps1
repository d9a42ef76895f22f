<#
.SYNOPSIS
    Builds, tests and packages the LarkPS module.
.DESCRIPTION
    Build   : dotnet build LarkPS.sln, leaving an importable module in out/LarkPS.
    Test    : dotnet test (xunit: unit, sandbox and engine-hosted tests), then the Pester tests in tests/Pester
              when Pester 5 is installed.
    Package : builds Release and zips out/LarkPS into out/LarkPS-<version>.zip, ready for Publish-Module or a share.
.EXAMPLE
    ./build.ps1 -Task Build, Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package')]
    [string[]] $Task = @('Build', 'Test'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
$moduleDir = Join-Path $root 'out/LarkPS'

function Invoke-Step([string] $Name, [scriptblock] $Action) {
    Write-Host "==> $Name" -ForegroundColor Cyan
    & $Action
    if ($LASTEXITCODE -and $LASTEXITCODE -ne 0) { throw "$Name failed with exit code $LASTEXITCODE" }
}

if ('Build' -in $Task -or 'Package' -in $Task) {
    Invoke-Step 'dotnet build' { dotnet build (Join-Path $root 'LarkPS.sln') --configuration $Configuration --nologo }
}

if ('Test' -in $Task) {
    Invoke-Step 'dotnet test' { dotnet test (Join-Path $root 'LarkPS.sln') --configuration $Configuration --nologo }

    $pester = Get-Module -ListAvailable Pester | Where-Object Version -ge '5.0.0' | Sort-Object Version -Descending | Select-Object -First 1
    if ($pester) {
        Invoke-Step 'Pester' {
            Import-Module $pester
            $config = New-PesterConfiguration
            $config.Run.Path = Join-Path $root 'tests/Pester'
            $config.Run.Exit = $true
            $config.Output.Verbosity = 'Detailed'
            Invoke-Pester -Configuration $config
        }
    }
    else {
        Write-Warning 'Pester 5 is not installed: skipped tests/Pester (Install-Module Pester -MinimumVersion 5.0 to run them).'
    }
}

if ('Package' -in $Task) {
    Invoke-Step 'Package' {
        $version = (Import-PowerShellDataFile (Join-Path $moduleDir 'LarkPS.psd1')).ModuleVersion
        $zip = Join-Path $root "out/LarkPS-$version.zip"
        if (Test-Path $zip) { Remove-Item $zip }
        Compress-Archive -Path $moduleDir -DestinationPath $zip
        Write-Host "Packaged $zip"
    }
}
