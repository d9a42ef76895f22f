# -WhatIf sends nothing at all; -Confirm asks once per message and sends only what was confirmed. The
# -Confirm prompts are answered the way a user answers them: typed into a real PowerShell console.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/LarkPS.TestSupport.psm1')
    $sandbox = Start-LarkTestSandbox -Connect
    $ops = $sandbox.Chats['Ops alerts'].chatId
}

AfterAll { Stop-LarkTestSandbox }

Describe 'Send-LarkMessage -WhatIf' {
    BeforeEach { Reset-LarkSandbox }

    It 'sends nothing at all and returns nothing' {
        $result = 1..3 | ForEach-Object { @{ receiveType = 'chat'; receiveId = $ops; content = "n$_" } } | Send-LarkMessage -WhatIf

        $result | Should -BeNullOrEmpty
        @(Get-LarkSandboxRequest).Count | Should -Be 0
        @(Get-LarkSandboxInbox).Count | Should -Be 0
    }

    It 'names each message by its type with the right article' {
        $script = @"
`$card = '{"elements":[{"tag":"markdown","content":"disk full"}]}'
Send-LarkMessage -ReceiveType chat -ReceiveId '$ops' -Text 'hi' -WhatIf
Send-LarkMessage -ReceiveType chat -ReceiveId '$ops' -ContentType interactive -Content `$card -WhatIf
"@

        $child = Invoke-LarkChildPowerShell -Script $script

        $child.ExitCode | Should -Be 0 -Because $child.Errors
        $child.Output | Should -Match 'Send a text message'
        $child.Output | Should -Match 'Send an interactive message'
        $child.Output | Should -Not -Match 'Send a interactive'
        @(Get-LarkSandboxRequest).Count | Should -Be 0
    }

    It 'works without a connection and makes no request, not even for a token' {
        Disconnect-Lark
        try {
            { Send-LarkMessage -ReceiveType chat -ReceiveId $ops -Text 'hi' -WhatIf -ErrorAction Stop } | Should -Not -Throw
            @(Get-LarkSandboxRequest).Count | Should -Be 0
        }
        finally {
            Connect-LarkSandbox
        }
    }
}

Describe 'Send-LarkMessage -Confirm' {
    BeforeEach { Reset-LarkSandbox }

    It 'asks once per message, naming the receiver, and sends only the ones answered Yes' {
        $script = @"
Connect-Lark -BaseUri '$($sandbox.Url)' -AppId cli_sandbox -AppSecret (ConvertTo-SecureString '$($sandbox.AppSecret)' -AsPlainText -Force)
1..3 | ForEach-Object { @{ receiveType = 'chat'; receiveId = '$ops'; content = "n`$_" } } | Send-LarkMessage -Confirm | ForEach-Object { 'SENT ' + `$_.MessageId }
"@

        $child = Invoke-LarkChildPowerShell -Script $script -InputLine 'Y', 'N', 'Y'

        $child.ExitCode | Should -Be 0 -Because $child.Errors
        $prompts = [regex]::Matches($child.Output, 'Are you sure you want to perform this action\?')
        $prompts.Count | Should -Be 3
        ([regex]::Matches($child.Output, [regex]::Escape($ops))).Count | Should -BeGreaterOrEqual 3
        ([regex]::Matches($child.Output, 'SENT om_')).Count | Should -Be 2
        (@(Get-LarkSandboxInbox).content | Sort-Object) | Should -Be @('{"text":"n1"}', '{"text":"n3"}')
    }
}
