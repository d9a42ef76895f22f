# Set-LarkMessage (issue 12) as a monitoring script uses it, in real pwsh against the sandbox: an alert card sent with
# -Updatable, updated to resolved through the pipeline from Send-LarkMessage's output; a text edited; each of Lark's
# refusals with its error id and fix; -WhatIf making no request. Each test checks what the sandbox received.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/LarkPS.TestSupport.psm1')
    $sandbox = Start-LarkTestSandbox -Connect
    $ops = $sandbox.Chats['Ops alerts'].chatId
    $general = $sandbox.Chats['General'].chatId
    $setId = 'LarkPS.Commands.SetLarkMessageCommand'

    # A message a person sent (not the bot): the sandbox's control API stores it as Lark would have.
    function New-PersonMessage([string] $SenderId, [string] $ChatId) {
        $body = @{ sender_id = $SenderId; msg_type = 'text'; content = '{"text":"from a person"}' }
        if ($ChatId) { $body.chat_id = $ChatId }
        (Invoke-RestMethod -Method Post -Uri "$($sandbox.Url)/_sandbox/messages" -ContentType 'application/json' -Body ($body | ConvertTo-Json -Compress)).message_id
    }

    # Moves a message's send time back, past Lark's windows.
    function Set-MessageAge([string] $MessageId, [hashtable] $Age) {
        Invoke-RestMethod -Method Post -Uri "$($sandbox.Url)/_sandbox/messages/$MessageId/age" -ContentType 'application/json' -Body ($Age | ConvertTo-Json -Compress) | Out-Null
    }

    function Get-InboxMessage([string] $MessageId) { Get-LarkSandboxInbox | Where-Object message_id -eq $MessageId }

    function New-AlertCard([string] $Title, [string] $Template) {
        @{
            header   = @{ title = @{ tag = 'plain_text'; content = $Title }; template = $Template }
            elements = @(@{ tag = 'div'; text = @{ tag = 'lark_md'; content = '**db-02** /var' } })
        }
    }
}

AfterAll { Stop-LarkTestSandbox }

