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
        $formatted = Get-FormatData -TypeName 'LarkPS.Api.SentMessage', 'LarkPS.Session.LarkConnection', 'LarkPS.Commands.MessageCheck', 'LarkPS.Session.UnconfirmedMessage'
        @($formatted).Count | Should -Be 4
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

    It 'fits 80 columns with the whole MessageId, ContentType, the receiver (wrapped, not cut) and the time as one token' {
        $alice = $sandbox.Users['Alice'].openId
        $sent = @(Send-LarkMessage -ReceiveId $ops, $alice -ContentType interactive -Content '{"elements":[{"tag":"markdown","content":"hi"}]}')
        $sent.Count | Should -Be 2

        $lines = @(($sent | Out-String -Width 80) -split "`r?`n" | Where-Object { $_.Trim() })
        $lines | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual 80 }
        $lines[0] | Should -Match '^MessageId\s+ContentType\s+Created\s+ReceiveId\s*$'
        $text = $lines -join "`n"
        foreach ($message in Get-LarkSandboxInbox) {
            $message.message_id | Should -Match '^om_[0-9a-f]{32}$'
            # The whole id on one line, then the content type and the time as one token (HH:mm:ss).
            $text | Should -Match ('(?m)^' + [regex]::Escape($message.message_id) + ' interactive \d\d:\d\d:\d\d ')
        }
        # A 35-character id wraps onto the next line instead of being cut: both halves are there, in the last column.
        $receivers = ($lines | ForEach-Object { if ($_.Length -gt 57) { $_.Substring(57).Trim() } }) -join ''
        foreach ($id in $ops, $alice) {
            $receivers | Should -Match ([regex]::Escape($id))
        }

        $list = $sent[0] | Format-List * | Out-String -Width 80
        foreach ($name in 'MessageId', 'ChatId', 'ReceiveType', 'ReceiveId', 'ContentType', 'Uuid', 'CreateTime', 'LogId', 'Attempts') {
            $list | Should -Match "(?m)^$name\s+:"
        }
        $list | Should -Match ([regex]::Escape($sent[0].Uuid))
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
