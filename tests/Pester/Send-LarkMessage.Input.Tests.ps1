# Send-LarkMessage takes what administrators have: the Tapdata Lark connector's message body as JSON text,
# CSV rows, objects from ConvertFrom-Json, hashtables, or parameters.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/LarkPS.TestSupport.psm1')
    $sandbox = Start-LarkTestSandbox -Connect
    $alice = $sandbox.Users['Alice']
    $bob = $sandbox.Users['Bob']
    $ops = $sandbox.Chats['Ops alerts'].chatId
}

AfterAll { Stop-LarkTestSandbox }

Describe 'Send-LarkMessage input' {
    BeforeEach { Reset-LarkSandbox }

    It 'sends every message of the seed message body piped as JSON text from a file' {
        $file = Join-Path $TestDrive 'body.json'
        $body = @(
            @{ receiveType = 'user'; receiveId = $alice.openId; contentType = 'text'; content = '{"text":"Hello!"}' }
            @{ receiveType = 'email'; receiveId = $bob.email; content = '{"text":"Hi Bob"}' }
            @{ receiveType = 'chat'; receiveId = $ops; contentType = 'post'; content = '{"en_us":{"title":"Nightly","content":[[{"tag":"text","text":"green"}]]}}' }
        ) | ConvertTo-Json
        Set-Content -Path $file -Value $body -Encoding UTF8

        $sent = Get-Content -Path $file -Raw | Send-LarkMessage

        @($sent).Count | Should -Be 3
        $delivered = @(Get-LarkSandboxInbox)
        $delivered.Count | Should -Be 3
        ($delivered | Where-Object receive_id_type -eq 'open_id').receive_id | Should -Be $alice.openId
        ($delivered | Where-Object receive_id_type -eq 'email').content | Should -Be '{"text":"Hi Bob"}'
        ($delivered | Where-Object msg_type -eq 'post').content | Should -Match 'Nightly'
    }

    It 'skips a CSV row whose every cell is empty (a spreadsheet''s trailing rows) with a BOM and spaced headers' {
        $file = Join-Path $TestDrive 'people.csv'
        [IO.File]::WriteAllText($file, ([char]0xFEFF) + "Name, Email ,Message`nAlice,$($alice.email),hi`n,,`n , ,`n`n", [Text.UTF8Encoding]::new($false))

        $sent = @(Import-Csv $file | Send-LarkMessage -ErrorVariable failed -Verbose 4>&1)
        $checks = @(Import-Csv $file | Test-LarkMessage)

        $failed.Count | Should -Be 0
        @($sent | Where-Object { $_ -is [LarkPS.Api.SentMessage] }).Count | Should -Be 1
        @($sent | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'item 2: every property is empty*skipped*' }).Count | Should -Be 1
        @(Get-LarkSandboxInbox).Count | Should -Be 1
        $checks | Should -Be @($true)
    }

    It 'sends the repository''s examples/seed-body.json as is' {
        $seedFile = Join-Path (Get-LarkRepoRoot) 'examples/seed-body.json'
        $items = @(Get-Content $seedFile -Raw | ConvertFrom-Json | ForEach-Object { $_ })

        $sent = Get-Content $seedFile -Raw | Send-LarkMessage

        @($sent).Count | Should -Be $items.Count
        @(Get-LarkSandboxInbox).Count | Should -Be $items.Count
        foreach ($item in $items) {
            $match = @(Get-LarkSandboxInbox | Where-Object { $_.receive_id -eq $item.receiveId })
            $match.Count | Should -Be 1
            ConvertTo-LarkCanonicalJson $match[0].content | Should -Be (ConvertTo-LarkCanonicalJson $item.content)
        }
    }

    It 'sends one message per CSV row, bound by property name' {
        $csv = Join-Path $TestDrive 'oncall.csv'
        @(
            'receiveType,receiveId,content'
            "email,$($alice.email),Alice is on call"
            "phone,13800000002,Bob is on call"
        ) | Set-Content -Path $csv -Encoding UTF8

        $sent = Import-Csv $csv | Send-LarkMessage

        @($sent).Count | Should -Be 2
        $delivered = @(Get-LarkSandboxInbox)
        ($delivered | Where-Object receive_id_type -eq 'email').content | Should -Be '{"text":"Alice is on call"}'
        ($delivered | Where-Object receive_id -eq $bob.openId).content | Should -Be '{"text":"Bob is on call"}'
    }

    It 'sends objects from ConvertFrom-Json, with Lark''s own snake_case names too' {
        $json = '[{"receive_id_type":"chat_id","receive_id":"' + $ops + '","msg_type":"text","content":"{\"text\":\"snake\"}"},{"receiveType":"user","receiveId":"' + $alice.openId + '","content":"camel"}]'

        $sent = $json | ConvertFrom-Json | ForEach-Object { $_ } | Send-LarkMessage

        @($sent).Count | Should -Be 2
        $delivered = @(Get-LarkSandboxInbox)
        ($delivered | Where-Object receive_id -eq $ops).content | Should -Be '{"text":"snake"}'
        ($delivered | Where-Object receive_id -eq $alice.openId).content | Should -Be '{"text":"camel"}'
    }

    It 'sends hashtables, a plain string content being the text' {
        $sent = @{ receiveType = 'chat'; receiveId = $ops; content = 'from a hashtable' }, @{ receiveType = 'email'; receiveId = $bob.email; content = 'second' } | Send-LarkMessage

        @($sent).Count | Should -Be 2
        (@(Get-LarkSandboxInbox).content | Sort-Object) | Should -Be @('{"text":"from a hashtable"}', '{"text":"second"}')
    }

    It 'sends one message from parameters, -Text being the shortcut for a text message' {
        Send-LarkMessage -ReceiveType chat -ReceiveId $ops -Text "Backup done`nAll green" -Uuid 'backup-2026-11-25' | Out-Null
        Send-LarkMessage -ReceiveType email -ReceiveId $alice.email -ContentType post -Content @{ en_us = @{ title = 'T'; content = @(, @(@{ tag = 'text'; text = 'x' })) } } | Out-Null

        $delivered = @(Get-LarkSandboxInbox)
        $text = $delivered | Where-Object msg_type -eq 'text'
        $text.content | Should -Be '{"text":"Backup done\nAll green"}'
        $text.uuid | Should -Be 'backup-2026-11-25'
        (($delivered | Where-Object msg_type -eq 'post').content | ConvertFrom-Json).en_us.title | Should -Be 'T'
    }

    It 'says when Lark answered a -Uuid with the message an earlier run sent under it, and marks it AlreadySent' {
        $first = Send-LarkMessage -ReceiveId $ops -Text 'Backup done' -Uuid 'backup-2026-11-25' -ErrorAction Stop
        # The earlier run was ten minutes ago (within Lark's hour for a uuid).
        Invoke-RestMethod -Method Post -Uri "$($sandbox.Url)/_sandbox/messages/$($first.MessageId)/age" -ContentType 'application/json' -Body '{"minutes":10}' | Out-Null

        $again = Send-LarkMessage -ReceiveId $ops -Text 'Backup failed after all' -Uuid 'backup-2026-11-25' -ErrorAction Stop -WarningVariable warned -WarningAction SilentlyContinue
        $fresh = Send-LarkMessage -ReceiveId $ops -Text 'A new one' -ErrorAction Stop -WarningVariable freshWarned -WarningAction SilentlyContinue

        $again.MessageId | Should -Be $first.MessageId
        $again.AlreadySent | Should -BeTrue
        $warned.Count | Should -Be 1
        [string]$warned[0] | Should -Match '^1 message was not delivered again: Lark answered it with the message it had sent under the same uuid before this run'
        [string]$warned[0] | Should -Match 'give each its own uuid'
        @(Get-LarkSandboxInbox | Where-Object { $_.content -match 'Backup' }).content | Should -Be '{"text":"Backup done"}'
        $first.AlreadySent | Should -BeFalse
        $fresh.AlreadySent | Should -BeFalse
        $freshWarned.Count | Should -Be 0
    }
}
