# Remove-LarkMessage (issue 12) in real pwsh against the sandbox: a batch recalled with one question, the one Lark
# refused (not the bot's own) reported with its fix and the others recalled; each refusal's error id and fix; a
# recall whose answer was lost; -WhatIf making no request. Each test checks what the sandbox received.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/LarkPS.TestSupport.psm1')
    $sandbox = Start-LarkTestSandbox -Connect
    $ops = $sandbox.Chats['Ops alerts'].chatId
    $removeId = 'LarkPS.Commands.RemoveLarkMessageCommand'

    # A message a person sent (not the bot): the sandbox's control API stores it as Lark would have.
    function New-PersonMessage([string] $SenderId, [string] $ChatId) {
        $body = @{ sender_id = $SenderId; chat_id = $ChatId; msg_type = 'text'; content = '{"text":"from a person"}' }
        (Invoke-RestMethod -Method Post -Uri "$($sandbox.Url)/_sandbox/messages" -ContentType 'application/json' -Body ($body | ConvertTo-Json -Compress)).message_id
    }

    function Get-InboxMessage([string] $MessageId) { Get-LarkSandboxInbox | Where-Object message_id -eq $MessageId }

    function Get-Recall { @(Get-LarkSandboxRequest | Where-Object method -eq 'DELETE') }
}

AfterAll { Stop-LarkTestSandbox }

