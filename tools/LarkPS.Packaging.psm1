# Packaging LarkPS as users install it, with PSResourceGet (shipped with PowerShell 7.4+): build.ps1 -Task Package
# and tests/Pester/Packaging.Tests.ps1 share these two steps. A file repository stands in for the PowerShell
# Gallery; the .nupkg it receives is what Publish-PSResource would upload there.

Set-StrictMode -Version Latest

# Runs $Action with a file repository registered under a throwaway name, and unregisters it afterwards, so the
# user's own repository list is left as it was.
function Invoke-WithFileRepository([string] $Path, [scriptblock] $Action) {
    if (-not (Get-Command Register-PSResourceRepository -ErrorAction SilentlyContinue)) {
        throw 'PSResourceGet (Microsoft.PowerShell.PSResourceGet) is needed to package LarkPS: it ships with PowerShell 7.4+; run ./build.ps1 under `dotnet pwsh`.'
    }
    New-Item -ItemType Directory -Path $Path -Force | Out-Null
    $name = 'LarkPSLocal' + [guid]::NewGuid().ToString('N').Substring(0, 8)
    Register-PSResourceRepository -Name $name -Uri ([System.IO.Path]::GetFullPath($Path)) -Trusted
    try { & $Action $name }
    finally { Unregister-PSResourceRepository -Name $name }
}

function Publish-LarkPSPackage {
    <#
    .SYNOPSIS
        Publishes the module folder (out/LarkPS) to the file repository -Destination; returns the .nupkg.
    #>
    param([Parameter(Mandatory)] [string] $ModulePath, [Parameter(Mandatory)] [string] $Destination)
    $version = (Import-PowerShellDataFile (Join-Path $ModulePath 'LarkPS.psd1')).ModuleVersion
    $nupkg = Join-Path $Destination "LarkPS.$version.nupkg"
    if (Test-Path $nupkg) { Remove-Item $nupkg }
    Invoke-WithFileRepository $Destination { param($repository) Publish-PSResource -Path $ModulePath -Repository $repository }
    Get-Item $nupkg
}

function Install-LarkPSPackage {
    <#
    .SYNOPSIS
        Installs LarkPS from the file repository -Repository into the module folder -Destination (LarkPS/<version>/),
        as Install-PSResource does into a folder of $env:PSModulePath.
    #>
    param([Parameter(Mandatory)] [string] $Repository, [Parameter(Mandatory)] [string] $Destination)
    Invoke-WithFileRepository $Repository { param($repository) Save-PSResource -Name LarkPS -Repository $repository -Path $Destination -TrustRepository }
}

Export-ModuleMember -Function Publish-LarkPSPackage, Install-LarkPSPackage
