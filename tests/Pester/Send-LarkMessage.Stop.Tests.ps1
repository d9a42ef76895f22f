# -ErrorAction Stop stops, and what a stopped run leaves unconfirmed can be sent again without doubling anything:
# checked in what the sandbox received (it de-duplicates uuids for an hour, as Lark does).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/LarkPS.TestSupport.psm1')
    $sandbox = Start-LarkTestSandbox -Connect
    $ops = $sandbox.Chats['Ops alerts'].chatId
    $noBot = $sandbox.Chats['No bot here'].chatId
    $sendId = 'LarkPS.Commands.SendLarkMessageCommand'

    # The texts the sandbox delivered, oldest first.
    function Get-DeliveredText { @(Get-LarkSandboxInbox | ForEach-Object { ($_.content | ConvertFrom-Json).text }) }
    # The texts of every send request the sandbox received (refused ones included).
    function Get-SentText { @(Get-LarkSandboxSend | ForEach-Object { (($_.body | ConvertFrom-Json).content | ConvertFrom-Json).text }) }
}

AfterAll { Stop-LarkTestSandbox }

Describe 'Send-LarkMessage -ErrorAction Stop' {
    BeforeAll {
        # One message a second per receiver: the second message to a chat cannot start within the first second, so
        # what starts before a refusal answered in 300 ms is known exactly.
        $sandboxInfo = Get-LarkTestSandbox
        Connect-Lark -BaseUri $sandboxInfo.Url -AppId $sandboxInfo.AppId -AppSecret (Get-LarkSandboxSecret) -QuotaPerReceiverPerSecond 1 -ErrorAction Stop | Out-Null
    }
    AfterAll { Connect-LarkSandbox | Out-Null }
    BeforeEach {
        Reset-LarkSandbox
        # The connection's per-receiver windows outlive the sandbox's reset: let the last test's second pass, or an item
        # to a receiver used a moment ago waits while the next one (to a free receiver) goes ahead of it.
        Start-Sleep -Milliseconds 1200
    }

    It 'starts nothing after a refused first item, writes the item in flight, then throws the refusal (<How>)' -ForEach @(
        @{ How = '-ErrorAction Stop' }
        @{ How = '$ErrorActionPreference = ''Stop''' }
    ) {
        # Every answer takes 300 ms: 'good 1' (another receiver) starts with the refused item and is in flight when it is
        # refused; 'good 2' to 5 (the same chat as 'good 1', one a second) cannot have started before.
        Set-LarkSandboxFault @{ latencyMs = 300 } | Out-Null
        $items = @([pscustomobject]@{ receiveType = 'chat'; receiveId = $noBot; content = 'refused' }) +
            @(1..5 | ForEach-Object { [pscustomobject]@{ receiveType = 'chat'; receiveId = $ops; content = "good $_" } })
        $written = New-Object System.Collections.ArrayList
        $caught = $null

        try {
            if ($How -eq '-ErrorAction Stop') {
                $items | Send-LarkMessage -ErrorAction Stop 3>$null | ForEach-Object { [void]$written.Add($_) }
            }
            else {
                & {
                    $ErrorActionPreference = 'Stop'
                    $items | Send-LarkMessage 3>$null | ForEach-Object { [void]$written.Add($_) }
                }
            }
        }
        catch { $caught = $_ }

        $caught | Should -Not -BeNullOrEmpty -Because 'try/catch catches the terminating error'
        $caught.FullyQualifiedErrorId | Should -Be "BotNotInChat,$sendId"
        $caught.TargetObject.content | Should -Be 'refused'
        $caught.ErrorDetails.Message | Should -Match 'code 230002'
        # Only the two started before the refusal reached the sandbox; the second, in flight, was delivered and written.
        Get-SentText | Sort-Object | Should -Be @('good 1', 'refused')
        Get-DeliveredText | Should -Be @('good 1')
        @($written).Count | Should -Be 1
        $written[0].MessageId | Should -Be (Get-LarkSandboxInbox)[0].message_id
        $last = (Get-LarkConnection).LastDelivery
        $last.WasStopped | Should -BeTrue
        $last.Sent | Should -Be 1
        $last.Failed | Should -BeGreaterOrEqual 1
        @($last.UnconfirmedItems).Count | Should -Be 4
        @($last.UnconfirmedItems | ForEach-Object { [string]$_.Status } | Select-Object -Unique) | Should -Be @('NotStarted')
        @($last.UnconfirmedItems.InputObject.content) | Should -Be @('good 2', 'good 3', 'good 4', 'good 5')
    }

    It 'writes what finished before the refusal, in order, when the refused item comes second' {
        $items = @(
            [pscustomobject]@{ receiveType = 'chat'; receiveId = $ops; content = 'first' }
            [pscustomobject]@{ receiveType = 'chat'; receiveId = $noBot; content = 'refused' }
            [pscustomobject]@{ receiveType = 'chat'; receiveId = $ops; content = 'third' }
            [pscustomobject]@{ receiveType = 'chat'; receiveId = $ops; content = 'fourth' }
        )
        $written = New-Object System.Collections.ArrayList

        $err = { $items | Send-LarkMessage -ThrottleLimit 1 -ErrorAction Stop 3>$null | ForEach-Object { [void]$written.Add($_) } } | Should -Throw -PassThru

        $err.FullyQualifiedErrorId | Should -Be "BotNotInChat,$sendId"
        Get-SentText | Should -Be @('first', 'refused')
        @($written.MessageId) | Should -Be @((Get-LarkSandboxInbox).message_id)
        Get-DeliveredText | Should -Be @('first')
    }

    It 'stops at an invalid item before sending anything, and says what was left in a warning' {
        $items = @(
            [pscustomobject]@{ receiveType = 'chat'; receiveId = $ops; contentType = 'image'; content = '{"file_key":"x"}' }
            [pscustomobject]@{ receiveType = 'chat'; receiveId = $ops; content = 'after' }
        )

        $err = { $items | Send-LarkMessage -ErrorAction Stop } | Should -Throw -PassThru

        $err.FullyQualifiedErrorId | Should -Be "InvalidMessage,$sendId"
        $err.TargetObject.contentType | Should -Be 'image'
        @(Get-LarkSandboxSend).Count | Should -Be 0
    }

    It 'reports a second refusal in flight as a warning, since PowerShell writes one error under Stop' {
        # Two requests in flight, both refused: a slot only frees at a refusal, so the third never starts.
        Set-LarkSandboxFault @{ latencyMs = 300 } | Out-Null
        $items = @(
            [pscustomobject]@{ receiveType = 'chat'; receiveId = $noBot; content = 'refused 1' }
            [pscustomobject]@{ receiveType = 'user'; receiveId = $sandbox.Users['Carol'].openId; content = 'refused 2' }
            [pscustomobject]@{ receiveType = 'chat'; receiveId = $ops; content = 'never' }
        )

        $err = { $items | Send-LarkMessage -ThrottleLimit 2 -ErrorAction Stop -WarningVariable script:warned 3>$null } | Should -Throw -PassThru

        # Both were in flight; whichever Lark refused first is the error, the other a warning with its fix.
        $err.FullyQualifiedErrorId | Should -BeIn @("BotNotInChat,$sendId", "ReceiverOutsideVisibleRange,$sendId")
        $other = if ($err.FullyQualifiedErrorId -like 'BotNotInChat*') { 'code 230013' } else { 'code 230002' }
        @($script:warned | Where-Object { "$_" -match $other -and "$_" -match 'Fix: ' }).Count | Should -Be 1
        @($script:warned | Where-Object { "$_" -match 'LastDelivery.UnconfirmedItems \| Send-LarkMessage' }).Count | Should -Be 1
        Get-SentText | Sort-Object | Should -Be @('refused 1', 'refused 2')
        @((Get-LarkConnection).LastDelivery.UnconfirmedItems.InputObject.content) | Should -Be @('never')
    }
}

