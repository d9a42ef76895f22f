# Issue 14's reproductions: one unreadable item (a lone surrogate, a property that throws) ended the run with a
# terminating error, 16 of 60 good items delivered and none written; two items with one uuid were both "sent".
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/LarkPS.TestSupport.psm1')
    $sandbox = Start-LarkTestSandbox -Connect -Arguments '--no-quotas'
    $ops = $sandbox.Chats['Ops alerts'].chatId
    $general = $sandbox.Chats['General'].chatId

    # 40 good seed strings, a seed string holding a lone surrogate, an object whose content getter throws,
    # a card whose content object has a throwing ScriptProperty, then 20 good objects.
    function New-MixedItem {
        $bad = [pscustomobject]@{ receiveType = 'chat'; receiveId = $ops }
        $bad | Add-Member -MemberType ScriptProperty -Name content -Value { throw 'the content getter failed' }
        $card = [pscustomobject]@{ schema = '2.0' }
        $card | Add-Member -MemberType ScriptProperty -Name body -Value { throw 'the body getter failed' }
        1..40 | ForEach-Object { '{"receiveType":"chat","receiveId":"' + $ops + '","content":"{\"text\":\"good ' + $_ + '\"}"}' }
        '{"receiveType":"chat","receiveId":"' + $ops + '","content":"\ud800"}'
        $bad
        [pscustomobject]@{ receiveType = 'chat'; receiveId = $ops; contentType = 'interactive'; content = $card }
        41..60 | ForEach-Object { [pscustomobject]@{ receiveType = 'chat'; receiveId = $ops; content = "good $_" } }
    }
}

AfterAll { Stop-LarkTestSandbox }

Describe 'One bad item never ends a run' {
    BeforeEach { Reset-LarkSandbox }

    It 'fails a lone surrogate and throwing properties on their own items; every good item is delivered and written' {
        $items = @(New-MixedItem)

        $sent = $items | Send-LarkMessage -ThrottleLimit 16 -ErrorVariable failures -ErrorAction SilentlyContinue

        $delivered = @(Get-LarkSandboxInbox | ForEach-Object { [int](($_.content | ConvertFrom-Json).text -replace '^good ', '') } | Sort-Object)
        $delivered | Should -Be (1..60)
        @($sent).Count | Should -Be 60
        @($sent.MessageId | Sort-Object -Unique).Count | Should -Be 60

        @($failures).Count | Should -Be 3
        $failures | ForEach-Object { $_.FullyQualifiedErrorId | Should -Be 'InvalidMessage,LarkPS.Commands.SendLarkMessageCommand' }
        $failures | ForEach-Object { $_.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty }
        $failures[0].Exception.Message | Should -Match '^item 41 '
        $failures[0].Exception.Message | Should -Match 'could not be read'
        [string]$failures[0].TargetObject | Should -BeLike '*\ud800*'
        $failures[1].Exception.Message | Should -Match '^item 42 '
        $failures[1].Exception.Message | Should -Match 'the content getter failed'
        $failures[1].TargetObject | Should -BeOfType [System.Management.Automation.PSObject]
        $failures[2].Exception.Message | Should -BeLike "item 43 (chat $ops)*"
        $failures[2].Exception.Message | Should -Match 'the body getter failed'
    }

    It 'makes Test-LarkMessage answer $false for the unreadable items, and -Detailed say why' {
        $items = @(New-MixedItem)

        $verdicts = @($items | Test-LarkMessage -ErrorVariable failures)
        $detailed = @($items | Test-LarkMessage -Detailed)

        @($failures).Count | Should -Be 0
        $verdicts.Count | Should -Be 63
        @(0..62 | Where-Object { -not $verdicts[$_] }) | Should -Be 40, 41, 42
        $bad = @($detailed | Where-Object { -not $_.IsValid })
        $bad.Count | Should -Be 3
        ($bad[0].Problems -join ' ') | Should -Match 'could not be read'
        ($bad[1].Problems -join ' ') | Should -Match 'the content getter failed'
        ($bad[2].Problems -join ' ') | Should -Match 'the body getter failed'
        @(Get-LarkSandboxInbox).Count | Should -Be 0
    }
}

Describe 'Duplicate uuids in one run' {
    BeforeEach { Reset-LarkSandbox }

    It 'refuses a second, different message with a uuid already used in the run, and never loses it silently' {
        $items = @(
            @{ receiveType = 'chat'; receiveId = $ops; content = 'to ops'; uuid = 'same-uuid' }
            @{ receiveType = 'chat'; receiveId = $general; content = 'to general'; uuid = 'same-uuid' }
            @{ receiveType = 'chat'; receiveId = $general; content = 'own uuid'; uuid = 'other-uuid' }
        )

        $sent = $items | Send-LarkMessage -ErrorVariable failures -ErrorAction SilentlyContinue

        @($sent).Uuid | Should -Be 'same-uuid', 'other-uuid'
        @($failures).Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'DuplicateUuid,LarkPS.Commands.SendLarkMessageCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $failures[0].Exception.Message | Should -BeLike "item 2 (chat $general)*item 1 (chat $ops)*"
        $failures[0].ErrorDetails.RecommendedAction | Should -Match 'own uuid'
        $failures[0].TargetObject['content'] | Should -Be 'to general'

        # What reached Lark: one request per sent item, none with the refused item's content.
        @(Get-LarkSandboxInbox).Count | Should -Be 2
        @(Get-LarkSandboxSend | Where-Object { $_.body -match 'to general' }).Count | Should -Be 0
    }
}

Describe 'A scriptblock as content' {
    BeforeEach { Reset-LarkSandbox }

    It 'is refused with an error that says to run it, never sent as its source text' {
        $sent = Send-LarkMessage -ReceiveType chat -ReceiveId $ops -Content { Get-Date } -ErrorVariable failures -ErrorAction SilentlyContinue
        $piped = @(
            [pscustomobject]@{ receiveType = 'chat'; receiveId = $ops; content = { 'secret source' } }
            [pscustomobject]@{ receiveType = 'chat'; receiveId = $ops; content = 'fine' }
        ) | Send-LarkMessage -ErrorVariable pipedFailures -ErrorAction SilentlyContinue

        $sent | Should -BeNullOrEmpty
        @($failures).Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'InvalidMessage,LarkPS.Commands.SendLarkMessageCommand'
        $failures[0].Exception.Message | Should -Match 'scriptblock'
        @($piped).Count | Should -Be 1
        @($pipedFailures).Count | Should -Be 1
        $pipedFailures[0].Exception.Message | Should -Match 'item 1 .*scriptblock'
        $inbox = @(Get-LarkSandboxInbox)
        $inbox.Count | Should -Be 1
        ($inbox[0].content | ConvertFrom-Json).text | Should -Be 'fine'
        @(Get-LarkSandboxSend | Where-Object { $_.body -match 'Get-Date|secret source' }).Count | Should -Be 0
    }
}
