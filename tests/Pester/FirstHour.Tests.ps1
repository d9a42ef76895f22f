# Issue 26, "The first hour": findings 1, 4, 5, 7 and 9 as a newcomer meets them in real pwsh, judged by what the
# user sees (error id, target, message) and by what the sandbox received. Each of these failed on 16cef51.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/LarkPS.TestSupport.psm1')
    $sandbox = Start-LarkTestSandbox -Connect
    $ops = $sandbox.Chats['Ops alerts'].chatId
    $general = $sandbox.Chats['General'].chatId
    $alice = $sandbox.Users['Alice']
    $bob = $sandbox.Users['Bob']
    $sendId = 'LarkPS.Commands.SendLarkMessageCommand'
    $userId = 'LarkPS.Commands.GetLarkUserCommand'
    $folder = Join-Path ([System.IO.Path]::GetTempPath()) ('first-hour-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $folder | Out-Null

    # The README's people.csv as it is: a Name, an Email, a Phone and a Message per person.
    $people = Join-Path $folder 'people.csv'
    Set-Content -Path $people -Encoding UTF8 -Value @(
        'Name,Email,Phone,Message'
        "Alice,$($alice.email),$($alice.mobile),Hello Alice"
        "Bob,$($bob.email),$($bob.mobile),Hello Bob"
    )

    function Get-Completion([string] $Line) {
        @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches)
    }
}

AfterAll {
    Remove-Item $folder -Recurse -Force -ErrorAction SilentlyContinue
    Stop-LarkTestSandbox
}

Describe 'Finding 1: one input row is one message' {
    BeforeEach { Reset-LarkSandbox }

    It 'Import-Csv | Get-LarkUser | ? Status -eq Found | Send-LarkMessage reaches each person of a row with Email and Phone once' {
        $users = @(Import-Csv $people | Get-LarkUser -Verbose 4>&1)
        $verbose = @($users | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
        $users = @($users | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })

        $users.Count | Should -Be 2
        @($users.InputType) | Should -Be @('Email', 'Email')
        @($users.OpenId) | Should -Be @($alice.openId, $bob.openId)
        $lookups = @(Get-LarkSandboxRequest -Path '/open-apis/contact/v3/users/batch_get_id')
        $lookups.Count | Should -Be 1
        $asked = $lookups[0].body | ConvertFrom-Json
        @($asked.emails) | Should -Be @($alice.email, $bob.email)
        $asked.PSObject.Properties.Name | Should -Not -Contain 'mobiles'
        $verbose[0].Message | Should -Be "Input 1: used column Email '$($alice.email)'; ignored Phone '$($alice.mobile)' (of several receiver columns, LarkPS uses the first present of OpenId, Email, Phone, Chat)."

        $sent = @($users | Where-Object Status -eq Found | Send-LarkMessage -Text 'Maintenance at 22:00' -ErrorVariable failed)

        $failed.Count | Should -Be 0
        $sent.Count | Should -Be 2
        $inbox = @(Get-LarkSandboxInbox)
        $inbox.Count | Should -Be 2
        @($inbox.receive_id | Sort-Object) | Should -Be (@($alice.openId, $bob.openId) | Sort-Object)
    }

    It 'the same rows piped straight into Send-LarkMessage are one message each, to the Email, not refused as ambiguous' {
        $sent = @(Import-Csv $people | Send-LarkMessage -ErrorVariable failed -ErrorAction SilentlyContinue)

        $failed.Count | Should -Be 0
        $sent.Count | Should -Be 2
        $inbox = @(Get-LarkSandboxInbox | Sort-Object receive_id)
        $inbox.Count | Should -Be 2
        @($inbox.receive_id_type | Select-Object -Unique) | Should -Be @('email')
        @($inbox.receive_id) | Should -Be @($alice.email, $bob.email)
        @($inbox.content) | Should -Be @('{"text":"Hello Alice"}', '{"text":"Hello Bob"}')
    }

    It 'a row with a Phone and an OpenId goes to the OpenId both ways, and Get-LarkUser asks Lark nothing for it' {
        $row = [pscustomobject]@{ Name = 'Bob'; Phone = $bob.mobile; OpenId = $bob.openId; Message = 'direct' }

        $user = @($row | Get-LarkUser)
        $row | Send-LarkMessage | Out-Null
        $user | Where-Object Status -eq Found | Send-LarkMessage -Text 'looked up' | Out-Null

        $user.Count | Should -Be 1
        $user[0].InputType | Should -Be 'OpenId'
        $user[0].Status | Should -Be 'Found'
        $user[0].OpenId | Should -Be $bob.openId
        @(Get-LarkSandboxRequest -Path '/open-apis/contact/v3/users/batch_get_id').Count | Should -Be 0
        $inbox = @(Get-LarkSandboxInbox)
        $inbox.Count | Should -Be 2
        @($inbox.receive_id_type | Select-Object -Unique) | Should -Be @('open_id')
        @($inbox.receive_id | Select-Object -Unique) | Should -Be @($bob.openId)
    }
}

