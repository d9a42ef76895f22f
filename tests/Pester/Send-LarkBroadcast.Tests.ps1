# Send-LarkBroadcast (issue 23) in real pwsh against a sandbox with 10,000 extra users: what the sandbox received
# (its /_sandbox/batch_messages) for a CSV of 10,000, a lost answer, a journal rerun, departments by name, -WhatIf.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/LarkPS.TestSupport.psm1')
    $sandbox = Start-LarkTestSandbox -Connect -Arguments '--extra-users', '10000', '--no-quotas'
    $sendId = 'LarkPS.Commands.SendLarkBroadcastCommand'
    $staff = @((Invoke-RestMethod -Uri "$($sandbox.Url)/_sandbox/directory").users | Where-Object name -like 'User *')
    # One object per batch (Invoke-RestMethod may write the JSON array as one object: enumerated here).
    function Get-Batches { Invoke-RestMethod -Uri "$($sandbox.Url)/_sandbox/batch_messages" | ForEach-Object { $_ } }
    function Set-Fault([hashtable] $Fault) {
        Invoke-RestMethod -Method Post -Uri "$($sandbox.Url)/_sandbox/faults" -ContentType 'application/json' -Body ($Fault | ConvertTo-Json) | Out-Null
    }
}

AfterAll { Stop-LarkTestSandbox }

