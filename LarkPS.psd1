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
        'Send-LarkMessage'
        'Test-LarkMessage'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('Lark', 'Feishu', 'Messaging', 'Notification', 'Bot', 'PSEdition_Desktop', 'PSEdition_Core')
            ProjectUri = 'https://github.com/larkps/LarkPS'
        }
    }
}