Describe 'Finding 4: content given as a JSON string is strict JSON' {
    BeforeEach { Reset-LarkSandbox }

    It 'refuses <Content> as <Type> content with its position and the fix, and sends nothing' -ForEach @(
        @{ Type = 'text'; Content = '{text:hi}'; Where = 'line 1, position 2'; Hint = 'names take double quotes' }
        @{ Type = 'text'; Content = '{"text":"hi",}'; Where = 'line 1, position 14'; Hint = 'remove the comma' }
        @{ Type = 'text'; Content = "{'text':'hi'}"; Where = 'line 1, position 2'; Hint = 'not single quotes' }
        @{ Type = 'text'; Content = '{"text":"hi"} // from cron'; Where = 'line 1, position 15'; Hint = 'JSON has no comments' }
        @{ Type = 'image'; Content = '{"image_key":"img_v3_0abc",}'; Where = 'line 1, position 28'; Hint = 'remove the comma' }
        @{ Type = 'post'; Content = '{zh_cn:{"content":[[{"tag":"text","text":"a"}]]}}'; Where = 'line 1, position 2'; Hint = 'names take double quotes' }
    ) {
        $err = { Send-LarkMessage -ReceiveType chat -ReceiveId $ops -ContentType $Type -Content $Content -ErrorAction Stop } | Should -Throw -PassThru
        $checked = Test-LarkMessage -ReceiveType chat -ReceiveId $ops -ContentType $Type -Content $Content

        $err.FullyQualifiedErrorId | Should -Be "InvalidMessage,$sendId"
        $err.TargetObject | Should -Be $ops
        $err.ErrorDetails.Message | Should -BeLike "*content: is not valid JSON: $Where*$Hint*"
        $checked | Should -BeFalse
        @(Get-LarkSandboxSend).Count | Should -Be 0
    }

    It 'refuses broken content JSON in a piped seed body as that item''s error and sends the other; a plain string stays the text' {
        $body = ConvertTo-Json -Compress -InputObject @(
            @{ receiveType = 'chat'; receiveId = $ops; content = '{text:hi}' }
            @{ receiveType = 'chat'; receiveId = $general; content = '[WARN] disk full on db-01' }
        )

        $sent = @($body | Send-LarkMessage -ErrorVariable failed -ErrorAction SilentlyContinue)

        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be "InvalidMessage,$sendId"
        $failed[0].TargetObject | Should -Be $body
        $failed[0].ErrorDetails.Message | Should -BeLike "item 1 (chat $ops) is not a valid Lark message: content: is not valid JSON: line 1, position 2*"
        $sent.Count | Should -Be 1
        @(Get-LarkSandboxInbox).content | Should -Be @('{"text":"[WARN] disk full on db-01"}')
    }
}

