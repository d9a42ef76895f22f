# The module manifest and the one source of LarkPS's version: src/LarkPS/LarkPS.csproj reads ModuleVersion from here.
# The build copies it into out/LarkPS beside LarkPS.dll; import that copy (Import-Module ./out/LarkPS/LarkPS.psd1),
# not this one, which has no LarkPS.dll beside it.
@{
    RootModule           = 'LarkPS.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '6f3c1d2e-8a4b-4f7e-9c21-5b7d0e9a3f44'
    Author               = 'LarkPS contributors'
    CompanyName          = 'LarkPS'
    Copyright            = '(c) LarkPS contributors. MIT License.'
    Description          = 'Send Lark / Feishu messages from PowerShell automation: Connect-Lark, Send-LarkMessage, Test-LarkMessage.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('LarkPS.Format.ps1xml')
    CmdletsToExport      = @(
        'Connect-Lark'
        'Disconnect-Lark'
        'Get-LarkConnection'
        'Get-LarkChat'
        'Get-LarkUser'
        'Send-LarkMessage'
        'Test-LarkMessage'
        'Set-LarkMessage'
        'Remove-LarkMessage'
        'ConvertTo-LarkCard'
        'New-LarkCard'
        'Receive-LarkEvent'
        'Wait-LarkCardAction'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Lark', 'Feishu', 'Messaging', 'Notification', 'Bot', 'PSEdition_Desktop', 'PSEdition_Core')
            ProjectUri   = 'https://github.com/larkps/LarkPS'
            LicenseUri   = 'https://github.com/larkps/LarkPS/blob/main/LICENSE'
            ReleaseNotes = '0.1.0: the first release. Connect-Lark (App ID and secret, PSCredential or environment), Send-LarkMessage (the Tapdata connector''s message body, CSV, JSON or hashtables; paced at Lark''s quotas, retried, never sent twice), Test-LarkMessage, Get-LarkConnection, Disconnect-Lark.'
        }
    }
}
