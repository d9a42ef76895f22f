# What an administrator writes first, in real pwsh (the suite runs -NonInteractive, so any prompt fails the test):
# a people CSV as it is, the column names people's data has, receiveType from the id, several receivers, a JSON
# file piped line by line. Checked in what the sandbox received.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/LarkPS.TestSupport.psm1')
    $sandbox = Start-LarkTestSandbox -Connect
    $ops = $sandbox.Chats['Ops alerts'].chatId
    $sendId = 'LarkPS.Commands.SendLarkMessageCommand'
    $csv = Join-Path ([System.IO.Path]::GetTempPath()) ('people-' + [guid]::NewGuid().ToString('N') + '.csv')
    Set-Content -Path $csv -Encoding UTF8 -Value @('Name,Email,Message', 'Alice,alice@example.com,Hello Alice', 'Bob,bob@example.com,Hello Bob', 'Erin,erin@example.com,Hello Erin')
}

AfterAll {
    Remove-Item $csv -ErrorAction SilentlyContinue
    Stop-LarkTestSandbox
}

Describe 'Admin pipelines in real pwsh' {
    BeforeEach { Reset-LarkSandbox }

    It 'sends people.csv (Name, Email, Message) as it is, <How>, without prompting' -ForEach @(
        @{ How = 'with -ReceiveType email'; Extra = @{ ReceiveType = 'email' } }
        @{ How = 'with no parameters'; Extra = @{} }
    ) {
        $sent = @(Import-Csv $csv | Send-LarkMessage @Extra -ErrorVariable failed)

        $failed.Count | Should -Be 0
        $sent.Count | Should -Be 3
        $inbox = @(Get-LarkSandboxInbox | Sort-Object receive_id)
        @($inbox.receive_id) | Should -Be @('alice@example.com', 'bob@example.com', 'erin@example.com')
        @($inbox.receive_id_type | Select-Object -Unique) | Should -Be @('email')
        @($inbox.content) | Should -Be @('{"text":"Hello Alice"}', '{"text":"Hello Bob"}', '{"text":"Hello Erin"}')
    }

    It 'reads <Column> as a <Type> receiver' -ForEach @(
        @{ Column = 'Mail'; Value = 'alice@example.com'; Type = 'email'; WireId = 'alice@example.com' }
        @{ Column = 'UserPrincipalName'; Value = 'bob@example.com'; Type = 'email'; WireId = 'bob@example.com' }
        @{ Column = 'Mobile'; Value = '13800000002'; Type = 'open_id'; WireId = 'ou_94e54bbce8572323ffd2743ed383ebd7' }
        @{ Column = 'chat_id'; Value = 'oc_39927562fa25da07df6771450e18c70e'; Type = 'chat_id'; WireId = 'oc_39927562fa25da07df6771450e18c70e' }
        @{ Column = 'OpenId'; Value = 'ou_f4313f39e4433a103e6fa8db37a8787f'; Type = 'open_id'; WireId = 'ou_f4313f39e4433a103e6fa8db37a8787f' }
    ) {
        $row = [pscustomobject]@{ $Column = $Value; Body = "to $Column" }

        $row | Send-LarkMessage | Out-Null

        $inbox = @(Get-LarkSandboxInbox)
        $inbox.Count | Should -Be 1
        $inbox[0].receive_id_type | Should -Be $Type
        $inbox[0].receive_id | Should -Be $WireId
        $inbox[0].content | Should -Be ('{"text":"to ' + $Column + '"}')
    }

    It 'names the properties an item had when none of them is a receiver, and sends the others' {
        $rows = @([pscustomobject]@{ Name = 'Nobody'; Department = 'Ops'; Message = 'lost' }, [pscustomobject]@{ Email = 'bob@example.com'; Message = 'found' })

        $sent = @($rows | Send-LarkMessage -ErrorVariable failed -ErrorAction SilentlyContinue)

        $sent.Count | Should -Be 1
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be "InvalidMessage,$sendId"
        $failed[0].ErrorDetails.Message | Should -Match 'Name'
        $failed[0].ErrorDetails.Message | Should -Match 'Department'
        @(Get-LarkSandboxInbox).content | Should -Be @('{"text":"found"}')
    }

    It 'infers the receiveType from a positional receiver, and refuses one that contradicts it' {
        Send-LarkMessage bob@example.com 'positional' | Out-Null
        Send-LarkMessage $ops 'to the chat' | Out-Null

        $inbox = @(Get-LarkSandboxInbox | Sort-Object receive_id_type)
        @($inbox.receive_id_type) | Should -Be @('chat_id', 'email')
        $inbox[1].receive_id | Should -Be 'bob@example.com'

        $err = { Send-LarkMessage -ReceiveType chat bob@example.com 'wrong' -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be "InvalidMessage,$sendId"
        $err.ErrorDetails.Message | Should -Match 'email'
        @(Get-LarkSandboxInbox).Count | Should -Be 2
    }

    It 'sends one message to each of three receivers, each with its own uuid' {
        $sent = @(Send-LarkMessage -ReceiveId alice@example.com, bob@example.com, $ops -Text 'to three')

        $sent.Count | Should -Be 3
        $inbox = @(Get-LarkSandboxInbox)
        @($inbox.receive_id | Sort-Object) | Should -Be @('alice@example.com', 'bob@example.com', $ops | Sort-Object)
        @($inbox.uuid | Select-Object -Unique).Count | Should -Be 3
    }

    It 'reads a JSON body piped line by line (Get-Content without -Raw) as one document' {
        $file = Join-Path ([System.IO.Path]::GetTempPath()) ('body-' + [guid]::NewGuid().ToString('N') + '.json')
        $body = @(
            '['
            '  {'
            '    "receiveType": "chat",'
            "    `"receiveId`": `"$ops`","
            '    "content": "{\"text\":\"line by line\"}"'
            '  },'
            '  { "receiveType": "email", "receiveId": "bob@example.com", "content": "{\"text\":\"second\"}" }'
            ']'
        )
        Set-Content -Path $file -Encoding UTF8 -Value $body
        try {
            $sent = @(Get-Content $file | Send-LarkMessage -ErrorVariable failed)
        }
        finally { Remove-Item $file -ErrorAction SilentlyContinue }

        $failed.Count | Should -Be 0
        $sent.Count | Should -Be 2
        @(Get-LarkSandboxInbox).content | Sort-Object | Should -Be @('{"text":"line by line"}', '{"text":"second"}')
    }
}
