# The module folder as it ships: a valid manifest, one version, the licence, the netstandard dependencies,
# and an import that works on this edition.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/LarkPS.TestSupport.psm1')
    Import-LarkPSUnderTest
    $moduleFolder = Join-Path (Get-LarkRepoRoot) 'out/LarkPS'
    $manifestPath = Join-Path $moduleFolder 'LarkPS.psd1'
}

Describe 'The LarkPS module folder' {
    It 'has a manifest that passes Test-ModuleManifest, with licence, project and release notes' {
        $manifest = Test-ModuleManifest -Path $manifestPath -ErrorAction Stop

        $manifest.Name | Should -Be 'LarkPS'
        [string]$manifest.LicenseUri | Should -Match '^https://'
        [string]$manifest.ProjectUri | Should -Match '^https://'
        $manifest.ReleaseNotes | Should -Not -BeNullOrEmpty
        $manifest.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $manifest.PowerShellVersion | Should -Be ([version]'5.1')
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

    It 'ships the MIT licence the manifest points to' {
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

    It 'binds System.Text.Json to PowerShell 7''s own runtime copy' -Tag 'PowerShell7' {
        [System.Text.Json.JsonSerializer].Assembly.Location | Should -Not -Match ([regex]::Escape([IO.Path]::Combine('out', 'LarkPS')))
    }
}
