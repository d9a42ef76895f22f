# The package as users install it: what build.ps1 -Task Package makes (Publish-PSResource to a file repository),
# installed from that repository into a fresh module path, then `Import-Module LarkPS` by name in a new PowerShell.
# PowerShell 7.4+ ships PSResourceGet; on Windows PowerShell 5.1 it is an extra install, so this is tagged PowerShell7.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/LarkPS.TestSupport.psm1')
    Import-Module (Join-Path (Get-LarkRepoRoot) 'tools/LarkPS.Packaging.psm1') -Force
}

Describe 'Publish, install, import' -Tag 'PowerShell7' {
    It 'publishes out/LarkPS to a file repository, installs it into a fresh module path and imports LarkPS by name' {
        $repository = Join-Path $TestDrive 'repository'
        $modules = Join-Path $TestDrive 'modules'
        New-Item -ItemType Directory -Path $modules | Out-Null
        $version = (Import-PowerShellDataFile (Join-Path (Get-LarkRepoRoot) 'LarkPS.psd1')).ModuleVersion

        $package = Publish-LarkPSPackage -ModulePath (Join-Path (Get-LarkRepoRoot) 'out/LarkPS') -Destination $repository
        $package.Name | Should -Be "LarkPS.$version.nupkg"
        Install-LarkPSPackage -Repository $repository -Destination $modules
        Join-Path $modules "LarkPS/$version/LICENSE" | Should -Exist

        $sep = [IO.Path]::PathSeparator
        $script = @'
$module = Import-Module LarkPS -PassThru -ErrorAction Stop
'MODULEBASE ' + $module.ModuleBase
'VERSION ' + $module.Version
'CMDLETS ' + ((Get-Command -Module LarkPS).Name -join ',')
'VALID ' + (Test-LarkMessage -ReceiveType chat -ReceiveId oc_0123456789abcdef0123456789abcdef -Text hi)
'HELP ' + (Get-Help Send-LarkMessage).Synopsis
'VIEW ' + ((Get-FormatData -TypeName LarkPS.Api.SentMessage) -ne $null)
'@
        $child = Invoke-LarkChildPowerShell -Script $script -NoModule -Environment @{ PSModulePath = "$modules$sep$PSHOME/Modules" }

        $child.ExitCode | Should -Be 0 -Because $child.Errors
        $child.Output | Should -Match ('MODULEBASE ' + [regex]::Escape((Join-Path $modules "LarkPS/$version")))
        $child.Output | Should -Match "VERSION $([regex]::Escape($version))"
        $child.Output | Should -Match 'CMDLETS .*Send-LarkMessage'
        $child.Output | Should -Match 'VALID True'
        $child.Output | Should -Match 'HELP Sends Lark'
        $child.Output | Should -Match 'VIEW True'
    }
}
