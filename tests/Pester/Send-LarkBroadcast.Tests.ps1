# Send-LarkBroadcast (issue 23) in real pwsh against a sandbox with 10,000 extra users: what the sandbox received
# (its /_sandbox/batch_messages) for a CSV of 10,000, a lost answer, a journal rerun, departments by name, -WhatIf.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/LarkPS.TestSupport.psm1')
    $sandbox = Start-LarkTestSandbox -Connect -Arguments '--extra-users', '10000', '--no-quotas'
    $sendId = 'LarkPS.Commands.SendLarkBroadcastCommand'
    $staff = @((Invoke-RestMethod -Uri "$($sandbox.Url)/_sandbox/directory").users | Where-Object name -like 'User *')
    function Get-Batches { @(Invoke-RestMethod -Uri "$($sandbox.Url)/_sandbox/batch_messages") }
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

    It 'lists the tree and the users of a department' {
        $tree = @(Get-LarkDepartment -Recurse -ErrorAction Stop)
        $tree.Path | Should -Contain 'Engineering/Platform'
        ($tree | Where-Object Path -eq 'Engineering').MemberCount | Should -Be 3
        @(Get-LarkUser -Department Engineering -Recurse).Name | Sort-Object | Should -Be @('Alice', 'Bob', 'Erin')
    }
}
