# What a script's author sees when an item cannot go: a non-terminating error per item with a stable
# FullyQualifiedErrorId, the item as TargetObject, Lark's code and log id, and the fix; the other items still go.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/LarkPS.TestSupport.psm1')
    $sandbox = Start-LarkTestSandbox -Connect
    $ops = $sandbox.Chats['Ops alerts'].chatId
    $sendId = 'LarkPS.Commands.SendLarkMessageCommand'
}

AfterAll { Stop-LarkTestSandbox }

Describe 'Lark''s refusals' {
    BeforeEach { Reset-LarkSandbox }

    It 'reports <ErrorId> for <Receiver> with code <Code>, the log id and the fix, and still sends the next item' -ForEach @(
        @{ Receiver = 'the chat without the bot'; ReceiveType = 'chat'; Chat = 'No bot here'; ErrorId = 'BotNotInChat'; Code = 230002; Category = 'PermissionDenied'; Fix = 'Add the bot to the chat' }
        @{ Receiver = 'Carol, outside the visible range'; ReceiveType = 'user'; User = 'Carol'; ErrorId = 'ReceiverOutsideVisibleRange'; Code = 230013; Category = 'PermissionDenied'; Fix = 'availability \(visible\) range' }
        @{ Receiver = 'Dave, who resigned'; ReceiveType = 'user'; User = 'Dave'; ErrorId = 'ReceiverResigned'; Code = 230029; Category = 'InvalidArgument'; Fix = 'left the organisation' }
        @{ Receiver = 'an open_id Lark does not know'; ReceiveType = 'user'; OpenId = 'ou_00000000000000000000000000000000'; ErrorId = 'ReceiverInvalid'; Code = 230034; Category = 'InvalidArgument'; Fix = 'another app' }
    ) {
        $receiveId = if ($ReceiveType -eq 'chat') { $sandbox.Chats[$Chat].chatId } elseif ($OpenId) { $OpenId } else { $sandbox.Users[$User].openId }
        $refused = [pscustomobject]@{ receiveType = $ReceiveType; receiveId = $receiveId; content = 'hi' }
        $after = [pscustomobject]@{ receiveType = 'chat'; receiveId = $ops; content = 'after' }

        $sent = $refused, $after | Send-LarkMessage -ErrorVariable failed -ErrorAction SilentlyContinue

        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be "$ErrorId,$sendId"
        [string]$failed[0].CategoryInfo.Category | Should -Be $Category
        $failed[0].ErrorDetails.Message | Should -Match "code $Code"
        $failed[0].ErrorDetails.Message | Should -Match 'log id \w+'
        $failed[0].ErrorDetails.RecommendedAction | Should -Match $Fix
        $failed[0].TargetObject.receiveId | Should -Be $receiveId
        $failed[0].TargetObject.content | Should -Be 'hi'
        @($sent).Count | Should -Be 1
        @(Get-LarkSandboxInbox).receive_id | Should -Be @($ops)
        (Get-LarkSandboxSend | Where-Object code -eq $Code).Count | Should -Be 1
    }

    It 'reports PhoneNotResolved for a number outside the visible range, and sends the others' {
        $items = @(
            [pscustomobject]@{ receiveType = 'phone'; receiveId = '13800000001'; content = 'first' }
            [pscustomobject]@{ receiveType = 'phone'; receiveId = '+86 13800000003'; content = 'carol is not visible' }
            [pscustomobject]@{ receiveType = 'phone'; receiveId = '13800000002'; content = 'third' }
        )

        $sent = $items | Send-LarkMessage -ErrorVariable failed -ErrorAction SilentlyContinue

        @($sent).Count | Should -Be 2
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be "PhoneNotResolved,$sendId"
        [string]$failed[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failed[0].ErrorDetails.Message | Should -Match ([regex]::Escape('+86 13800000003'))
        $failed[0].ErrorDetails.RecommendedAction | Should -Match 'publish a new app version'
        $failed[0].TargetObject.receiveId | Should -Be '+86 13800000003'
        (@(Get-LarkSandboxInbox).receive_id | Sort-Object) | Should -Be (@($sandbox.Users['Alice'].openId, $sandbox.Users['Bob'].openId) | Sort-Object)
    }

    It 'reports InvalidMessage for each invalid item, naming the field, never sends it, and sends the valid ones' {
        $items = @(
            [pscustomobject]@{ receiveType = 'chat'; receiveId = $ops; content = 'one' }
            [pscustomobject]@{ receiveType = 'chat'; receiveId = 'ou_general'; content = 'bad chat id' }
            [pscustomobject]@{ receiveType = 'chat'; receiveId = $ops; contentType = 'image'; content = '{"file_key":"x"}' }
            [pscustomobject]@{ receiveType = 'fax'; receiveId = '12345'; content = 'bad type' }
            [pscustomobject]@{ receiveType = 'chat'; receiveId = $ops; content = 'five' }
        )

        $sent = $items | Send-LarkMessage -ErrorVariable failed -ErrorAction SilentlyContinue

        @($sent).Count | Should -Be 2
        $failed.Count | Should -Be 3
        $failed | ForEach-Object { $_.FullyQualifiedErrorId | Should -Be "InvalidMessage,$sendId" }
        $failed | ForEach-Object { [string]$_.CategoryInfo.Category | Should -Be 'InvalidData' }
        $failed[0].ErrorDetails.Message | Should -Match 'receiveId'
        $failed[0].ErrorDetails.Message | Should -Match 'ou_general'
        $failed[1].ErrorDetails.Message | Should -Match 'image_key'
        $failed[2].ErrorDetails.Message | Should -Match 'fax'
        $failed[0].TargetObject.content | Should -Be 'bad chat id'
        (@(Get-LarkSandboxInbox).content | Sort-Object) | Should -Be @('{"text":"five"}', '{"text":"one"}')
        Get-LarkSandboxRequest | Where-Object { $_.body -match 'bad chat id|bad type|file_key' } | Should -BeNullOrEmpty
    }

    It 'stops at the first failed item with -ErrorAction Stop' {
        $err = { @{ receiveType = 'chat'; receiveId = 'ou_nope'; content = 'bad' }, @{ receiveType = 'chat'; receiveId = $ops; content = 'after' } | Send-LarkMessage -ErrorAction Stop } |
            Should -Throw -PassThru

        $err.FullyQualifiedErrorId | Should -Be "InvalidMessage,$sendId"
        @(Get-LarkSandboxInbox).Count | Should -Be 0
    }

    It 'says NotConnected, with Connect-Lark as the fix, before reading any input' {
        Disconnect-Lark
        try {
            $err = $null
            try { @{ receiveType = 'chat'; receiveId = 'nope' } | Send-LarkMessage -ErrorVariable failed 2>$null }
            catch { $err = $_ }

            $err.FullyQualifiedErrorId | Should -Be "NotConnected,$sendId"
            $err.ErrorDetails.RecommendedAction | Should -Match 'Connect-Lark'
            @($failed | Where-Object { $_.FullyQualifiedErrorId -like 'InvalidMessage*' }).Count | Should -Be 0 -Because 'the invalid item is never read'
        }
        finally {
            Connect-LarkSandbox
        }
    }

    It 'counts invalid items as failed in the connection''s LastDelivery' {
        @{ receiveType = 'chat'; receiveId = $ops; content = 'ok' }, @{ receiveType = 'chat'; receiveId = 'bad' } | Send-LarkMessage -ErrorAction SilentlyContinue | Out-Null

        $summary = (Get-LarkConnection).LastDelivery
        $summary.Submitted | Should -Be 2
        $summary.Sent | Should -Be 1
        $summary.Failed | Should -Be 1
        $summary.WasStopped | Should -BeFalse
    }
}