Describe 'Set-LarkMessage updates an alert card sent with -Updatable' {
    BeforeEach { Reset-LarkSandbox }

    It 'sends the card shared and updates it to resolved through the pipeline from Send-LarkMessage''s output' {
        $alert = Send-LarkMessage -ReceiveId $ops -ContentType interactive -Content (New-AlertCard 'Disk 93% on db-02' 'red') -Updatable -ErrorAction Stop

        $updated = $alert | Set-LarkMessage -Content (New-AlertCard 'Resolved: disk 40% on db-02' 'green') -ErrorAction Stop

        # The send carried config.update_multi:true (Lark updates only such cards).
        $send = @(Get-LarkSandboxSend)
        $send.Count | Should -Be 1
        ((($send[0].body | ConvertFrom-Json).content) | ConvertFrom-Json).config.update_multi | Should -BeTrue

        # One PATCH of that message, with the new card, shared too; the message itself now shows it.
        $patch = @(Get-LarkSandboxRequest -Path "/open-apis/im/v1/messages/$($alert.MessageId)" | Where-Object method -eq 'PATCH')
        $patch.Count | Should -Be 1
        $patch[0].status_code | Should -Be 200
        $card = (($patch[0].body | ConvertFrom-Json).content) | ConvertFrom-Json
        $card.header.title.content | Should -Be 'Resolved: disk 40% on db-02'
        $card.config.update_multi | Should -BeTrue
        $stored = Get-InboxMessage $alert.MessageId
        $stored.card_updates | Should -Be 1
        (($stored.content | ConvertFrom-Json).header.title.content) | Should -Be 'Resolved: disk 40% on db-02'
        ((@($stored.revisions)[0].content | ConvertFrom-Json).header.title.content) | Should -Be 'Disk 93% on db-02'

        $updated.PSObject.TypeNames[0] | Should -Be 'LarkPS.Api.ChangedMessage'
        $updated.MessageId | Should -Be $alert.MessageId
        $updated.Action | Should -Be 'Updated'
        $updated.ContentType | Should -Be 'interactive'
        # Its format view: a table with the message id and what was done.
        $table = $updated | Out-String -Width 200
        $table | Should -Match 'MessageId\s+Action'
        $table | Should -Match ([regex]::Escape($alert.MessageId) + '\s+Updated')
    }

    It 'keeps a card''s other config settings and refuses to update a card sent without -Updatable, naming the fix' {
        $plain = Send-LarkMessage -ReceiveId $ops -ContentType interactive -Content @{ config = @{ wide_screen_mode = $true }; elements = @(@{ tag = 'hr' }) } -ErrorAction Stop
        $sentCard = (((@(Get-LarkSandboxSend)[0].body | ConvertFrom-Json).content) | ConvertFrom-Json)
        $sentCard.config.PSObject.Properties.Name | Should -Not -Contain 'update_multi'

        $plain | Set-LarkMessage -Content @{ config = @{ wide_screen_mode = $true }; elements = @(@{ tag = 'hr' }) } -ErrorVariable refused -ErrorAction SilentlyContinue

        $refused.Count | Should -Be 1
        $refused[0].FullyQualifiedErrorId | Should -Be "CardNotUpdatable,$setId"
        $refused[0].TargetObject | Should -Be $plain.MessageId
        $refused[0].ErrorDetails.Message | Should -Match '230001'
        $refused[0].ErrorDetails.RecommendedAction | Should -Match 'Send-LarkMessage -Updatable'
        # The new card went out with update_multi (and the other setting kept): Lark refused the card as sent.
        $patch = @(Get-LarkSandboxRequest | Where-Object method -eq 'PATCH')
        $patch.Count | Should -Be 1
        $card = (($patch[0].body | ConvertFrom-Json).content) | ConvertFrom-Json
        $card.config.update_multi | Should -BeTrue
        $card.config.wide_screen_mode | Should -BeTrue
        (Get-InboxMessage $plain.MessageId).card_updates | Should -Be 0
    }

    It 'keeps to Lark''s 5 updates a second of one card: six quick updates all land, none refused' {
        $alert = Send-LarkMessage -ReceiveId $ops -ContentType interactive -Content (New-AlertCard 'v0' 'red') -Updatable -ErrorAction Stop

        $results = 1..6 | ForEach-Object { $alert | Set-LarkMessage -Content (New-AlertCard "v$_" 'orange') -ErrorAction Stop }

        @($results).Count | Should -Be 6
        $patches = @(Get-LarkSandboxRequest | Where-Object method -eq 'PATCH')
        # Paced before sending: no 230020 refusal, so no retry either.
        @($patches | Where-Object status_code -ne 200).Count | Should -Be 0
        $patches.Count | Should -Be 6
        (Get-InboxMessage $alert.MessageId).card_updates | Should -Be 6
        (((Get-InboxMessage $alert.MessageId).content | ConvertFrom-Json).header.title.content) | Should -Be 'v6'
    }
}

Describe 'Set-LarkMessage edits a text' {
    BeforeEach { Reset-LarkSandbox }

    It 'edits the text with one PUT through the pipeline' {
        $m = Send-LarkMessage -ReceiveId $ops -Text 'Deploy 1.4: running' -ErrorAction Stop

        $edited = $m | Set-LarkMessage -Text 'Deploy 1.4: finished in 3 min' -ErrorAction Stop

        $put = @(Get-LarkSandboxRequest | Where-Object method -eq 'PUT')
        $put.Count | Should -Be 1
        $put[0].path_and_query | Should -Be "/open-apis/im/v1/messages/$($m.MessageId)"
        $body = $put[0].body | ConvertFrom-Json
        $body.msg_type | Should -Be 'text'
        $body.content | Should -Be '{"text":"Deploy 1.4: finished in 3 min"}'
        $stored = Get-InboxMessage $m.MessageId
        $stored.content | Should -Be '{"text":"Deploy 1.4: finished in 3 min"}'
        $stored.edits | Should -Be 1
        @($stored.revisions)[0].content | Should -Be '{"text":"Deploy 1.4: running"}'
        $edited.Action | Should -Be 'Edited'
        $edited.MessageId | Should -Be $m.MessageId
        $edited.UpdateTime | Should -Not -BeNullOrEmpty
    }

    It 'retries an edit whose answer was lost, and the message ends as edited once more' {
        $m = Send-LarkMessage -ReceiveId $ops -Text 'v1' -ErrorAction Stop
        Set-LarkSandboxFault @{ failAfterStore = 1 } | Out-Null

        $edited = $m | Set-LarkMessage -Text 'v2' -ErrorAction Stop

        $put = @(Get-LarkSandboxRequest | Where-Object method -eq 'PUT')
        $put.Count | Should -Be 2
        $put[0].status_code | Should -Be 500
        $put[1].status_code | Should -Be 200
        $edited.Attempts | Should -Be 2
        (Get-InboxMessage $m.MessageId).content | Should -Be '{"text":"v2"}'
    }
}

