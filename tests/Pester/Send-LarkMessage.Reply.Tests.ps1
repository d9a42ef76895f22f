# Send-LarkMessage -ReplyTo (issue 12) in real pwsh against the sandbox: a reply in the thread of an alert card, piped
# replies by replyTo or parentId, a retried reply that reuses its uuid, a reply to a recalled message refused with its
# fix, and a webhook connection that cannot reply. Each test checks what the sandbox received.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/LarkPS.TestSupport.psm1')
    $sandbox = Start-LarkTestSandbox -Connect
    $ops = $sandbox.Chats['Ops alerts'].chatId
    $sendId = 'LarkPS.Commands.SendLarkMessageCommand'

    function Get-InboxMessage([string] $MessageId) { Get-LarkSandboxInbox | Where-Object message_id -eq $MessageId }

    function Get-Reply([string] $ParentId) { @(Get-LarkSandboxRequest -Path "/open-apis/im/v1/messages/$ParentId/reply") }
}

AfterAll { Stop-LarkTestSandbox }

Describe 'Send-LarkMessage -ReplyTo' {
    BeforeEach { Reset-LarkSandbox }

    It 'answers an alert card in its thread, in the card''s chat, with ParentId and ThreadId on the output' {
        $alert = Send-LarkMessage -ReceiveId $ops -ContentType interactive -Content @{ elements = @(@{ tag = 'hr' }) } -Updatable -ErrorAction Stop

        $reply = Send-LarkMessage -ReplyTo $alert.MessageId -ReplyInThread -Text 'On it: rotating logs' -ErrorAction Stop

        $requests = Get-Reply $alert.MessageId
        $requests.Count | Should -Be 1
        $body = $requests[0].body | ConvertFrom-Json
        $body.reply_in_thread | Should -BeTrue
        $body.msg_type | Should -Be 'text'
        $body.content | Should -Be '{"text":"On it: rotating logs"}'
        $body.uuid | Should -Match '^[0-9a-f]{32}$'
        $body.PSObject.Properties.Name | Should -Not -Contain 'receive_id'
        $stored = Get-InboxMessage $reply.MessageId
        $stored.parent_id | Should -Be $alert.MessageId
        $stored.chat_id | Should -Be $ops
        $stored.thread_id | Should -Match '^omt_'
        $reply.ParentId | Should -Be $alert.MessageId
        $reply.ThreadId | Should -Be $stored.thread_id
        $reply.RootId | Should -Be $alert.MessageId
        $reply.ChatId | Should -Be $ops
        $reply.Uuid | Should -Be $body.uuid
    }

    It 'replies to piped items by replyTo or parentId, every content type as a send, not in a thread unless asked' {
        $parent = Send-LarkMessage -ReceiveId $ops -Text 'Deploy 1.4 started' -ErrorAction Stop

        $replies = @(
            [pscustomobject]@{ replyTo = $parent.MessageId; text = 'web-01 done' }
            @{ parentId = $parent.MessageId; contentType = 'post'; content = @{ en_us = @{ title = 'web-02'; content = @(, @(@{ tag = 'text'; text = 'done' })) } } }
            '{"replyTo":"' + $parent.MessageId + '","replyInThread":true,"contentType":"text","content":"{\"text\":\"web-03 done\"}"}'
        ) | Send-LarkMessage -ErrorAction Stop

        $replies.Count | Should -Be 3
        $stored = @(Get-LarkSandboxInbox | Where-Object parent_id -eq $parent.MessageId)
        $stored.Count | Should -Be 3
        ($stored.msg_type | Sort-Object) | Should -Be @('post', 'text', 'text')
        @($stored | Where-Object thread_id).Count | Should -Be 1
        (Get-Reply $parent.MessageId).Count | Should -Be 3
        $replies | ForEach-Object { $_.ParentId | Should -Be $parent.MessageId }
    }

    It 'answers a piped SentMessage as a reply to it, not a second send under its uuid that Lark would swallow' {
        $alerts = @(Send-LarkMessage -ReceiveId $ops, $sandbox.Users['Alice'].email -Text 'Disk full on db01' -ErrorAction Stop)

        $answers = @($alerts | Send-LarkMessage -Text 'Resolved' -ErrorAction Stop)

        $answers.Count | Should -Be 2
        foreach ($i in 0, 1) {
            $answers[$i].MessageId | Should -Not -Be $alerts[$i].MessageId
            $answers[$i].ParentId | Should -Be $alerts[$i].MessageId
            $answers[$i].Uuid | Should -Not -Be $alerts[$i].Uuid
            (Get-InboxMessage $answers[$i].MessageId).content | Should -Be '{"text":"Resolved"}'
            (Get-Reply $alerts[$i].MessageId).Count | Should -Be 1
        }
        @(Get-LarkSandboxInbox).Count | Should -Be 4
        @(Get-LarkSandboxRequest -Path '/open-apis/im/v1/messages?').Count | Should -Be 2
    }

    It 'retries a reply whose answer was lost with the same uuid, so it arrives once' {
        $parent = Send-LarkMessage -ReceiveId $ops -Text 'Deploy 1.5 started' -ErrorAction Stop
        Set-LarkSandboxFault @{ failAfterStore = 1 } | Out-Null

        $reply = Send-LarkMessage -ReplyTo $parent.MessageId -Text 'done' -ErrorAction Stop

        $attempts = Get-Reply $parent.MessageId
        $attempts.Count | Should -Be 2
        $attempts[0].status_code | Should -Be 500
        (($attempts | ForEach-Object { ($_.body | ConvertFrom-Json).uuid }) | Select-Object -Unique).Count | Should -Be 1
        @(Get-LarkSandboxInbox | Where-Object parent_id -eq $parent.MessageId).Count | Should -Be 1
        (Get-LarkSandboxStat).duplicatesSuppressed | Should -Be 1
        $reply.Attempts | Should -Be 2
    }

    It 'refuses a reply to a recalled message with MessageRecalled (230011) and its fix' {
        $parent = Send-LarkMessage -ReceiveId $ops -Text 'wrong chat' -ErrorAction Stop
        $parent | Remove-LarkMessage -Confirm:$false -ErrorAction Stop | Out-Null

        Send-LarkMessage -ReplyTo $parent.MessageId -Text 'x' -ErrorVariable refused -ErrorAction SilentlyContinue

        $refused.Count | Should -Be 1
        $refused[0].FullyQualifiedErrorId | Should -Be "MessageRecalled,$sendId"
        $refused[0].ErrorDetails.Message | Should -Match '230011'
        $refused[0].ErrorDetails.RecommendedAction | Should -Match 'takes no replies'
    }

    It 'refuses a reply to a message Lark does not know with MessageNotFound (99992354), and the other items still go' {
        $unknown = 'om_00000000000000000000000000000000'
        @(
            [pscustomobject]@{ replyTo = $unknown; content = '{"text":"to nobody"}' }
            [pscustomobject]@{ receiveType = 'chat'; receiveId = $ops; content = '{"text":"still sent"}' }
        ) | Send-LarkMessage -ErrorVariable refused -ErrorAction SilentlyContinue -OutVariable sent | Out-Null

        $refused.Count | Should -Be 1
        $refused[0].FullyQualifiedErrorId | Should -Be "MessageNotFound,$sendId"
        $refused[0].ErrorDetails.Message | Should -Match 'item 1'
        $refused[0].ErrorDetails.Message | Should -Match '99992354'
        $refused[0].ErrorDetails.RecommendedAction | Should -Match 'Check -ReplyTo'
        @(Get-Reply $unknown).Count | Should -Be 1 -Because 'a final refusal is not retried'
        $sent.Count | Should -Be 1
        (Get-InboxMessage $sent[0].MessageId).content | Should -Match 'still sent'
    }

    It 'refuses offline a reply that also names a receiver, or a replyTo that is no message id, naming the field' {
        Send-LarkMessage -ReplyTo om_0123456789abcdef0123456789abcdef -ReceiveId $ops -Text 'x' -ErrorVariable both -ErrorAction SilentlyContinue
        Send-LarkMessage -ReplyTo $ops -Text 'x' -ErrorVariable notId -ErrorAction SilentlyContinue

        $both.Count | Should -Be 1
        $both[0].FullyQualifiedErrorId | Should -Be "InvalidMessage,$sendId"
        $both[0].ErrorDetails.Message | Should -Match 'receiveId: is given together with replyTo'
        $notId[0].ErrorDetails.Message | Should -Match 'replyTo: .* is not a message id'
        @(Get-LarkSandboxRequest | Where-Object { $_.path_and_query -notlike '/open-apis/auth/*' }).Count | Should -Be 0
    }

    It 'shows the reply request under Test-LarkMessage and -WhatIf, sending nothing' {
        $check = Test-LarkMessage -ReplyTo om_0123456789abcdef0123456789abcdef -ReplyInThread -Text 'ack' -Detailed

        $check.IsValid | Should -BeTrue
        $check.RequestUri | Should -Be '/open-apis/im/v1/messages/om_0123456789abcdef0123456789abcdef/reply'
        ($check.RequestBody | ConvertFrom-Json).reply_in_thread | Should -BeTrue
        Send-LarkMessage -ReplyTo om_0123456789abcdef0123456789abcdef -Text 'ack' -WhatIf | Should -BeNullOrEmpty
        @(Get-LarkSandboxRequest | Where-Object { $_.path_and_query -notlike '/open-apis/auth/*' }).Count | Should -Be 0
    }

    It 'on a webhook connection is an InvalidMessage that says a hook cannot reply, and nothing is posted' {
        $token = @(Invoke-RestMethod -Uri "$($sandbox.Url)/_sandbox/hooks")[0].token
        $hook = Connect-Lark -WebhookUri "$($sandbox.Url)/open-apis/bot/v2/hook/$token" -PassThru -ErrorAction Stop

        try { Send-LarkMessage -ReplyTo om_0123456789abcdef0123456789abcdef -Text 'alert ack' -Connection $hook -ErrorVariable refused -ErrorAction SilentlyContinue }
        finally { Connect-LarkSandbox | Out-Null }

        $refused.Count | Should -Be 1
        $refused[0].FullyQualifiedErrorId | Should -Be "InvalidMessage,$sendId"
        $refused[0].ErrorDetails.Message | Should -Match 'cannot reply'
        $refused[0].ErrorDetails.Message | Should -Match 'app connection'
        @(Get-LarkSandboxRequest -Path '/open-apis/bot/v2/hook/').Count | Should -Be 0
    }
}
