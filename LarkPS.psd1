# LarkPS's identity and the one source of its version (ModuleVersion: src/LarkPS/LarkPS.csproj reads it for the DLL).
# The build writes the manifest that ships, out/LarkPS/LarkPS.psd1, from this file and docs/help/*.md (the list of
# cmdlets): tools/LarkPS.HelpGen.
#
# From a clone, after `dotnet build LarkPS.sln`, `Import-Module ./LarkPS.psd1` loads that built module (RootModule
# below); before a build it stops and says to build (tools/LarkPS.NotBuilt.psm1).
@{
    RootModule           = 'out/LarkPS/LarkPS.psd1'
    NestedModules        = @('tools/LarkPS.NotBuilt.psm1')
    ModuleVersion        = '0.1.0'
    GUID                 = '6f3c1d2e-8a4b-4f7e-9c21-5b7d0e9a3f44'
    Author               = 'LarkPS contributors'
    CompanyName          = 'LarkPS'
    Copyright            = '(c) LarkPS contributors. MIT License.'
    Description          = 'Send Lark / Feishu messages from PowerShell automation: paced at Lark''s quotas, retried, never sent twice.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    DotNetFrameworkVersion = '4.7.2'
    # Whatever out/LarkPS/LarkPS.psd1 exports: the cmdlets that have help in docs/help.
    CmdletsToExport      = '*'
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Lark', 'Feishu', 'Messaging', 'Notification', 'Bot', 'PSEdition_Desktop', 'PSEdition_Core')
            # The build adds every cmdlet with its synopsis.
            ReleaseNotes = '0.1.0: the first release, not yet on the PowerShell Gallery (build from source).'
        }
    }
}