Describe 'Set-LarkMessage: Lark''s refusals, each with its error id and fix' {
    BeforeEach { Reset-LarkSandbox }

    It '<What>' -ForEach @(
        @{ What = 'an edit of a person''s message is NotMessageSender (230071)'; Code = '230071'; Id = 'NotMessageSender'; Fix = 'only messages the bot itself sent'
           Script = { $theirs | Set-LarkMessage -Text 'x' } }
        @{ What = 'an edit past the edit window is EditWindowPassed (230075)'; Code = '230075'; Id = 'EditWindowPassed'; Fix = 'administrator sets how long'
           Script = { Set-MessageAge $mine.MessageId @{ hours = 25 }; $mine | Set-LarkMessage -Text 'x' } }
        @{ What = 'the 21st edit is EditLimitReached (230072)'; Code = '230072'; Id = 'EditLimitReached'; Fix = 'at most 20 times'
           Script = { 1..20 | ForEach-Object { $mine | Set-LarkMessage -Text "v$_" -ErrorAction Stop } | Out-Null; $mine | Set-LarkMessage -Text 'v21' } }
        @{ What = 'an edit of a recalled message is MessageRecalled (230110)'; Code = '230110'; Id = 'MessageRecalled'; Fix = 'send a new message'
           Script = { $mine | Remove-LarkMessage -Confirm:$false -ErrorAction Stop | Out-Null; $mine | Set-LarkMessage -Text 'x' } }
        @{ What = 'an update of a card older than 14 days is CardUpdateWindowPassed (230031)'; Code = '230031'; Id = 'CardUpdateWindowPassed'; Fix = 'within 14 days'
           Script = { Set-MessageAge $shared.MessageId @{ days = 15 }; $shared | Set-LarkMessage -Content @{ elements = @(@{ tag = 'hr' }) } } }
        @{ What = 'an update of a recalled card is MessageRecalled (230011)'; Code = '230011'; Id = 'MessageRecalled'; Fix = 'send a new card'
           Script = { $shared | Remove-LarkMessage -Confirm:$false -ErrorAction Stop | Out-Null; $shared | Set-LarkMessage -Content @{ elements = @(@{ tag = 'hr' }) } } }
    ) {
        $mine = Send-LarkMessage -ReceiveId $ops -Text 'mine' -ErrorAction Stop
        $shared = Send-LarkMessage -ReceiveId $general -ContentType interactive -Content @{ elements = @(@{ tag = 'hr' }) } -Updatable -ErrorAction Stop
        $theirs = [pscustomobject]@{ MessageId = (New-PersonMessage $sandbox.Users['Alice'].openId $ops); ContentType = 'text' }
        $before = @($mine, $shared, $theirs | ForEach-Object { Get-InboxMessage $_.MessageId } | ForEach-Object { $_.content })

        # The refusal is a non-terminating error (build.ps1 runs the suite with $ErrorActionPreference Stop): collect it.
        $ErrorActionPreference = 'Continue'
        $refused = @(. $Script 2>&1 | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $ErrorActionPreference = 'Stop'

        $refused.Count | Should -Be 1
        $refused[0].FullyQualifiedErrorId | Should -Be "$Id,$setId"
        $refused[0].ErrorDetails.Message | Should -Match $Code
        $refused[0].ErrorDetails.RecommendedAction | Should -Match ([regex]::Escape($Fix))
        $refused[0].TargetObject | Should -Match '^om_'
        # The refused change left the message as it was (for the 21st edit: as the 20th left it).
        if ($Id -ne 'EditLimitReached') {
            @($mine, $shared, $theirs | ForEach-Object { Get-InboxMessage $_.MessageId } | ForEach-Object { $_.content }) | Should -Be $before
        }
        else { (Get-InboxMessage $mine.MessageId).content | Should -Be '{"text":"v20"}' }
    }
}

Describe 'Set-LarkMessage refuses offline what Lark would refuse, and -WhatIf sends nothing' {
    BeforeEach { Reset-LarkSandbox }

    It 'refuses a non-message id, a type Lark cannot change and invalid content before any request, naming the item' {
        $errors = @()
        Set-LarkMessage -MessageId oc_notamessage -Text 'x' -ErrorVariable +errors -ErrorAction SilentlyContinue
        Set-LarkMessage -MessageId om_0123456789abcdef0123456789abcdef -ContentType image -Content @{ image_key = 'img_x' } -ErrorVariable +errors -ErrorAction SilentlyContinue
        Set-LarkMessage -MessageId om_0123456789abcdef0123456789abcdef -ContentType post -Content @{ nope = 1 } -ErrorVariable +errors -ErrorAction SilentlyContinue

        $errors.Count | Should -Be 3
        $errors[0].FullyQualifiedErrorId | Should -Be "InvalidMessageId,$setId"
        $errors[0].TargetObject | Should -Be 'oc_notamessage'
        $errors[1].FullyQualifiedErrorId | Should -Be "InvalidMessage,$setId"
        $errors[1].ErrorDetails.Message | Should -Match 'updates cards'
        $errors[2].FullyQualifiedErrorId | Should -Be "InvalidMessage,$setId"
        @(Get-LarkSandboxRequest).Count | Should -Be 0
    }

    It 'refuses the parts of a table ConvertTo-LarkCard split over several cards: each would replace the last, leaving one part' {
        $sent = [pscustomobject]@{ Host = 'db-01'; Used = 40 } | ConvertTo-LarkCard -Title 'Disks' | Send-LarkMessage -ReceiveId $ops -ErrorAction Stop
        $parts = @(1..1500 | ForEach-Object { [pscustomobject]@{ Host = "host-$_"; Note = 'x' * 40 } } | ConvertTo-LarkCard -Title 'Disks')
        $parts.Count | Should -BeGreaterThan 1

        $errors = @()
        $out = @($parts | Set-LarkMessage -MessageId $sent.MessageId -ErrorVariable +errors -ErrorAction SilentlyContinue)

        $out.Count | Should -Be 0
        $errors.Count | Should -Be $parts.Count
        $errors | ForEach-Object { $_.FullyQualifiedErrorId | Should -Be "CardSplit,$setId" }
        $errors[0].TargetObject | Should -Be $sent.MessageId
        $errors[0].Exception.Message | Should -Match "one of $($parts.Count) cards"
        $errors[0].ErrorDetails.RecommendedAction | Should -Match 'Send-LarkMessage'
        @(Get-LarkSandboxRequest -Path "/open-apis/im/v1/messages/$($sent.MessageId)" | Where-Object method -eq 'PATCH').Count | Should -Be 0
        (Get-InboxMessage $sent.MessageId).card_updates | Should -Be 0

        # A table that fits one card updates the message as before.
        $one = [pscustomobject]@{ Host = 'db-01'; Used = 90 } | ConvertTo-LarkCard -Title 'Disks' | Set-LarkMessage -MessageId $sent.MessageId -ErrorAction Stop
        $one.Action | Should -Be 'Updated'
        # A text edit from a row that happens to have a Parts column is no card part: it is edited.
        $status = Send-LarkMessage -ReceiveId $ops -Text 'Deploying' -ErrorAction Stop
        $edited = [pscustomobject]@{ MessageId = $status.MessageId; ContentType = 'text'; Content = 'Deployed'; Parts = 3 } | Set-LarkMessage -ErrorAction Stop
        $edited.Action | Should -Be 'Edited'
    }

    It '-WhatIf makes no request, connected or not' {
        $m = [pscustomobject]@{ MessageId = 'om_0123456789abcdef0123456789abcdef'; ContentType = 'interactive' }

        $out = @($m | Set-LarkMessage -Content @{ elements = @(@{ tag = 'hr' }) } -WhatIf) + @(Set-LarkMessage -MessageId $m.MessageId -Text 'x' -WhatIf)
        Disconnect-Lark
        try {
            $out += @(Set-LarkMessage -MessageId $m.MessageId -Text 'x' -WhatIf -ErrorAction Stop)
        }
        finally { Connect-LarkSandbox | Out-Null }

        $out.Count | Should -Be 0
        @(Get-LarkSandboxRequest | Where-Object { $_.path_and_query -notlike '/open-apis/auth/*' }).Count | Should -Be 0
    }

    It 'on a webhook connection says that a hook cannot edit and how to connect instead, before any request' {
        $token = @(Invoke-RestMethod -Uri "$($sandbox.Url)/_sandbox/hooks")[0].token
        $hook = Connect-Lark -WebhookUri "$($sandbox.Url)/open-apis/bot/v2/hook/$token" -PassThru -ErrorAction Stop

        $thrown = $null
        try { Set-LarkMessage -MessageId om_0123456789abcdef0123456789abcdef -Text 'x' -Connection $hook -ErrorAction Stop }
        catch { $thrown = $_ }
        finally { Connect-LarkSandbox | Out-Null }

        $thrown | Should -Not -BeNullOrEmpty
        $thrown.FullyQualifiedErrorId | Should -Be "WebhookCannotActOnMessages,$setId"
        $thrown.ErrorDetails.RecommendedAction | Should -Match 'Connect-Lark -AppId'
        $thrown.ErrorDetails.RecommendedAction | Should -Match '-Connection'
        [string]$thrown | Should -Not -Match ([regex]::Escape($token))
        @(Get-LarkSandboxRequest | Where-Object { $_.path_and_query -notlike '/open-apis/auth/*' }).Count | Should -Be 0
    }
}

Describe 'Set-LarkMessage and Remove-LarkMessage share the app''s quota with sends' {
    BeforeEach { Reset-LarkSandbox }

    It 'edits and recalls right after a burst of sends are paced in the same window: Lark never refuses one for the app''s rate' {
        $receivers = @($ops, $general, $sandbox.Users['Alice'].openId, $sandbox.Users['Bob'].openId, $sandbox.Users['Erin'].openId)
        $sent = @(1..60 | ForEach-Object { @{ receiveId = $receivers[$_ % 5]; text = "status $_" } } | Send-LarkMessage -ErrorAction Stop)

        $edited = @($sent | Set-LarkMessage -Text 'status: done' -ErrorAction Stop)
        $recalled = @($sent | Remove-LarkMessage -Confirm:$false -ErrorAction Stop)

        $edited.Count | Should -Be 60
        $recalled.Count | Should -Be 60
        # The sandbox counts every send, edit and recall against the app's 50 a second, as Lark does, and refuses
        # what is over with 99991400: one limiter for all three means none was refused, so none was retried.
        $requests = @(Get-LarkSandboxRequest | Where-Object { $_.path_and_query -like '/open-apis/im/v1/messages*' })
        @($requests | Where-Object { $_.code -eq 99991400 -or $_.status_code -eq 429 }).Count | Should -Be 0
        # One PUT and one DELETE per message, none retried (the sends' own pacing per receiver is not under test here).
        @($requests | Where-Object method -eq 'PUT').Count | Should -Be 60
        @($requests | Where-Object method -eq 'DELETE').Count | Should -Be 60
        @(Get-LarkSandboxInbox | Where-Object { $_.deleted -and $_.content -eq '{"text":"status: done"}' }).Count | Should -Be 60
    }
}
