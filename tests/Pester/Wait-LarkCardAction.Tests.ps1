# Wait-LarkCardAction in real pwsh (issue 21): a card the app sent, a click through the sandbox (as a Lark user would),
# the action returned, and the answer (toast, new card) in the acknowledgement the sandbox recorded.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/LarkPS.TestSupport.psm1')
    $sandbox = Start-LarkTestSandbox -Connect
    $ops = $sandbox.Chats['Ops alerts'].chatId
    $bob = $sandbox.Users['Bob'].openId
    $waitId = 'LarkPS.Commands.WaitLarkCardActionCommand'

    function Invoke-Events([string] $Path, $Body) {
        $uri = "$($sandbox.Url)/_sandbox/events$Path"
        if ($null -eq $Body) { return Invoke-RestMethod -Uri $uri }
        Invoke-RestMethod -Method Post -Uri $uri -ContentType 'application/json' -Body ($Body | ConvertTo-Json -Depth 10 -Compress)
    }
    function New-ApprovalCard([string] $Title = 'Deploy web-01?') {
        @{
            schema = '2.0'
            header = @{ title = @{ tag = 'plain_text'; content = $Title } }
            body   = @{ elements = @(
                    @{ tag = 'button'; text = @{ tag = 'plain_text'; content = 'Approve' }; type = 'primary'; behaviors = @(@{ type = 'callback'; value = @{ decision = 'approve' } }) }
                    @{ tag = 'button'; text = @{ tag = 'plain_text'; content = 'Reject' }; type = 'danger'; behaviors = @(@{ type = 'callback'; value = @{ decision = 'reject' } }) }
                ) }
        }
    }
    # Bob clicks a card, later (the command is connected by then).
    function Send-Click([string] $MessageId, [hashtable] $Value, [int] $DelayMs = 1500) {
        Invoke-Events '/card-action' @{ message_id = $MessageId; operator_id = $bob; tag = 'button'; value = $Value; delay_ms = $DelayMs } | Out-Null
    }
}

AfterAll { Stop-LarkTestSandbox }