Describe 'Finding 5: header names as people write them' {
    BeforeEach { Reset-LarkSandbox }

    It 'sends a CSV whose receiver column is headed <Header> to <Wire>' -ForEach @(
        @{ Header = 'Email Address'; Value = 'alice@example.com'; WireType = 'email'; Wire = 'alice@example.com' }
        @{ Header = 'E-Mail Address'; Value = 'bob@example.com'; WireType = 'email'; Wire = 'bob@example.com' }
        @{ Header = 'email_address'; Value = 'alice@example.com'; WireType = 'email'; Wire = 'alice@example.com' }
        @{ Header = 'Mobile Phone'; Value = '13800000002'; WireType = 'open_id'; Wire = 'ou_94e54bbce8572323ffd2743ed383ebd7' }
        @{ Header = 'Phone Number'; Value = '+1 415 555 0100'; WireType = 'open_id'; Wire = 'ou_3a6f87878523af27e92c4da26cb76f55' }
        @{ Header = "$([char]0x624B)$([char]0x673A)$([char]0x53F7)"; Value = '13800000001'; WireType = 'open_id'; Wire = 'ou_f4313f39e4433a103e6fa8db37a8787f' }
        @{ Header = 'Open ID'; Value = 'ou_f4313f39e4433a103e6fa8db37a8787f'; WireType = 'open_id'; Wire = 'ou_f4313f39e4433a103e6fa8db37a8787f' }
        @{ Header = 'Chat ID'; Value = 'oc_39927562fa25da07df6771450e18c70e'; WireType = 'chat_id'; Wire = 'oc_39927562fa25da07df6771450e18c70e' }
    ) {
        $csv = Join-Path $folder ([guid]::NewGuid().ToString('N') + '.csv')
        Set-Content -Path $csv -Encoding UTF8 -Value @("Name,$Header,Message", "Someone,$Value,Hi from a spreadsheet")

        $sent = @(Import-Csv $csv | Send-LarkMessage -ErrorVariable failed -ErrorAction SilentlyContinue)

        $failed.Count | Should -Be 0
        $sent.Count | Should -Be 1
        $inbox = @(Get-LarkSandboxInbox)
        $inbox.Count | Should -Be 1
        $inbox[0].receive_id_type | Should -Be $WireType
        $inbox[0].receive_id | Should -Be $Wire
        $inbox[0].content | Should -Be '{"text":"Hi from a spreadsheet"}'
    }

    It 'Get-LarkUser reads E-Mail Address and Mobile Phone columns too, one user per row' {
        $csv = Join-Path $folder 'staff.csv'
        Set-Content -Path $csv -Encoding UTF8 -Value @('Full Name,E-Mail Address,Mobile Phone', "Alice,$($alice.email),", "Bob,,$($bob.mobile)")

        $users = @(Import-Csv $csv | Get-LarkUser -ErrorVariable failed)

        $failed.Count | Should -Be 0
        @($users.InputType) | Should -Be @('Email', 'Phone')
        @($users.Status) | Should -Be @('Found', 'Found')
        @($users.OpenId) | Should -Be @($alice.openId, $bob.openId)
    }

    It 'a row with no receiver column is one InvalidUserInput error naming its properties' {
        $row = [pscustomobject]@{ Name = 'Nobody'; Department = 'Ops' }

        $users = @($row | Get-LarkUser -ErrorVariable failed -ErrorAction SilentlyContinue)

        $users.Count | Should -Be 0
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be "InvalidUserInput,$userId"
        $failed[0].TargetObject | Should -Be $row
        $failed[0].ErrorDetails.Message | Should -Be 'Input 1 has no e-mail, phone or open_id column (its properties: Name, Department).'
        $failed[0].ErrorDetails.RecommendedAction | Should -Match 'Email or Phone column'
    }
}

Describe 'Finding 7: errors say the likely cause' {
    BeforeEach { Reset-LarkSandbox }

    It 'a chat name without -ReceiveType says it looks like a chat name and to add -ReceiveType chat' {
        $err = { Send-LarkMessage -ReceiveId 'Ops alerts' -Text 'Disk full' -ErrorAction Stop } | Should -Throw -PassThru
        $check = Test-LarkMessage -ReceiveId 'Ops alerts' -Text 'Disk full' -Detailed

        $err.FullyQualifiedErrorId | Should -Be "InvalidMessage,$sendId"
        $err.TargetObject | Should -Be 'Ops alerts'
        $err.ErrorDetails.Message | Should -Be "item 1 (user Ops alerts) is not a valid Lark message: receiveId: 'Ops alerts' is not an open_id (without a receiveType an open_id is expected; it looks like a chat's name); expected -ReceiveType chat to send to the chat of that name, or an open_id starting with 'ou_'"
        $check.IsValid | Should -BeFalse
        @(Get-LarkSandboxSend).Count | Should -Be 0
    }

    It 'the typo bob@example says it looks like an incomplete e-mail address' {
        $err = { Send-LarkMessage -ReceiveId 'bob@example' -Text 'hi' -ErrorAction Stop } | Should -Throw -PassThru

        $err.FullyQualifiedErrorId | Should -Be "InvalidMessage,$sendId"
        $err.TargetObject | Should -Be 'bob@example'
        $err.ErrorDetails.Message | Should -BeLike "*receiveId: 'bob@example' is not an open_id (it looks like an incomplete e-mail address: the part after the @ has no dot, as example.com has)*"
        @(Get-LarkSandboxSend).Count | Should -Be 0
    }

    It 'bad JSON read with -Raw says where it is invalid and why, not that receiveId is missing' {
        $file = Join-Path $folder 'broken.json'
        Set-Content -Path $file -Encoding UTF8 -Value @(
            '['
            "  { `"receiveType`": `"chat`", `"receiveId`": `"$ops`", `"content`": `"{\`"text\`":\`"one\`"}`" }"
            "  { `"receiveType`": `"chat`", `"receiveId`": `"$ops`", `"content`": `"{\`"text\`":\`"two\`"}`" }"
            ']'
        )
        $text = Get-Content $file -Raw

        $sent = @($text | Send-LarkMessage -ErrorVariable failed -ErrorAction SilentlyContinue)

        $sent.Count | Should -Be 0
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be "InvalidMessage,$sendId"
        $failed[0].TargetObject | Should -Be $text
        $failed[0].ErrorDetails.Message | Should -BeLike '*not valid JSON at line 3, position 3:*(a comma is missing between two values)*'
        $failed[0].ErrorDetails.Message | Should -Not -BeLike '*receiveId: is missing*'
        $failed[0].ErrorDetails.Message | Should -Not -BeLike '*content: is missing*'
        @(Get-LarkSandboxSend).Count | Should -Be 0
    }
}