Describe 'Send-LarkBroadcast' {
    BeforeEach { Reset-LarkSandbox }

    It 'sends 10,000 receivers from a CSV as 50 requests with no receiver twice' {
        $staff.Count | Should -Be 10000
        $csv = Join-Path $TestDrive 'staff.csv'
        # Each row twice: the broadcast de-duplicates.
        ($staff + $staff) | ForEach-Object { [pscustomobject]@{ Name = $_.name; OpenId = $_.openId } } | Export-Csv -Path $csv -NoTypeInformation

        $b = Import-Csv $csv | Send-LarkBroadcast -Text 'Security reminder' -ErrorAction Stop

        $b.Requests | Should -Be 50
        $b.Accepted | Should -Be 50
        $b.ReceiversAsked | Should -Be 10000
        $b.MessageIds.Count | Should -Be 50
        $batches = Get-Batches
        $batches.Count | Should -Be 50
        $ids = @($batches | ForEach-Object { $_.open_ids })
        $ids.Count | Should -Be 10000
        @($ids | Sort-Object -Unique).Count | Should -Be 10000
        ($batches | ForEach-Object { $_.open_ids.Count } | Measure-Object -Maximum).Maximum | Should -Be 200
        $batches[0].content | Should -Be '{"text":"Security reminder"}'
    }

    It 'reports exactly the 200 receivers of a request whose answer was lost as may have been sent, and resends none' {
        $journal = Join-Path $TestDrive 'lost.jsonl'
        Set-Fault @{ batchDropAfterAccept = 1 }
        $rows = $staff[0..999] | ForEach-Object { [pscustomobject]@{ OpenId = $_.openId } }

        $b = $rows | Send-LarkBroadcast -Text 'Maintenance' -ThrottleLimit 1 -Journal $journal -ErrorVariable failed -ErrorAction SilentlyContinue

        $b.Requests | Should -Be 5
        $b.Accepted | Should -Be 4
        $b.MayHaveBeenSent.Count | Should -Be 200
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be "BroadcastMayHaveBeenSent,$sendId"
        $failed[0].ErrorDetails.RecommendedAction | Should -Match 'Get-LarkBroadcast cannot follow it'
        # The sandbox accepted all five (the lost one too) and got each receiver once: nothing was resent.
        $batches = Get-Batches
        $batches.Count | Should -Be 5
        $ids = @($batches | ForEach-Object { $_.open_ids })
        @($ids | Sort-Object -Unique).Count | Should -Be 1000
        $lost = $batches | Where-Object { $_.message_id -notin $b.MessageIds }
        @($lost.open_ids | Sort-Object) | Should -Be @($b.MayHaveBeenSent.Id | Sort-Object)

        # A rerun with the journal sends nothing: four requests accepted, one may have been sent.
        $again = $rows | Send-LarkBroadcast -Text 'Maintenance' -Journal $journal -ErrorAction Stop
        $again.Requests | Should -Be 0
        $again.SkippedByJournal | Should -Be 1000
        (Get-Batches).Count | Should -Be 5

        # Checked that they did not get it: -Force sends to exactly those 200.
        $forced = $rows | Send-LarkBroadcast -Text 'Maintenance' -Journal $journal -Force -ErrorAction Stop
        $forced.Requests | Should -Be 1
        $forced.SkippedByJournal | Should -Be 800
        $last = (Get-Batches)[-1]
        @($last.open_ids | Sort-Object) | Should -Be @($b.MayHaveBeenSent.Id | Sort-Object)
    }

    It 'completes with a journal rerun what a run did not send' {
        $journal = Join-Path $TestDrive 'rest.jsonl'
        $first = $staff[0..399] | ForEach-Object { $_.openId } | Send-LarkBroadcast -Text 'Notice' -Journal $journal -ErrorAction Stop
        $first.Requests | Should -Be 2

        $all = $staff[0..999] | ForEach-Object { $_.openId } | Send-LarkBroadcast -Text 'Notice' -Journal $journal -ErrorAction Stop

        $all.SkippedByJournal | Should -Be 400
        $all.Requests | Should -Be 3
        $ids = @(Get-Batches | ForEach-Object { $_.open_ids })
        $ids.Count | Should -Be 1000
        @($ids | Sort-Object -Unique).Count | Should -Be 1000
    }

    It 'sends to departments by name, dropping one inside another' {
        $b = Send-LarkBroadcast -Department Engineering, Platform -Text 'Deploy at 18:00' -ErrorAction Stop

        $b.Accepted | Should -Be 1
        $batch = Get-Batches
        @($batch).Count | Should -Be 1
        @($batch[0].department_ids) | Should -Be @('od-4e6ac4d14ee8f2bdbd6e3d2a5e4cb8e1')
        @($batch[0].receivers).Count | Should -Be 3
    }

    It 'names a department it cannot find and sends to the rest' {
        $b = Send-LarkBroadcast -Department Sales, 'No such team' -Text 'Hi' -ErrorVariable failed -ErrorAction SilentlyContinue

        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be "DepartmentNotFound,$sendId"
        $failed[0].TargetObject | Should -Be 'No such team'
        $b.Accepted | Should -Be 1
    }

    It 'offers the names like a misspelt department, and when no receiver is left says so and sends nothing' {
        $b = Send-LarkBroadcast -Department 'Enginering' -Text 'Hi' -ErrorVariable failed -ErrorAction SilentlyContinue

        $b | Should -BeNullOrEmpty
        $failed.Count | Should -Be 2
        $failed[0].FullyQualifiedErrorId | Should -Be "DepartmentNotFound,$sendId"
        $failed[0].Exception.Message | Should -Match ([regex]::Escape("Similar: 'Engineering' (od-4e6ac4d14ee8f2bdbd6e3d2a5e4cb8e1)."))
        $failed[1].FullyQualifiedErrorId | Should -Be "BroadcastNoReceivers,$sendId"
        $failed[1].Exception.Message | Should -Be 'None of the receivers given can get the broadcast: nothing was sent.'
        @(Get-Batches).Count | Should -Be 0
    }

    It 'resolves e-mail addresses 50 to a call and names the unknown one' {
        $emails = @($staff[0..119] | ForEach-Object { $_.email }) + 'nobody@example.com'

        $b = Send-LarkBroadcast -Email $emails -Text 'Hi' -ErrorVariable failed -ErrorAction SilentlyContinue

        $lookups = @(Get-LarkSandboxRequest | Where-Object path_and_query -like '*batch_get_id*')
        $lookups.Count | Should -Be 3
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be "BroadcastReceiverInvalid,$sendId"
        $failed[0].TargetObject | Should -Be 'nobody@example.com'
        $b.ReceiversAsked | Should -Be 120
        @((Get-Batches)[0].open_ids) | Should -Contain $staff[0].openId
    }

    It '-WhatIf says how many requests and receivers, and sends nothing' {
        # What if is written to the host: a console of its own shows it.
        $script = "Connect-Lark -BaseUri '$($sandbox.Url)' -AppId cli_sandbox -AppSecret (ConvertTo-SecureString sandbox-secret -AsPlainText -Force) | Out-Null`n" +
            "1..1000 | ForEach-Object { 'ou_{0:x32}' -f `$_ } | Send-LarkBroadcast -Text Hi -Department Sales -WhatIf"
        $run = Invoke-LarkChildPowerShell -Script $script

        $run.Output | Should -Match '6 batch requests'
        $run.Output | Should -Match '1001 receivers \(1000 open_ids, 1 department\)'
        @(Get-LarkSandboxRequest | Where-Object path_and_query -like '*batch_send*').Count | Should -Be 0
        (Get-Batches).Count | Should -Be 0
    }
}

