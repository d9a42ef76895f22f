<#
.SYNOPSIS
    Builds, tests and packages the LarkPS module.
.DESCRIPTION
    Run it with the repository's own pwsh (the .NET tool pinned in .config/dotnet-tools.json):
        dotnet tool restore
        dotnet pwsh ./build.ps1 -Task Build,Test,Package
    It also runs in Windows PowerShell 5.1 (Build and Test; Package needs PSResourceGet, which ships with PowerShell 7.4+).

    Build   : dotnet build LarkPS.sln, leaving an importable module in out/LarkPS. Its help (the MAML and
              about_LarkPS) and its manifest are generated there from docs/help/*.md and the root LarkPS.psd1 by
              tools/LarkPS.HelpGen (target GenerateModuleHelp of src/LarkPS/LarkPS.csproj); a problem in the markdown
              fails the build with its file and line (docs/help/README.md).
    Test    : dotnet test LarkPS.sln (xunit: unit, sandbox and engine-hosted tests), then the Pester suite in
              tests/Pester in this PowerShell, with the Pester that `dotnet restore tests/Pester/Pester.Restore.csproj`
              brings from NuGet (found wherever the restore put it). Fails when either fails, or when Pester is
              missing or ran nothing. Results: out/TestResults (*.trx, pester.xml in NUnit format).
              On Windows PowerShell 5.1 the tests tagged PowerShell7 are left out, on Windows those tagged Unix.
    Package : publishes out/LarkPS with Publish-PSResource to a file repository at out/package, leaving
              out/package/LarkPS.<version>.nupkg: what PSResourceGet uploads to a gallery and installs from one.
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Build,Test,Package
.EXAMPLE
    dotnet pwsh -Command "./build.ps1 -Task Test -PesterPath tests/Pester/Connect-Lark.Tests.ps1 -DotnetTestArgument '--filter', 'FullyQualifiedName~Delivery'"

    Tasks go as one word with commas (Build,Test,Package). An argument list such as '--filter', '...' binds only
    inside a PowerShell command line, so from another shell pass the whole call with -Command as here.
#>
[CmdletBinding()]
param(
    # Build, Test, Package (any of them; commas work too, as `pwsh ./build.ps1 -Task Build,Test` passes one string).
    [string[]] $Task = @('Build', 'Test'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Where the xunit .trx files and Pester's pester.xml go.
    [string] $ResultsDirectory = (Join-Path $PSScriptRoot 'out/TestResults'),

    # Pester test files or folders to run instead of all of tests/Pester.
    [string[]] $PesterPath = @(Join-Path $PSScriptRoot 'tests/Pester'),

    # More arguments for dotnet test, e.g. '--filter', 'FullyQualifiedName~X'.
    [string[]] $DotnetTestArgument = @()
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$Task = @($Task | ForEach-Object { $_ -split ',' } | ForEach-Object { $_.Trim() } | Where-Object { $_ })
foreach ($name in $Task) {
    if ($name -notin 'Build', 'Test', 'Package') { throw "Unknown task '$name': the tasks are Build, Test and Package." }
}
$root = $PSScriptRoot
$moduleDir = Join-Path $root 'out/LarkPS'
$pesterProject = Join-Path $root 'tests/Pester/Pester.Restore.csproj'

function Invoke-Native([string] $Name, [scriptblock] $Action) {
    Write-Host "==> $Name" -ForegroundColor Cyan
    & $Action
    if ($LASTEXITCODE -ne 0) { throw "$Name failed with exit code $LASTEXITCODE" }
}

# The Pester module the restore brought: the packages folder and the pinned version come from the restore's own
# record (obj/project.assets.json), so NUGET_PACKAGES or a NuGet.Config elsewhere are followed.
function Find-RestoredPester {
    Invoke-Native 'dotnet restore (Pester)' { dotnet restore $pesterProject --nologo -v quiet }
    $assetsFile = Join-Path $root 'tests/Pester/obj/project.assets.json'
    $assets = Get-Content $assetsFile -Raw | ConvertFrom-Json
    $download = @($assets.project.frameworks.PSObject.Properties | ForEach-Object { $_.Value.downloadDependencies } | Where-Object name -eq 'Pester') | Select-Object -First 1
    if (-not $download) { throw "tests/Pester/Pester.Restore.csproj does not download Pester ($assetsFile)." }
    $version = $download.version -replace '^\[([^,\]]+).*$', '$1'
    foreach ($folder in $assets.packageFolders.PSObject.Properties.Name) {
        $manifest = Join-Path $folder "pester/$version/tools/Pester.psd1"
        if (Test-Path $manifest) { return $manifest }
    }
    throw "Pester $version was restored but no pester/$version/tools/Pester.psd1 is in $($assets.packageFolders.PSObject.Properties.Name -join ', ')."
}

if ('Build' -in $Task -or 'Package' -in $Task) {
    Invoke-Native 'dotnet build' { dotnet build (Join-Path $root 'LarkPS.sln') --configuration $Configuration --nologo }
}

if ('Test' -in $Task) {
    if (Test-Path $ResultsDirectory) { Remove-Item $ResultsDirectory -Recurse -Force }
    New-Item -ItemType Directory -Path $ResultsDirectory | Out-Null
    $failures = @()

    Write-Host '==> dotnet test (xunit)' -ForegroundColor Cyan
    [string[]] $noBuild = if ('Build' -in $Task) { '--no-build' } else { @() }
    dotnet test (Join-Path $root 'LarkPS.sln') --configuration $Configuration --nologo --logger trx --results-directory $ResultsDirectory @noBuild @DotnetTestArgument
    if ($LASTEXITCODE -ne 0) { $failures += "xunit (dotnet test exit code $LASTEXITCODE)" }

    # Pester runs even when xunit failed, so one run reports both.
    $pester = Find-RestoredPester
    Write-Host "==> Pester ($pester) in PowerShell $($PSVersionTable.PSVersion) $($PSVersionTable.PSEdition)" -ForegroundColor Cyan
    Import-Module $pester -Force
    $env:LARKPS_CONFIGURATION = $Configuration
    $config = New-PesterConfiguration
    $config.Run.Path = $PesterPath
    $config.Run.PassThru = $true
    $config.Output.Verbosity = 'Detailed'
    $config.TestResult.Enabled = $true
    $config.TestResult.OutputFormat = 'NUnitXml'
    $config.TestResult.OutputPath = Join-Path $ResultsDirectory 'pester.xml'
    # PowerShell7: needs 7+ (ForEach-Object -Parallel, Start-ThreadJob, PSResourceGet). Unix: needs Unix signals.
    $exclude = @()
    if ($PSVersionTable.PSEdition -ne 'Core') { $exclude += 'PowerShell7' }
    if ($PSVersionTable.PSEdition -ne 'Core' -or $IsWindows) { $exclude += 'Unix' }
    $config.Filter.ExcludeTag = $exclude
    # The tests run as a user's Invoke-Pester runs them: without this script's strict mode.
    $result = & { Set-StrictMode -Off; Invoke-Pester -Configuration $config }
    if ($result.FailedCount -gt 0 -or $result.FailedBlocksCount -gt 0 -or $result.FailedContainersCount -gt 0) {
        $failures += "Pester ($($result.FailedCount) failed test(s), $($result.FailedBlocksCount) failed block(s), $($result.FailedContainersCount) failed file(s))"
    }
    elseif ($result.PassedCount -eq 0) {
        $failures += 'Pester (no test ran)'
    }

    if ($failures) { throw "Tests failed: $($failures -join '; ')" }
}

if ('Package' -in $Task) {
    Write-Host '==> Package' -ForegroundColor Cyan
    Import-Module (Join-Path $root 'tools/LarkPS.Packaging.psm1') -Force
    $package = Publish-LarkPSPackage -ModulePath $moduleDir -Destination (Join-Path $root 'out/package')
    Write-Host "Packaged $($package.FullName) (install it with: Register-PSResourceRepository -Name LarkPSLocal -Uri $(Split-Path $package.FullName); Install-PSResource LarkPS -Repository LarkPSLocal)"
}
