# Send-LarkMessage / Test-LarkMessage -Markdown, -Title and -Mention (issue 22), in real pwsh against the sandbox:
# markdown arrives as a post of md nodes, what Lark's post markdown does not show is reported, and mentions are
# written as each content type needs, e-mail addresses looked up once; each test checks what the sandbox received.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/LarkPS.TestSupport.psm1')
    $sandbox = Start-LarkTestSandbox -Connect
    $ops = $sandbox.Chats['Ops alerts'].chatId
    $alice = $sandbox.Users['Alice']
    $bob = $sandbox.Users['Bob']
    $sendId = 'LarkPS.Commands.SendLarkMessageCommand'

    function Get-Delivered([string] $MessageId) {
        (Get-LarkSandboxInbox | Where-Object message_id -eq $MessageId).content | ConvertFrom-Json
    }
}

AfterAll { Stop-LarkTestSandbox }

Describe 'Send-LarkMessage -Markdown' {
    BeforeEach { Reset-LarkSandbox }

    It 'sends a post of md nodes with its title and the mention of an e-mail address looked up once' {
        $md = "**db-02**: disk at 93%`n`n- /var: 35 GB free`n- [Runbook](https://example.com/rb)"

        $sent = @(Send-LarkMessage -ReceiveType chat -ReceiveId $ops, $ops -Markdown $md -Title 'Disk alert' -Mention $alice.email -ErrorAction Stop)

        $sent.Count | Should -Be 2
        $post = (Get-Delivered $sent[0].MessageId).zh_cn
        $post.title | Should -Be 'Disk alert'
        $post.content.Count | Should -Be 3
        $post.content[0][0].tag | Should -Be 'md'
        $post.content[0][0].text | Should -Be '**db-02**: disk at 93%'
        $post.content[1][0].text | Should -Be "- /var: 35 GB free`n- [Runbook](https://example.com/rb)"
        $post.content[2][0].tag | Should -Be 'at'
        $post.content[2][0].user_id | Should -Be $alice.openId
        (Get-LarkSandboxInbox | Where-Object message_id -eq $sent[0].MessageId).msg_type | Should -Be 'post'
        @(Get-LarkSandboxRequest -Path '/open-apis/contact/v3/users/batch_get_id').Count | Should -Be 1
    }

    It 'takes markdown and title from piped items, and refuses only the item that also has a text' {
        $items = @(
            [pscustomobject]@{ ChatId = $ops; Markdown = 'Backup **done**'; Title = 'Backup' }
            [pscustomobject]@{ ChatId = $ops; md = 'Restore *tested*' }
            [pscustomobject]@{ ChatId = $ops; Markdown = 'both'; Text = 'and text' }
        )

        $sent = @($items | Send-LarkMessage -ErrorVariable failed -ErrorAction SilentlyContinue)

        $sent.Count | Should -Be 2
        (Get-Delivered $sent[0].MessageId).zh_cn.title | Should -Be 'Backup'
        (Get-Delivered $sent[0].MessageId).zh_cn.content[0][0].text | Should -Be 'Backup **done**'
        (Get-Delivered $sent[1].MessageId).zh_cn.content[0][0].text | Should -Be 'Restore *tested*'
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be "InvalidMessage,$sendId"
        [string]$failed[0] | Should -Match 'item 3'
        [string]$failed[0] | Should -Match 'markdown: is given together with text'
    }

    It 'warns once a run of what Lark''s post markdown does not show, and sends it as typed' {
        $md = "# Weekly report`n`nAll **green**."

        $sent = @(Send-LarkMessage -ReceiveType chat -ReceiveId $ops, $ops, $ops -Markdown $md -WarningVariable warned -WarningAction SilentlyContinue -ErrorAction Stop)

        $sent.Count | Should -Be 3
        $warned.Count | Should -Be 1
        [string]$warned[0] | Should -Match "'# Weekly report' is a heading"
        (Get-Delivered $sent[2].MessageId).zh_cn.content[0][0].text | Should -Be '# Weekly report'
    }

    It 'warns that -Title with -Text titles nothing, and sends the text' {
        $sent = Send-LarkMessage -ReceiveType chat -ReceiveId $ops -Text 'Backup done' -Title 'Nightly' -WarningVariable warned -WarningAction SilentlyContinue -ErrorAction Stop

        $sent.ContentType | Should -Be 'text'
        $warned.Count | Should -Be 1
        [string]$warned[0] | Should -Match "-Title 'Nightly' titles only a post made from -Markdown"
        $null = Send-LarkMessage -ReceiveType chat -ReceiveId $ops -Markdown '**done**' -Title 'Nightly' -WarningVariable titled -WarningAction SilentlyContinue -ErrorAction Stop
        $titled.Count | Should -Be 0
    }

    It 'refuses -Markdown with -Text before anything is sent' {
        Send-LarkMessage -ReceiveType chat -ReceiveId $ops -Markdown 'x' -Text 'y' -ErrorVariable failed -ErrorAction SilentlyContinue

        [string]$failed[0] | Should -Match 'Give either -Markdown or -Text'
        @(Get-LarkSandboxSend).Count | Should -Be 0
    }
}

