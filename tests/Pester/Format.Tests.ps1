# The format views in LarkPS.Format.ps1xml, as a user sees the objects at the prompt.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/LarkPS.TestSupport.psm1')
    $sandbox = Start-LarkTestSandbox -Connect
    $ops = $sandbox.Chats['Ops alerts'].chatId
}

AfterAll { Stop-LarkTestSandbox }

Describe 'Format views' {
    BeforeEach { Reset-LarkSandbox }

    It 'has a view for each type the module outputs' {
        $formatted = Get-FormatData -TypeName 'LarkPS.Api.SentMessage', 'LarkPS.Session.LarkConnection', 'LarkPS.Commands.MessageCheck'
        @($formatted).Count | Should -Be 3
    }

    It 'shows sent messages as a table with the message id and receiver' {
        $sent = Send-LarkMessage -ReceiveType chat -ReceiveId $ops -Text 'hi'

        $sent.PSObject.TypeNames[0] | Should -Be 'LarkPS.Api.SentMessage'
        $table = $sent | Out-String -Width 200
        $table | Should -Match 'MessageId'
        $table | Should -Match 'ReceiveId'
        $table | Should -Match ([regex]::Escape(@(Get-LarkSandboxInbox)[0].message_id))
        $table | Should -Match ([regex]::Escape($ops))
    }

    It 'shows Test-LarkMessage -Detailed as a readable list' {
        $text = @{ receiveType = 'phone'; receiveId = '13800000001'; content = 'hi' } | Test-LarkMessage -Detailed | Out-String -Width 200

        $text | Should -Match 'IsValid'
        $text | Should -Match ([regex]::Escape('(looked up from phone +8613800000001)'))
        $text | Should -Match ([regex]::Escape('(generated when sent)'))
        $text | Should -Not -Match 'InputObject'
    }

    It 'shows the connection with its app, host and token expiry, and its last delivery in words' {
        Send-LarkMessage -ReceiveType chat -ReceiveId $ops -Text 'one' | Out-Null

        $text = Get-LarkConnection | Out-String -Width 200

        $text | Should -Match 'cli_sandbox'
        $text | Should -Match '127\.0\.0\.1'
        (Get-LarkConnection | Format-List * | Out-String -Width 200) | Should -Match '1 sent, 0 failed'
    }
}