Describe 'Sending again what a stopped run left unconfirmed' {
    BeforeEach { Reset-LarkSandbox }

    It 'after -ErrorAction Stop: the items never started go once each, with their uuids, and nothing twice' {
        # One request at a time: only the refusal frees the slot, so none of the six starts; 300 ms is ample for
        # Send-LarkMessage to have read all seven items before the refusal comes back.
        Set-LarkSandboxFault @{ latencyMs = 300 } | Out-Null
        $items = @([pscustomobject]@{ receiveType = 'chat'; receiveId = $noBot; content = 'refused' }) +
            @(1..6 | ForEach-Object { [pscustomobject]@{ receiveType = 'chat'; receiveId = $ops; content = "item $_" } })
        { $items | Send-LarkMessage -ThrottleLimit 1 -ErrorAction Stop 3>$null | Out-Null } | Should -Throw
        $unconfirmed = @((Get-LarkConnection).LastDelivery.UnconfirmedItems)
        $unconfirmed.Count | Should -Be 6
        $unconfirmed[0].PSObject.TypeNames[0] | Should -Be 'LarkPS.Session.UnconfirmedMessage'
        Set-LarkSandboxFault @{ latencyMs = 0 } | Out-Null

        $resent = @($unconfirmed | Send-LarkMessage)

        $resent.Count | Should -Be 6
        @($resent.Uuid) | Should -Be @($unconfirmed.Uuid)
        # Sent at once they may arrive in any order (as at Lark): each exactly once, with the uuid it had.
        Get-DeliveredText | Sort-Object | Should -Be @(1..6 | ForEach-Object { "item $_" })
        @(Get-LarkSandboxInbox).uuid | Sort-Object | Should -Be @($unconfirmed.Uuid | Sort-Object)
    }

    It 'after PowerShell.Stop() (Ctrl+C) part-way: every message is in the inbox exactly once' {
        # Answers take a second, longer than the stop's grace period: the stop cuts off sends in flight, some of which
        # the sandbox has already delivered (it receives a request after half the round trip).
        Set-LarkSandboxFault @{ latencyMs = 1000 } | Out-Null
        $receivers = $ops, $sandbox.Users['Alice'].openId, $sandbox.Users['Bob'].openId
        $items = @(1..45 | ForEach-Object { [pscustomobject]@{ receiveId = $receivers[$_ % 3]; content = "message $_" } })
        $connection = Get-LarkConnection
        $manifest = Join-Path (Get-LarkRepoRoot) 'out/LarkPS/LarkPS.psd1'
        $ps = [powershell]::Create()
        [void]$ps.AddScript("Import-Module '$manifest'; `$args[0] | Send-LarkMessage -Connection `$args[1] -ThrottleLimit 8").AddArgument($items).AddArgument($connection)
        $run = $ps.BeginInvoke()
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while (@(Get-LarkSandboxInbox).Count -lt 8 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
        $ps.Stop()
        try { $ps.EndInvoke($run) | Out-Null } catch { }
        $ps.Dispose()

        $last = $connection.LastDelivery
        $last.WasStopped | Should -BeTrue
        $unconfirmed = @($last.UnconfirmedItems)
        $unconfirmed.Count | Should -BeGreaterThan 0
        $last.Sent + $unconfirmed.Count | Should -Be 45
        $before = @(Get-LarkSandboxInbox)
        $before.Count | Should -BeLessThan 45
        $sentUuids = @(Get-LarkSandboxSend | ForEach-Object { ($_.body | ConvertFrom-Json).uuid })
        # Never started means the sandbox never saw the uuid (the others were sent and may have arrived).
        @($unconfirmed | Where-Object { [string]$_.Status -eq 'NotStarted' }).Count | Should -BeGreaterThan 0
        foreach ($item in $unconfirmed | Where-Object { [string]$_.Status -eq 'NotStarted' }) { $sentUuids | Should -Not -Contain $item.Uuid }
        # Whatever the sandbox saw and did not confirm is reported as may have arrived, never as not started.
        foreach ($item in $unconfirmed | Where-Object { $_.Uuid -in $sentUuids }) { [string]$item.Status | Should -Be 'MayHaveArrived' }
        # Confirmed ones are in the inbox.
        @($before | Where-Object { $_.uuid -notin $unconfirmed.Uuid }).Count | Should -Be $last.Sent

        Set-LarkSandboxFault @{ latencyMs = 0 } | Out-Null
        $resent = @($unconfirmed | Send-LarkMessage)

        $resent.Count | Should -Be $unconfirmed.Count
        $after = @(Get-LarkSandboxInbox)
        $texts = @($after | ForEach-Object { ($_.content | ConvertFrom-Json).text })
        $texts.Count | Should -Be 45 -Because 'no message is in the inbox twice'
        ($texts | Sort-Object) | Should -Be (1..45 | ForEach-Object { "message $_" } | Sort-Object)
        @($after.uuid | Select-Object -Unique).Count | Should -Be 45
    }
}