Describe 'Finding 9: completion from the connection' {
    BeforeEach {
        Reset-LarkSandbox
        # A new connection: its chat list is not read yet, as right after Connect-Lark.
        Connect-LarkSandbox | Out-Null
    }

    It 'after Connect-Lark, -ReceiveType chat -ReceiveId Tab lists the chat names, quoted, from one read of the chat list' {
        $first = Get-Completion 'Send-LarkMessage -ReceiveType chat -ReceiveId '
        $second = Get-Completion "Send-LarkMessage -ReceiveType chat -ReceiveId 'Op"

        @($first.CompletionText) | Should -Be @('General', "'Ops alerts'")
        @($first.ListItemText) | Should -Be @('General', 'Ops alerts')
        @($second.CompletionText) | Should -Be @("'Ops alerts'")
        @(Get-LarkSandboxRequest -Path '/open-apis/im/v1/chats').Count | Should -Be 1
    }

    It 'completion follows -ReceiveType: none for <Type>, ids for chat_id' -ForEach @(
        @{ Type = 'email' }
        @{ Type = 'user' }
        @{ Type = 'phone' }
    ) {
        $null = Get-LarkChat

        $people = Get-Completion "Send-LarkMessage -ReceiveType $Type -ReceiveId "
        $ids = Get-Completion 'Test-LarkMessage -ReceiveType chat_id -ReceiveId '

        $people.Count | Should -Be 0
        @($ids.CompletionText) | Should -Be @($general, $ops)
        @($ids.ListItemText) | Should -Be @('General', 'Ops alerts')
    }

    It 'Get-LarkChat -Name Tab offers chat names, not file names' {
        Push-Location $folder
        try {
            $names = Get-Completion 'Get-LarkChat -Name '
            $partial = Get-Completion 'Get-LarkChat -Name Gen'
        }
        finally { Pop-Location }

        @($names.CompletionText) | Should -Be @('General', "'Ops alerts'")
        @($partial.CompletionText) | Should -Be @('General')
    }

    It 'a slow chat list: Tab waits at most about 2 seconds, the read goes on, and the next Tab lists the names' {
        Set-LarkSandboxFault @{ latencyMs = 5000 } | Out-Null
        try {
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $early = Get-Completion 'Send-LarkMessage -ReceiveType chat -ReceiveId '
            $waited = $clock.Elapsed
            $deadline = [DateTime]::UtcNow.AddSeconds(20)
            do {
                Start-Sleep -Milliseconds 250
                $late = Get-Completion 'Send-LarkMessage -ReceiveType chat -ReceiveId '
            } while ($late.Count -eq 0 -and [DateTime]::UtcNow -lt $deadline)
        }
        finally { Set-LarkSandboxFault @{ latencyMs = 0 } | Out-Null }

        $early.Count | Should -Be 0
        $waited.TotalSeconds | Should -BeGreaterOrEqual 1.9
        $waited.TotalSeconds | Should -BeLessThan 4
        @($late.CompletionText) | Should -Be @('General', "'Ops alerts'")
        @(Get-LarkSandboxRequest -Path '/open-apis/im/v1/chats').Count | Should -Be 1
    }
}
