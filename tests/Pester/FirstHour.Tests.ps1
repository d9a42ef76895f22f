# Issue 26, "The first hour": findings 4, 7 as a newcomer meets them in real pwsh, judged by what the
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