Describe 'Remove-LarkMessage recalls a piped batch' {
    BeforeEach { Reset-LarkSandbox }

    It 'recalls the bot''s two messages of three and reports the person''s one as refused, with its fix' {
        $first = Send-LarkMessage -ReceiveId $ops -Text 'first' -ErrorAction Stop
        $second = Send-LarkMessage -ReceiveId $ops -Text 'second' -ErrorAction Stop
        $theirs = New-PersonMessage $sandbox.Users['Bob'].openId $ops

        $recalled = @($first, [pscustomobject]@{ MessageId = $theirs }, $second | Remove-LarkMessage -Confirm:$false -ErrorVariable refused -ErrorAction SilentlyContinue)

        # What was recalled: the two, as RecalledMessage objects.
        $recalled.Count | Should -Be 2
        ($recalled.MessageId | Sort-Object) | Should -Be (@($first.MessageId, $second.MessageId) | Sort-Object)
        $recalled[0].PSObject.TypeNames[0] | Should -Be 'LarkPS.Api.RecalledMessage'
        ($recalled | Out-String -Width 200) | Should -Match 'MessageId\s+Attempts'
        # What Lark refused and why: one error for the person's message, with Lark's code and the fix.
        $refused.Count | Should -Be 1
        $refused[0].FullyQualifiedErrorId | Should -Be "NotMessageSender,$removeId"
        $refused[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        $refused[0].TargetObject | Should -Be $theirs
        $refused[0].ErrorDetails.Message | Should -Match '230026'
        $refused[0].ErrorDetails.Message | Should -Match ([regex]::Escape($theirs))
        $refused[0].ErrorDetails.RecommendedAction | Should -Match 'only messages the bot itself sent'
        # What the sandbox did: three DELETEs, two messages recalled, the person's kept.
        (Get-Recall).Count | Should -Be 3
        (Get-InboxMessage $first.MessageId).deleted | Should -BeTrue
        (Get-InboxMessage $second.MessageId).deleted | Should -BeTrue
        (Get-InboxMessage $theirs).deleted | Should -BeFalse
    }

    It 'asks once for the whole batch, naming its messages, and recalls nothing when the answer is No' {
        $ids = 1..3 | ForEach-Object { (Send-LarkMessage -ReceiveId $ops -Text "n$_" -ErrorAction Stop).MessageId }
        $script = @"
Connect-Lark -BaseUri '$($sandbox.Url)' -AppId cli_sandbox -AppSecret (ConvertTo-SecureString '$($sandbox.AppSecret)' -AsPlainText -Force)
'$($ids -join "','")' | ForEach-Object { [pscustomobject]@{ MessageId = `$_ } } | Remove-LarkMessage | ForEach-Object { 'RECALLED ' + `$_.MessageId }
"@

        $no = Invoke-LarkChildPowerShell -Script $script -InputLine 'N'
        $yes = Invoke-LarkChildPowerShell -Script $script -InputLine 'Y'

        $no.ExitCode | Should -Be 0 -Because $no.Errors
        ([regex]::Matches($no.Output, 'Are you sure you want to perform this action\?')).Count | Should -Be 1
        $no.Output | Should -Match '3 messages'
        $no.Output | Should -Match ([regex]::Escape($ids[0]))
        $no.Output | Should -Not -Match 'RECALLED'
        $yes.ExitCode | Should -Be 0 -Because $yes.Errors
        ([regex]::Matches($yes.Output, 'Are you sure you want to perform this action\?')).Count | Should -Be 1
        ([regex]::Matches($yes.Output, 'RECALLED om_')).Count | Should -Be 3
        # The No run sent no DELETE; the Yes run three.
        (Get-Recall).Count | Should -Be 3
        @($ids | ForEach-Object { (Get-InboxMessage $_).deleted }) | Should -Be @($true, $true, $true)
    }

    It 'recalls the same message given twice once' {
        $m = Send-LarkMessage -ReceiveId $ops -Text 'twice' -ErrorAction Stop

        $recalled = @($m, $m | Remove-LarkMessage -Confirm:$false -ErrorAction Stop)

        $recalled.Count | Should -Be 1
        (Get-Recall).Count | Should -Be 1
    }

    It 'reports a recall whose answer was lost as recalled, after one retry that found it gone' {
        $m = Send-LarkMessage -ReceiveId $ops -Text 'lost answer' -ErrorAction Stop
        Set-LarkSandboxFault @{ failAfterStore = 1 } | Out-Null

        $recalled = @($m | Remove-LarkMessage -Confirm:$false -ErrorAction Stop)

        $recalled.Count | Should -Be 1
        $recalled[0].Attempts | Should -Be 2
        $recalled[0].Note | Should -Match 'already recalled'
        $deletes = Get-Recall
        $deletes.Count | Should -Be 2
        $deletes[0].status_code | Should -Be 500
        $deletes[1].code | Should -Be 230110
        (Get-InboxMessage $m.MessageId).deleted | Should -BeTrue
    }
}

Describe 'Remove-LarkMessage: Lark''s refusals, each with its error id and fix' {
    BeforeEach { Reset-LarkSandbox }

    It 'a recall past the recall window is RecallWindowPassed (230009), saying who sets the window' {
        $m = Send-LarkMessage -ReceiveId $ops -Text 'old' -ErrorAction Stop
        Invoke-RestMethod -Method Post -Uri "$($sandbox.Url)/_sandbox/messages/$($m.MessageId)/age" -ContentType 'application/json' -Body '{"hours":25}' | Out-Null

        $m | Remove-LarkMessage -Confirm:$false -ErrorVariable refused -ErrorAction SilentlyContinue

        $refused.Count | Should -Be 1
        $refused[0].FullyQualifiedErrorId | Should -Be "RecallWindowPassed,$removeId"
        $refused[0].ErrorDetails.Message | Should -Match '230009'
        $refused[0].ErrorDetails.RecommendedAction | Should -Match '24 hours unless changed'
        (Get-InboxMessage $m.MessageId).deleted | Should -BeFalse
    }

    It 'a recall of a message already recalled is MessageRecalled (230110), saying nothing is left to do' {
        $m = Send-LarkMessage -ReceiveId $ops -Text 'gone' -ErrorAction Stop
        $m | Remove-LarkMessage -Confirm:$false -ErrorAction Stop | Out-Null

        $m | Remove-LarkMessage -Confirm:$false -ErrorVariable refused -ErrorAction SilentlyContinue

        $refused.Count | Should -Be 1
        $refused[0].FullyQualifiedErrorId | Should -Be "MessageRecalled,$removeId"
        $refused[0].ErrorDetails.Message | Should -Match '230110'
        $refused[0].ErrorDetails.RecommendedAction | Should -Match 'already gone'
    }

    It 'an unknown message id is MessageNotFound (99992354), and an id that is no message id is refused before sending' {
        Remove-LarkMessage -MessageId om_00000000000000000000000000000000 -Confirm:$false -ErrorVariable unknown -ErrorAction SilentlyContinue
        [pscustomobject]@{ MessageId = 'oc_notamessage' } | Remove-LarkMessage -Confirm:$false -ErrorVariable invalid -ErrorAction SilentlyContinue

        $unknown.Count | Should -Be 1
        $unknown[0].FullyQualifiedErrorId | Should -Be "MessageNotFound,$removeId"
        $unknown[0].ErrorDetails.Message | Should -Match '99992354'
        $unknown[0].ErrorDetails.RecommendedAction | Should -Match 'Check the MessageId'
        $invalid.Count | Should -Be 1
        $invalid[0].FullyQualifiedErrorId | Should -Be "InvalidMessageId,$removeId"
        $invalid[0].TargetObject | Should -Be 'oc_notamessage'
        (Get-Recall).Count | Should -Be 1
    }
}

Describe 'Remove-LarkMessage -WhatIf and webhook connections' {
    BeforeEach { Reset-LarkSandbox }

    It '-WhatIf lists every message and makes no request, connected or not' {
        $ids = 'om_0123456789abcdef0123456789abcde1', 'om_0123456789abcdef0123456789abcde2'

        $out = @($ids | ForEach-Object { [pscustomobject]@{ MessageId = $_ } } | Remove-LarkMessage -WhatIf)
        Disconnect-Lark
        try { $out += @(Remove-LarkMessage -MessageId $ids[0] -WhatIf -ErrorAction Stop) }
        finally { Connect-LarkSandbox | Out-Null }

        $out.Count | Should -Be 0
        @(Get-LarkSandboxRequest | Where-Object { $_.path_and_query -notlike '/open-apis/auth/*' }).Count | Should -Be 0
    }

    It 'on a webhook connection says that a hook cannot recall and how to connect instead' {
        $token = @(Invoke-RestMethod -Uri "$($sandbox.Url)/_sandbox/hooks")[0].token
        Connect-Lark -WebhookUri "$($sandbox.Url)/open-apis/bot/v2/hook/$token" -ErrorAction Stop | Out-Null

        $thrown = $null
        try { Remove-LarkMessage -MessageId om_0123456789abcdef0123456789abcdef -Confirm:$false -ErrorAction Stop }
        catch { $thrown = $_ }
        finally { Connect-LarkSandbox | Out-Null }

        $thrown.FullyQualifiedErrorId | Should -Be "WebhookCannotActOnMessages,$removeId"
        $thrown.ErrorDetails.RecommendedAction | Should -Match 'Connect-Lark -AppId'
        @(Get-LarkSandboxRequest | Where-Object { $_.path_and_query -notlike '/open-apis/auth/*' }).Count | Should -Be 0
    }
}