Describe 'Send-LarkBroadcast content: markdown, cards and mentions' {
    BeforeEach { Reset-LarkSandbox }

    It 'sends -Markdown as a card with a markdown component, the mention after it, and -WhatIf shows the same content' {
        $alice = $sandbox.Users['Alice']
        $md = "## Maintenance`n`n**22:00** to 23:00: db-01, db-02`n`n- [runbook](https://example.com/r)"
        $shown = @(Send-LarkBroadcast -UserId $staff[0].openId -Markdown $md -Title 'Tonight' -Mention $alice.email -WhatIf -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'Content (*' })
        (Get-Batches).Count | Should -Be 0

        $b = Send-LarkBroadcast -UserId $staff[0].openId -Markdown $md -Title 'Tonight' -Mention $alice.email -ErrorAction Stop

        $b.MsgType | Should -Be 'interactive'
        $batch = @(Get-Batches)
        $batch.Count | Should -Be 1
        $batch[0].msg_type | Should -Be 'interactive'
        $card = $batch[0].content | ConvertFrom-Json
        $card.schema | Should -Be '2.0'
        $card.header.title.content | Should -Be 'Tonight'
        @($card.body.elements).Count | Should -Be 1
        $card.body.elements[0].tag | Should -Be 'markdown'
        $card.body.elements[0].content | Should -Be ($md + "`n<at id=$($alice.openId)></at>")
        $shown.Count | Should -Be 1
        $shown[0].Message | Should -Be "Content (interactive, batch_send's card): $($batch[0].content)"
    }

    It 'takes a New-LarkCard card as -Card (with a mention) and as -Content' {
        $bob = $sandbox.Users['Bob']
        $card = New-LarkCard -Title 'Deploy done' -Markdown 'All green' -Template green

        Send-LarkBroadcast -UserId $staff[0].openId -Card $card -Mention $bob.openId -ErrorAction Stop | Out-Null
        Send-LarkBroadcast -UserId $staff[1].openId -Content $card -ErrorAction Stop | Out-Null

        $batches = @(Get-Batches)
        $batches.Count | Should -Be 2
        $batches.msg_type | Should -Be @('interactive', 'interactive')
        $mentioned = $batches[0].content | ConvertFrom-Json
        $mentioned.header.title.content | Should -Be 'Deploy done'
        @($mentioned.body.elements)[-1].content | Should -Be "<at id=$($bob.openId)></at>"
        ConvertTo-LarkCanonicalJson $batches[1].content | Should -Be (ConvertTo-LarkCanonicalJson $card.Content)
    }

    It 'writes a text mention as an at user_id tag and refuses two contents or two cards, sending nothing' {
        $alice = $sandbox.Users['Alice']
        Send-LarkBroadcast -UserId $staff[0].openId -Text 'Hi' -Mention $alice.openId -ErrorAction Stop | Out-Null
        ((Get-Batches)[0].content | ConvertFrom-Json).text | Should -Be "Hi <at user_id=`"$($alice.openId)`"></at>"

        $card = New-LarkCard -Title 'One'
        { Send-LarkBroadcast -UserId $staff[0].openId -Markdown 'x' -Text 'y' } | Should -Throw -ErrorId "BroadcastContentInvalid,$sendId"
        { Send-LarkBroadcast -UserId $staff[0].openId -Card @($card, $card) } | Should -Throw -ErrorId "BroadcastContentInvalid,$sendId"
        { Send-LarkBroadcast -UserId $staff[0].openId -Title 'T' -Text 'y' } | Should -Throw -ErrorId "BroadcastContentInvalid,$sendId"
        @(Get-Batches).Count | Should -Be 1
    }
}

Describe 'Send-LarkBroadcast receivers: no one twice, phone numbers' {
    BeforeEach { Reset-LarkSandbox }

    It 'leaves out users and a department that a department given reaches, and sends to the outside user' {
        $bob = $sandbox.Users['Bob']; $erin = $sandbox.Users['Erin']; $alice = $sandbox.Users['Alice']
        $platform = 'od-9b1f3f0e8a3a4a52b5d0c6c1e5f2a7d3'

        $b = Send-LarkBroadcast -Department Engineering -UserId $bob.openId, $staff[0].openId, $platform -Email $erin.email -Text 'Deploy' -ErrorAction Stop

        $b.CoveredByDepartment | Should -Be 3
        @($b.Covered.Id | Sort-Object) | Should -Be @(@($bob.openId, $erin.openId, $platform) | Sort-Object)
        $batches = @(Get-Batches)
        $batches.Count | Should -Be 2
        @($batches | ForEach-Object { $_.department_ids }) | Should -Be @('od-4e6ac4d14ee8f2bdbd6e3d2a5e4cb8e1')
        $ids = @($batches | ForEach-Object { $_.open_ids })
        $ids | Should -Be @($staff[0].openId)
        $ids | Should -Not -Contain $bob.openId
        $ids | Should -Not -Contain $erin.openId
        # Alice, Bob and Erin get it once, through Engineering.
        @($batches | ForEach-Object { $_.receivers } | Where-Object { $_ -in $alice.openId, $bob.openId, $erin.openId }).Count | Should -Be 3
    }

    It 'warns and sends the users as given when the app cannot read the departments'' members' {
        $bob = $sandbox.Users['Bob']
        Invoke-RestMethod -Method Post -Uri "$($sandbox.Url)/_sandbox/scopes" -ContentType 'application/json' -Body '{"revoke":["contact:user.base:readonly"]}' | Out-Null

        $b = Send-LarkBroadcast -Department Engineering -UserId $bob.openId, $staff[0].openId -Text 'Deploy' -WarningVariable warned -WarningAction SilentlyContinue -ErrorAction Stop

        $warned.Count | Should -Be 1
        $warned[0].Message | Should -Match "could not read the departments' members"
        $warned[0].Message | Should -Match '99991672|scope'
        $b.CoveredByDepartment | Should -Be 0
        $b.Accepted | Should -Be 2
        $ids = @(Get-Batches | ForEach-Object { $_.open_ids })
        $ids | Should -Contain $bob.openId
        $ids | Should -Contain $staff[0].openId
    }

    It 'stops before sending when the department tree cannot be read, and sends department ids from the pipeline with a warning' {
        Invoke-RestMethod -Method Post -Uri "$($sandbox.Url)/_sandbox/scopes" -ContentType 'application/json' -Body '{"revoke":["contact:department.base:readonly"]}' | Out-Null
        Disconnect-Lark; Connect-LarkSandbox | Out-Null   # a new connection: no tree kept from an earlier test

        { Send-LarkBroadcast -Department Engineering -UserId $staff[0].openId -Text 'Deploy' -ErrorAction Stop } |
            Should -Throw -ErrorId "MissingPermission,$sendId"
        @(Get-Batches).Count | Should -Be 0

        $b = 'od-4e6ac4d14ee8f2bdbd6e3d2a5e4cb8e1', $staff[0].openId | Send-LarkBroadcast -Text 'Deploy' -WarningVariable warned -WarningAction SilentlyContinue -ErrorAction Stop
        $warned.Count | Should -Be 1
        $warned[0].Message | Should -Match 'could not read the department tree'
        $b.Accepted | Should -Be 2
    }

    It '-WhatIf counts what is left out and sends nothing' {
        $bob = $sandbox.Users['Bob']
        $script = "Connect-Lark -BaseUri '$($sandbox.Url)' -AppId cli_sandbox -AppSecret (ConvertTo-SecureString sandbox-secret -AsPlainText -Force) | Out-Null`n" +
            "Send-LarkBroadcast -Department Engineering -UserId '$($bob.openId)', '$($staff[0].openId)' -Text Hi -WhatIf"
        $run = Invoke-LarkChildPowerShell -Script $script

        $run.Output | Should -Match '2 batch requests'
        $run.Output | Should -Match '2 receivers \(1 open_id, 1 department\); 1 receiver left out'
        @(Get-LarkSandboxRequest | Where-Object path_and_query -like '*batch_send*').Count | Should -Be 0
    }

    It 'resolves phone numbers from -Phone and Mobile/Phone columns in one call and names the one Lark does not show' {
        $alice = $sandbox.Users['Alice']; $bob = $sandbox.Users['Bob']; $erin = $sandbox.Users['Erin']
        $carol = [pscustomobject]@{ Name = 'Carol'; Mobile = '+86 138 0000 0003' }
        $rows = @(
            [pscustomobject]@{ Name = 'Alice'; Mobile = '+86 138 0000 0001' },
            [pscustomobject]@{ Name = 'Bob'; Phone = '13800000002' },
            $carol)

        $b = $rows | Send-LarkBroadcast -Phone '+1 415 555 0100' -Text 'Hi' -ErrorVariable failed -ErrorAction SilentlyContinue

        @(Get-LarkSandboxRequest | Where-Object path_and_query -like '*batch_get_id*').Count | Should -Be 1
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be "BroadcastReceiverInvalid,$sendId"
        $failed[0].Exception.Message | Should -Match ([regex]::Escape('+86 138 0000 0003'))
        $failed[0].ErrorDetails.RecommendedAction | Should -Match 'visible range'
        $failed[0].ErrorDetails.RecommendedAction | Should -Match 'country code'
        $failed[0].TargetObject.Name | Should -Be 'Carol'
        $b.ReceiversAsked | Should -Be 3
        @((Get-Batches).open_ids | Sort-Object) | Should -Be @(@($alice.openId, $bob.openId, $erin.openId) | Sort-Object)
        $b.Invalid.Input | Should -Be @('+86 138 0000 0003')
        $b.Invalid[0].Reason | Should -Be 'Lark has no user the app can see with this phone number'
        $b.Invalid[0].Fix | Should -Match '^Check it .*visible range'
    }

    It 'says what is wrong with a receiver in the message and what to do in the recommendation, and lists it in Invalid' {
        $rows = @(
            [pscustomobject]@{ Name = 'Dana'; Mobile = '+86 555 0000' },
            [pscustomobject]@{ Name = 'Ops room'; ChatId = 'oc_ops' },
            [pscustomobject]@{ Name = 'Alice'; Email = $sandbox.Users['Alice'].email })

        $b = $rows | Send-LarkBroadcast -Text 'Hi' -ErrorVariable failed -ErrorAction SilentlyContinue

        $failed.Count | Should -Be 2
        $phone = $failed | Where-Object { $_.TargetObject.Name -eq 'Dana' }
        $phone.Exception.Message | Should -Be "Receiver +86 555 0000 (phone) gets no broadcast: the phone number '+86 555 0000' is a +86 number but not an 11-digit mobile number starting with 1."
        $phone.ErrorDetails.RecommendedAction | Should -Match '^Give a mainland China mobile number .* The other receivers are sent\.$'
        $phone.ErrorDetails.RecommendedAction | Should -Not -Match '555 0000'
        $chat = $failed | Where-Object { $_.TargetObject.Name -eq 'Ops room' }
        $chat.Exception.Message | Should -Match 'not chats\.$'
        $chat.ErrorDetails.RecommendedAction | Should -Match 'Send-LarkMessage'
        @($b.Invalid.Input | Sort-Object) | Should -Be @('+86 555 0000', 'oc_ops')
        @($b.Invalid | Where-Object { -not $_.Fix }).Count | Should -Be 0
        @((Get-Batches).open_ids) | Should -Be @($sandbox.Users['Alice'].openId)
    }
}