Describe 'Test-LarkMessage -Markdown and -Mention' {
    BeforeEach { Reset-LarkSandbox }

    It 'is true for markdown with a heading, warns naming the item, and lists it in Notes' {
        $result = Test-LarkMessage -ReceiveType chat -ReceiveId $ops -Markdown "# Title`n`nbody" -WarningVariable warned -WarningAction SilentlyContinue
        $check = Test-LarkMessage -ReceiveType chat -ReceiveId $ops -Markdown "# Title`n`nbody" -Detailed -WarningAction SilentlyContinue

        $result | Should -BeTrue
        [string]$warned[0] | Should -Match "^item 1 \(chat $ops\): markdown line 1: '# Title' is a heading"
        $check.MsgType | Should -Be 'post'
        $check.Notes.Count | Should -Be 1
        ($check.Content | ConvertFrom-Json).zh_cn.content[1][0].text | Should -Be 'body'
    }

    It 'says an empty markdown is empty, and only that' {
        $check = Test-LarkMessage -ReceiveType chat -ReceiveId $ops -Markdown ' ' -Detailed -WarningAction SilentlyContinue

        $check.IsValid | Should -BeFalse
        @($check.Problems).Count | Should -Be 1
        @($check.Problems)[0] | Should -Match '^markdown: is empty'
    }

    It 'offline, leaves an e-mail mention to the send in a note and makes no request' {
        Disconnect-Lark
        try {
            $check = Test-LarkMessage -ReceiveType chat -ReceiveId $ops -Text 'hi' -Mention $alice.email, $bob.openId -Detailed -WarningAction SilentlyContinue
            $requests = @(Get-LarkSandboxRequest)
        }
        finally { Connect-LarkSandbox | Out-Null }

        $check.IsValid | Should -BeTrue
        ($check.Content | ConvertFrom-Json).text | Should -Be "hi <at user_id=`"$($bob.openId)`"></at>"
        ($check.Notes -join ' ') | Should -Match "'$([regex]::Escape($alice.email))' is looked up when sent"
        $requests.Count | Should -Be 0
    }
}

Describe 'Send-LarkMessage -Mention' {
    BeforeEach { Reset-LarkSandbox }

    It 'writes <at> after a text, everyone included, for users from Get-LarkUser too' {
        $user = Get-LarkUser -Email $bob.email

        $sent = Send-LarkMessage -ReceiveType chat -ReceiveId $ops -Text 'Disk full' -Mention $user, 'all' -ErrorAction Stop

        (Get-Delivered $sent.MessageId).text | Should -Be "Disk full <at user_id=`"$($bob.openId)`"></at> <at user_id=`"all`"></at>"
    }

    It 'adds a markdown mention at the end of a card''s body' {
        $card = Get-Process -Id $PID | Select-Object Name, Id | ConvertTo-LarkCard -Title 'Me'

        $sent = $card | Send-LarkMessage -ReceiveType chat -ReceiveId $ops -Mention $alice.openId -ErrorAction Stop

        $elements = (Get-Delivered $sent.MessageId).body.elements
        $elements[-1].tag | Should -Be 'markdown'
        $elements[-1].content | Should -Be "<at id=$($alice.openId)></at>"
        @($elements | Where-Object tag -eq 'table').Count | Should -Be 1
    }

    It 'stops before sending anything when a mention is no user, naming each bad value' {
        { Send-LarkMessage -ReceiveType chat -ReceiveId $ops -Text 'x' -Mention 'ghost@example.com', 'bob' -ErrorAction Stop } |
            Should -Throw -ErrorId "InvalidMention,$sendId"

        try { Send-LarkMessage -ReceiveType chat -ReceiveId $ops -Text 'x' -Mention 'ghost@example.com', 'bob' -ErrorAction Stop }
        catch { $message = $_.Exception.Message }
        $message | Should -Match "'ghost@example.com': Lark has no user the app can see with this e-mail address"
        $message | Should -Match "'bob' is neither 'all'"
        @(Get-LarkSandboxSend).Count | Should -Be 0
    }

    It 'fails only the image that cannot carry a mention, and sends the text beside it' {
        $items = @(
            @{ receiveId = $ops; contentType = 'image'; content = '{"image_key":"img_v2_sandbox"}' }
            @{ receiveId = $ops; text = 'see above' }
        )

        $sent = @($items | Send-LarkMessage -Mention $alice.openId -ErrorVariable failed -ErrorAction SilentlyContinue)

        $sent.Count | Should -Be 1
        (Get-Delivered $sent[0].MessageId).text | Should -Be "see above <at user_id=`"$($alice.openId)`"></at>"
        $failed.Count | Should -Be 1
        [string]$failed[0] | Should -Match 'item 1'
        [string]$failed[0] | Should -Match 'cannot carry mentions'
    }

    It 'on a webhook, mentions by open_id and says an e-mail address needs an app connection' {
        $hook = Invoke-RestMethod -Method Post -Uri "$($sandbox.Url)/_sandbox/hooks" -ContentType 'application/json' -Body (@{ chatId = $ops; name = 'mentions' } | ConvertTo-Json)
        $connection = Connect-Lark -WebhookUri $hook.url -PassThru -ErrorAction Stop
        try {
            Send-LarkMessage -Connection $connection -Text 'on call' -Mention $alice.openId -ErrorAction Stop | Out-Null
            { Send-LarkMessage -Connection $connection -Text 'x' -Mention $alice.email -ErrorAction Stop } | Should -Throw -ErrorId "NeedsAppConnection,$sendId"
        }
        finally { Connect-LarkSandbox | Out-Null }

        $requests = @(Get-LarkSandboxRequest -Path "/open-apis/bot/v2/hook/$($hook.token)")
        $requests.Count | Should -Be 1
        ($requests[0].body | ConvertFrom-Json).content.text | Should -Be "on call <at user_id=`"$($alice.openId)`"></at>"
    }
}