Describe 'Wait-LarkCardAction' {
    BeforeEach {
        Reset-LarkSandbox
        Invoke-Events '/options' @{ retryDelaysMs = @(500, 500, 500, 500); reconnectNonce = 0; reconnectInterval = 1; fragmentBytes = 0; dropAfterFrames = 0; endpointCode = 0 } | Out-Null
    }

    It 'returns the click with the button''s value, and gives Lark the toast and the new card in the acknowledgement' {
        $sent = Send-LarkMessage -ReceiveId $ops -ContentType interactive -Content (New-ApprovalCard)
        Send-Click $sent.MessageId @{ decision = 'approve' }
        $done = @{ schema = '2.0'; body = @{ elements = @(@{ tag = 'markdown'; content = 'Approved by Bob' }) } }

        $action = $sent | Wait-LarkCardAction -Timeout 30 -Toast 'Approved' -ToastType success -Card $done

        $action.PSObject.TypeNames[0] | Should -Be 'LarkPS.Events.LarkCardActionEvent'
        $action.MessageId | Should -Be $sent.MessageId
        $action.ChatId | Should -Be $ops
        $action.OperatorId | Should -Be $bob
        $action.Value.decision | Should -Be 'approve'
        $action.Tag | Should -Be 'button'
        $action.AnsweredToast | Should -Be 'Approved'
        $action.AnsweredCard | Should -BeTrue
        $delivery = @((Invoke-Events '' $null).deliveries)[0]
        $delivery.attempts[0].ack_code | Should -Be 200
        $delivery.attempts[0].ack_ms | Should -BeLessThan 3000
        $answer = $delivery.attempts[0].answer | ConvertFrom-Json
        $answer.toast.type | Should -Be 'success'
        $answer.toast.content | Should -Be 'Approved'
        $answer.card.type | Should -Be 'raw'
        $answer.card.data.body.elements[0].content | Should -Be 'Approved by Bob'
        # The sandbox replaced the clicked card with the answer's, as Lark does for the user.
        $deadline = [DateTime]::UtcNow.AddSeconds(10)
        while ((@(Get-LarkSandboxInbox)[0].card_updates -lt 1) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        (@(Get-LarkSandboxInbox)[0].content | ConvertFrom-Json).body.elements[0].content | Should -Be 'Approved by Bob'
    }

    It 'leaves clicks on other cards to Lark (answered "not handled") and returns the one on its card' {
        $other = Send-LarkMessage -ReceiveId $ops -ContentType interactive -Content (New-ApprovalCard 'Other')
        $mine = Send-LarkMessage -ReceiveId $ops -ContentType interactive -Content (New-ApprovalCard 'Mine')
        Send-Click $other.MessageId @{ decision = 'approve' } -DelayMs 1500
        Send-Click $mine.MessageId @{ decision = 'reject' } -DelayMs 2500

        $action = Wait-LarkCardAction -MessageId $mine.MessageId -Timeout 30

        $action.MessageId | Should -Be $mine.MessageId
        $action.Value.decision | Should -Be 'reject'
        $otherPush = @((Invoke-Events '' $null).deliveries | Where-Object { $_.attempts[0].ack_code -eq 500 })
        $otherPush.Count | Should -Be 1
    }

    It 'pipes into Set-LarkMessage, which updates that card' {
        $sent = Send-LarkMessage -ReceiveId $ops -ContentType interactive -Content (New-ApprovalCard) -Updatable
        Send-Click $sent.MessageId @{ decision = 'approve' }

        $changed = $sent | Wait-LarkCardAction -Timeout 30 | Set-LarkMessage -ContentType interactive -Content @{ schema = '2.0'; body = @{ elements = @(@{ tag = 'markdown'; content = 'Done' }) } }

        $changed.MessageId | Should -Be $sent.MessageId
        $changed.Action | Should -Be 'Updated'
        @(Get-LarkSandboxRequest | Where-Object { $_.method -eq 'PATCH' -and $_.path_and_query -eq "/open-apis/im/v1/messages/$($sent.MessageId)" }).Count | Should -Be 1
    }

    It 'pipes into Send-LarkMessage as a reply to the card' {
        $sent = Send-LarkMessage -ReceiveId $ops -ContentType interactive -Content (New-ApprovalCard)
        Send-Click $sent.MessageId @{ decision = 'approve' }

        $reply = $sent | Wait-LarkCardAction -Timeout 30 | Send-LarkMessage -Text 'Deploying now'

        $reply.ParentId | Should -Be $sent.MessageId
        $stored = @(Get-LarkSandboxInbox | Where-Object msg_type -eq 'text')
        $stored.Count | Should -Be 1
        $stored[0].parent_id | Should -Be $sent.MessageId
        ($stored[0].content | ConvertFrom-Json).text | Should -Be 'Deploying now'
    }

    It 'fails with CardActionTimeout, which try/catch catches, when nobody clicks within -Timeout' {
        $sent = Send-LarkMessage -ReceiveId $ops -ContentType interactive -Content (New-ApprovalCard)
        $caught = $null
        $watch = [System.Diagnostics.Stopwatch]::StartNew()

        try { $sent | Wait-LarkCardAction -Timeout 2 } catch { $caught = $_ }
        $watch.Stop()

        $caught | Should -Not -BeNullOrEmpty
        $caught.FullyQualifiedErrorId | Should -Be "CardActionTimeout,$waitId"
        $caught.Exception.Message | Should -Match ([regex]::Escape($sent.MessageId))
        $caught.ErrorDetails.RecommendedAction | Should -Match '-Timeout'
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 10
        (Invoke-Events '' $null).open_connections | Should -Be 0
    }

    It 'fails with EventConnectionFailed, not CardActionTimeout, when the connection never opened within -Timeout' {
        $sent = Send-LarkMessage -ReceiveId $ops -ContentType interactive -Content (New-ApprovalCard)
        Invoke-Events '/options' @{ endpointCode = 1; endpointCodeTimes = 1000 } | Out-Null

        $err = { $sent | Wait-LarkCardAction -Timeout 3 } | Should -Throw -PassThru

        $err.FullyQualifiedErrorId | Should -Be "EventConnectionFailed,$waitId"
        $err.Exception.Message | Should -Match 'code 1 \(system busy\)'
    }

    It 'refuses a -Card that is not a card before connecting' {
        $sent = Send-LarkMessage -ReceiveId $ops -ContentType interactive -Content (New-ApprovalCard)

        $err = { $sent | Wait-LarkCardAction -Timeout 5 -Card '[1,2]' } | Should -Throw -PassThru

        $err.FullyQualifiedErrorId | Should -Be "InvalidCardAnswer,$waitId"
        @((Invoke-Events '' $null).connections).Count | Should -Be 0
    }

    It 'refuses a -Card that Lark would refuse (an unknown 2.0 property), naming the field, before connecting' {
        $sent = Send-LarkMessage -ReceiveId $ops -ContentType interactive -Content (New-ApprovalCard)
        $bad = @{ schema = '2.0'; elements = @(@{ tag = 'markdown'; content = 'Approved' }) }

        $err = { $sent | Wait-LarkCardAction -Timeout 5 -Card $bad } | Should -Throw -PassThru

        $err.FullyQualifiedErrorId | Should -Be "InvalidCardAnswer,$waitId"
        $err.Exception.Message | Should -Match 'content\.elements'
        @((Invoke-Events '' $null).connections).Count | Should -Be 0
    }

    It 'answers with a template card as Lark documents it (card.type template), not wrapped as a raw card' {
        $sent = Send-LarkMessage -ReceiveId $ops -ContentType interactive -Content (New-ApprovalCard)
        Send-Click $sent.MessageId @{ decision = 'approve' }
        $template = @{ type = 'template'; data = @{ template_id = 'AAqk0123456'; template_variable = @{ who = 'Bob' } } }

        $action = $sent | Wait-LarkCardAction -Timeout 30 -Card $template

        $action.AnsweredCard | Should -BeTrue
        $answer = @((Invoke-Events '' $null).deliveries)[0].attempts[0].answer | ConvertFrom-Json
        $answer.card.type | Should -Be 'template'
        $answer.card.data.template_id | Should -Be 'AAqk0123456'
        $answer.card.data.template_variable.who | Should -Be 'Bob'
    }
}