Describe 'Send-LarkBroadcast phone numbers past one look-up' {
    BeforeEach { Reset-LarkSandbox }

    It 'resolves 120 phone numbers 50 to a call (3 calls), each receiver once' {
        # The extra users' mobiles are +86139 and their number in 8 digits; written here as a person would type them.
        $numbers = 1..120 | ForEach-Object { '+86 139 {0:0000} {1:0000}' -f [math]::Floor($_ / 10000), ($_ % 10000) }
        $rows = $numbers | ForEach-Object { [pscustomobject]@{ Mobile = $_ } }

        $b = ($rows + $rows[0..9]) | Send-LarkBroadcast -Text 'Hi' -ErrorAction Stop

        $lookups = @(Get-LarkSandboxRequest | Where-Object path_and_query -like '*batch_get_id*')
        $lookups.Count | Should -Be 3
        $b.ReceiversAsked | Should -Be 120
        $ids = @((Get-Batches).open_ids)
        $ids.Count | Should -Be 120
        @($ids | Sort-Object -Unique) | Should -Be @($staff[0..119].openId | Sort-Object -Unique)
    }
}

Describe 'Get-LarkBroadcast, Remove-LarkBroadcast, Get-LarkDepartment' {
    BeforeEach { Reset-LarkSandbox }

    It 'follows a broadcast until done, then recalls it' {
        $b = Send-LarkBroadcast -Department Engineering -Text 'All hands' -ErrorAction Stop
        $p = $b | Get-LarkBroadcast -Wait -ErrorAction Stop
        $p.Done | Should -BeTrue
        $p.Valid | Should -Be 3
        $p.Succeeded | Should -Be 3

        $b | Remove-LarkBroadcast -Confirm:$false -ErrorAction Stop
        ($b | Get-LarkBroadcast).Recalled | Should -BeTrue
        @(Get-LarkSandboxRequest | Where-Object method -eq 'DELETE').Count | Should -Be 1
    }

    It 'leaves a batch id Lark does not know out after its one error, so -Wait ends when the others are done' {
        $b = Send-LarkBroadcast -Department Engineering -Text 'All hands' -ErrorAction Stop
        $unknown = 'bm-00000000000000000000000000000000'

        $watch = [Diagnostics.Stopwatch]::StartNew()
        $p = Get-LarkBroadcast -MessageId $b.MessageIds[0], $unknown -Wait -TimeoutSec 30 -ErrorVariable failed -ErrorAction SilentlyContinue -WarningVariable late -WarningAction SilentlyContinue
        $watch.Stop()

        # Before, the unknown id was counted as a batch never scheduled: -Wait waited out -TimeoutSec, an error a second.
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be 'BroadcastNotFound,LarkPS.Commands.GetLarkBroadcastCommand'
        $failed[0].TargetObject | Should -Be $unknown
        $late | Should -BeNullOrEmpty
        $p.Done | Should -BeTrue
        $p.MessageIds | Should -Be @($b.MessageIds[0])
        $p.Succeeded | Should -Be 3
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 25
    }

    It 'lists the tree and the users of a department' {
        $tree = @(Get-LarkDepartment -Recurse -ErrorAction Stop)
        $tree.Path | Should -Contain 'Engineering/Platform'
        ($tree | Where-Object Path -eq 'Engineering').MemberCount | Should -Be 3
        @(Get-LarkUser -Department Engineering -Recurse).Name | Sort-Object | Should -Be @('Alice', 'Bob', 'Erin')

        # Members pipe as users, into either send.
        $members = @(Get-LarkUser -Department Engineering -Recurse)
        $sent = @($members | Send-LarkMessage -Text 'Standup moved' -ErrorAction Stop)
        @($sent.ReceiveId | Sort-Object) | Should -Be @($members.OpenId | Sort-Object)
        ($members | Send-LarkBroadcast -Text 'Standup moved' -ErrorAction Stop).ReceiversAsked | Should -Be 3
        @((Get-Batches).open_ids | Sort-Object) | Should -Be @($members.OpenId | Sort-Object)
    }
}

