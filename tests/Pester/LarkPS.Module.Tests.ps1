# The module folder as it ships: a valid manifest, one version, the licence, the netstandard dependencies,
# and an import that works on this edition.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/LarkPS.TestSupport.psm1')
    Import-LarkPSUnderTest
    $moduleFolder = Join-Path (Get-LarkRepoRoot) 'out/LarkPS'
    $manifestPath = Join-Path $moduleFolder 'LarkPS.psd1'
}

Describe 'The LarkPS module folder' {
    It 'has a manifest that passes Test-ModuleManifest, naming no web home the project does not have' {
        # Issue 20/26: ProjectUri and LicenseUri pointed at https://github.com/larkps/LarkPS, which does not exist.
        # The licence ships in the module folder instead (below).
        $manifest = Test-ModuleManifest -Path $manifestPath -ErrorAction Stop

        $manifest.Name | Should -Be 'LarkPS'
        $manifest.LicenseUri | Should -BeNullOrEmpty
        $manifest.ProjectUri | Should -BeNullOrEmpty
        Get-Content $manifestPath -Raw | Should -Not -Match 'https?://'
        $manifest.ReleaseNotes | Should -Not -BeNullOrEmpty
        $manifest.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $manifest.PowerShellVersion | Should -Be ([version]'5.1')
    }

    It 'describes every cmdlet in its Description and ReleaseNotes, and exports the cmdlets docs/help documents' {
        $data = Import-PowerShellDataFile $manifestPath
        $cmdlets = @(Get-ChildItem (Join-Path (Get-LarkRepoRoot) 'docs/help') -Filter '*-*.md' | ForEach-Object BaseName | Sort-Object)
        $cmdlets.Count | Should -BeGreaterThan 8

        @($data.CmdletsToExport | Sort-Object) | Should -Be $cmdlets
        foreach ($name in $cmdlets) {
            $data.Description | Should -Match "\b$name\b"
            $data.PrivateData.PSData.ReleaseNotes | Should -Match ([regex]::Escape("${name}: " + (Get-Help $name).Synopsis))
        }
    }

    It 'exports exactly the cmdlets its manifest names' {
        $declared = (Import-PowerShellDataFile $manifestPath).CmdletsToExport | Sort-Object
        (Get-Command -Module LarkPS).Name | Sort-Object | Should -Be $declared
    }

    It 'takes its version from the repository''s LarkPS.psd1, and the DLL carries the same' {
        $source = (Import-PowerShellDataFile (Join-Path (Get-LarkRepoRoot) 'LarkPS.psd1')).ModuleVersion
        (Import-PowerShellDataFile $manifestPath).ModuleVersion | Should -Be $source
        $dll = [version](Get-Item (Join-Path $moduleFolder 'LarkPS.dll')).VersionInfo.FileVersion
        '{0}.{1}.{2}' -f $dll.Major, $dll.Minor, $dll.Build | Should -Be $source
        (Get-Module LarkPS).Version | Should -Be ([version]$source)
    }

    It 'ships the MIT licence in the module folder' {
        $license = Join-Path $moduleFolder 'LICENSE'
        $license | Should -Exist
        Get-Content $license -Raw | Should -Match 'MIT License'
        (Import-PowerShellDataFile $manifestPath).Copyright | Should -Match 'MIT'
    }

    It 'carries the netstandard dependencies Windows PowerShell 5.1 needs, and not System.Management.Automation' {
        Join-Path $moduleFolder 'LarkPS.dll' | Should -Exist
        Join-Path $moduleFolder 'System.Text.Json.dll' | Should -Exist
        Join-Path $moduleFolder 'System.Management.Automation.dll' | Should -Not -Exist
    }

    It 'reads JSON input (System.Text.Json) without a binding error on this edition' {
        { '{"receiveType":"chat","receiveId":"oc_0123456789abcdef0123456789abcdef","content":"{\"text\":\"hi\"}"}' | Test-LarkMessage } | Should -Not -Throw
    }

    It 'imports from the repository root too: Import-Module ./LarkPS.psd1 loads the built module, with its help and views' {
        # Issue 26: it failed with a FormatsToProcess path error.
        $root = Get-LarkRepoRoot
        $script = @"
Set-Location '$root'
`$module = Import-Module ./LarkPS.psd1 -PassThru -ErrorAction Stop
'PATH ' + `$module.Path
'CMDLETS ' + ((Get-Command -Module LarkPS | ForEach-Object Name | Sort-Object) -join ',')
'HELP ' + (Get-Help Send-LarkMessage).Synopsis
'ABOUT ' + [bool](Get-Help about_LarkPS | Out-String | Select-String 'LONG DESCRIPTION')
'VIEW ' + [bool](Get-FormatData -TypeName LarkPS.Api.SentMessage)
'VERSION ' + `$module.Version
"@
        $child = Invoke-LarkChildPowerShell -Script $script -NoModule

        $child.ExitCode | Should -Be 0 -Because $child.Errors
        $child.Output | Should -Match ('PATH ' + [regex]::Escape((Join-Path $moduleFolder 'LarkPS.dll')))
        $expected = (Get-Command -Module LarkPS | ForEach-Object Name | Sort-Object) -join ','
        $child.Output | Should -Match ('CMDLETS ' + [regex]::Escape($expected) + '\r?\n')
        $child.Output | Should -Match 'HELP Sends Lark'
        $child.Output | Should -Match 'ABOUT True'
        $child.Output | Should -Match 'VIEW True'
        $child.Output | Should -Match ('VERSION ' + [regex]::Escape((Import-PowerShellDataFile (Join-Path $root 'LarkPS.psd1')).ModuleVersion))
    }

    It 'says how to build when Import-Module ./LarkPS.psd1 runs in a clone that is not built' {
        # A clone without out/: the repository's manifest and what it loads, nothing else.
        $clone = Join-Path $TestDrive 'clone'
        New-Item -ItemType Directory -Path (Join-Path $clone 'tools') | Out-Null
        Copy-Item (Join-Path (Get-LarkRepoRoot) 'LarkPS.psd1') $clone
        $guard = Join-Path (Get-LarkRepoRoot) 'tools/LarkPS.NotBuilt.psm1'
        if (Test-Path $guard) { Copy-Item $guard (Join-Path $clone 'tools') }

        $child = Invoke-LarkChildPowerShell -Script "Set-Location '$clone'; Import-Module ./LarkPS.psd1" -NoModule

        $child.ExitCode | Should -Not -Be 0
        $child.Errors | Should -Match ([regex]::Escape('dotnet build LarkPS.sln'))
        $child.Errors | Should -Match 'not built'
    }

    It 'binds System.Text.Json to PowerShell 7''s own runtime copy' -Tag 'PowerShell7' {
        [System.Text.Json.JsonSerializer].Assembly.Location | Should -Not -Match ([regex]::Escape([IO.Path]::Combine('out', 'LarkPS')))
    }
}
