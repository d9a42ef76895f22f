# What scripts rely on beyond the wire format: nothing twice, results in input order, one token, phone numbers
# looked up in batches, connections held in variables.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/LarkPS.TestSupport.psm1')
    $sandbox = Start-LarkTestSandbox -Connect
    $ops = $sandbox.Chats['Ops alerts'].chatId
    $general = $sandbox.Chats['General'].chatId
}

AfterAll { Stop-LarkTestSandbox }

Describe 'Send-LarkMessage delivery' {
    BeforeEach { Reset-LarkSandbox }

    It 'delivers the same uuid once, even when given twice' {
        $sent = 1..2 | ForEach-Object { [pscustomobject]@{ receiveType = 'chat'; receiveId = $ops; content = 'once'; uuid = 'job-42' } } | Send-LarkMessage

        @(Get-LarkSandboxInbox).Count | Should -Be 1
        @($sent).Count | Should -Be 2
        $sent[0].MessageId | Should -Be $sent[1].MessageId
    }

    It 'writes results in input order even when some items are retried' {
        Set-LarkSandboxFault @{ failBeforeStore = 3; latencyMs = 30 } | Out-Null
        $to = $ops, $general

        $sent = 1..20 | ForEach-Object { [pscustomobject]@{ receiveType = 'chat'; receiveId = $to[$_ % 2]; content = "n$_"; uuid = "order-$_" } } | Send-LarkMessage

        @($sent).Uuid | Should -Be (1..20 | ForEach-Object { "order-$_" })
        @($sent | Where-Object Attempts -gt 1).Count | Should -BeGreaterThan 0
        @(Get-LarkSandboxInbox).Count | Should -Be 20
    }

    It 'sends every request with the bearer token, LarkPS''s User-Agent and its own uuid, on one token' {
        1..5 | ForEach-Object { @{ receiveType = 'chat'; receiveId = $ops; content = "n$_" } } | Send-LarkMessage | Out-Null

        $sends = @(Get-LarkSandboxSend)
        $sends.Count | Should -Be 5
        $sends | ForEach-Object { $_.headers.Authorization | Should -Match '^Bearer t-' }
        $sends | ForEach-Object { $_.headers.'User-Agent' | Should -Match '^LarkPS/' }
        @($sends | ForEach-Object { ($_.body | ConvertFrom-Json).uuid } | Sort-Object -Unique).Count | Should -Be 5
        (Get-LarkSandboxStat).tokensIssued | Should -Be 0 -Because 'the token fetched at connect is still good'
    }

    It 'looks phone numbers up in batches, not one call each' {
        $numbers = '13800000001', '13800000002', '+14155550100'

        1..30 | ForEach-Object { [pscustomobject]@{ receiveType = 'phone'; receiveId = $numbers[$_ % 3]; content = "n$_" } } | Send-LarkMessage -ThrottleLimit 16 | Out-Null

        @(Get-LarkSandboxInbox).Count | Should -Be 30
        @(Get-LarkSandboxRequest | Where-Object { $_.path_and_query -match 'batch_get_id' }).Count | Should -BeIn 1, 2, 3
    }
}

Describe 'Send-LarkMessage -Connection' {
    BeforeEach { Reset-LarkSandbox }

    It 'keeps using a connection held in a variable after connecting again' {
        $first = Connect-LarkSandbox -PassThru
        Connect-LarkSandbox

        Send-LarkMessage -Connection $first -ReceiveType chat -ReceiveId $ops -Text 'via the first connection' | Out-Null
        Disconnect-Lark

        (@(Get-LarkSandboxInbox)[0].content | ConvertFrom-Json).text | Should -Be 'via the first connection'
        $first.IsClosed | Should -BeFalse -Because 'Disconnect-Lark closes the session''s current connection, not one held elsewhere'
        Connect-LarkSandbox
    }

    It 'refuses a connection closed by Disconnect-Lark, saying so' {
        $closed = Connect-LarkSandbox -PassThru
        Disconnect-Lark
        try {
            $err = { Send-LarkMessage -Connection $closed -ReceiveType chat -ReceiveId $ops -Text 'x' } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Be 'NotConnected,LarkPS.Commands.SendLarkMessageCommand'
            $err.Exception.Message | Should -Match 'Disconnect-Lark'
        }
        finally {
            Connect-LarkSandbox
        }
    }
}