Describe 'Send-LarkBroadcast audit: views, row names, receivers Lark does not show' {
    BeforeEach { Reset-LarkSandbox }

    It 'shows the elapsed seconds in its default view' {
        $b = Send-LarkBroadcast -Department Sales -Text 'Hi' -ErrorAction Stop

        # The table's last column held an invalid script block ($'...'), so it was blank.
        $lines = @(($b | Out-String -Width 200) -split "`r?`n" | Where-Object { $_ -match '\S' })
        $lines[-1] | Should -Match '\d+[.,]\d\d s$'
    }

    It 'names a piped row without a receiver by its place and its properties' {
        $rows = @(
            [pscustomobject]@{ Name = 'Alice'; Email = $sandbox.Users['Alice'].email },
            [pscustomobject]@{ Name = 'Dana'; Email = '' })

        $b = $rows | Send-LarkBroadcast -Text 'Hi' -ErrorVariable failed -ErrorAction SilentlyContinue

        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be "BroadcastReceiverInvalid,$sendId"
        $failed[0].Exception.Message | Should -Be 'Receiver piped item 2 (row) gets no broadcast: it has no OpenId, Email or Phone (Mobile) value (its properties: Name, Email).'
        $failed[0].TargetObject.Name | Should -Be 'Dana'
        $b.Invalid[0].Input | Should -Be 'piped item 2'
        @((Get-Batches).open_ids) | Should -Be @($sandbox.Users['Alice'].openId)
    }

    It 'says nothing was sent when no address given is one Lark shows, and -WhatIf offers no request' {
        $b = Send-LarkBroadcast -Email 'nobody@example.com', 'none@example.com' -Text 'Hi' -ErrorVariable failed -ErrorAction SilentlyContinue

        $b | Should -BeNullOrEmpty
        $failed.Count | Should -Be 3
        $failed[2].FullyQualifiedErrorId | Should -Be "BroadcastNoReceivers,$sendId"
        $failed[2].Exception.Message | Should -Be 'None of the receivers given can get the broadcast: nothing was sent.'
        @(Get-LarkSandboxRequest | Where-Object path_and_query -like '*batch_send*').Count | Should -Be 0

        # -WhatIf (connected: it looks the address up) says the same instead of offering a request to 0 receivers.
        Send-LarkBroadcast -Email 'nobody@example.com' -Text 'Hi' -WhatIf -ErrorVariable whatIfFailed -ErrorAction SilentlyContinue
        @($whatIfFailed.FullyQualifiedErrorId) | Should -Be @("BroadcastReceiverInvalid,$sendId", "BroadcastNoReceivers,$sendId")
    }

    It 'does not tell a look-up that nothing was sent' {
        Get-LarkDepartment -Department 'No such team' -ErrorVariable failed -ErrorAction SilentlyContinue
        Get-LarkUser -Department 'No such team' -ErrorVariable +failed -ErrorAction SilentlyContinue

        $failed.Count | Should -Be 2
        $failed | ForEach-Object { $_.ErrorDetails.RecommendedAction | Should -Not -Match 'sent' }
        Send-LarkBroadcast -Department 'No such team' -Text 'Hi' -ErrorVariable sendFailed -ErrorAction SilentlyContinue
        $sendFailed[0].ErrorDetails.RecommendedAction | Should -Match 'Nothing was sent to it\.$'
    }
}
