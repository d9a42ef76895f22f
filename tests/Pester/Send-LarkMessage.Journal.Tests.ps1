# Send-LarkMessage -Journal: a rerun sends nothing twice and loses nothing (issue 14). The crash itself (kill -9 of a
# real pwsh halfway through 1,000 messages) is in Send-LarkMessage.JournalCrash.Tests.ps1.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/LarkPS.TestSupport.psm1')
    $sandbox = Start-LarkTestSandbox -Connect -Arguments '--no-quotas'
    $ops = $sandbox.Chats['Ops alerts'].chatId

    function Send-Six([string] $Journal, [switch] $Force) {
        1..6 | ForEach-Object { [pscustomobject]@{ receiveType = 'chat'; receiveId = $ops; content = "journal $_" } } |
            Send-LarkMessage -Journal $Journal -Force:$Force -ErrorVariable script:failures -ErrorAction SilentlyContinue
    }
}

AfterAll { Stop-LarkTestSandbox }

Describe 'Send-LarkMessage -Journal' {
    BeforeEach {
        Reset-LarkSandbox
        $journal = Join-Path ([System.IO.Path]::GetTempPath()) ('larkps-' + [guid]::NewGuid().ToString('N') + '.journal')
    }
    AfterEach { Remove-Item $journal -ErrorAction SilentlyContinue }

    It 'skips confirmed items on a rerun and resends unconfirmed ones with their recorded uuids' {
        $first = @(Send-Six $journal)
        @($failures).Count | Should -Be 0
        @(Get-LarkSandboxInbox).Count | Should -Be 6

        # As if killed after handing items 4-6 to Lark and before their answers were written down.
        $lines = @(Get-Content $journal)
        $sentLines = @($lines | Where-Object { $_ -match '"event":"sent"' })
        $sentLines.Count | Should -Be 6
        Set-Content -Path $journal -Value @($lines | Where-Object { $_ -notin $sentLines[3..5] })

        $second = @(Send-Six $journal)

        @($failures).Count | Should -Be 0
        $second.AlreadySent | Should -Be $true, $true, $true, $false, $false, $false
        $second.Uuid | Should -Be $first.Uuid
        $second[0..2].MessageId | Should -Be $first[0..2].MessageId
        # Items 4-6 went out again with their first uuids: Lark (the sandbox) kept one message each.
        @(Get-LarkSandboxSend).Count | Should -Be 9
        @(Get-LarkSandboxInbox).Count | Should -Be 6
        (Get-LarkSandboxStat).duplicatesSuppressed | Should -Be 3

        $third = @(Send-Six $journal)
        $third.AlreadySent | Should -Be $true, $true, $true, $true, $true, $true
        @(Get-LarkSandboxSend).Count | Should -Be 9 -Because 'nothing confirmed is sent again'
        (Get-LarkConnection).LastDelivery.Sent | Should -Be 6
    }

    It 'keeps no content, receiver or secret in the journal' {
        Send-Six $journal | Out-Null

        $text = Get-Content $journal -Raw
        $text | Should -Not -Match 'journal 1'
        $text.Contains($ops) | Should -BeFalse
        Find-LarkSecret -Text $text | Should -BeNullOrEmpty
    }

    It 'reports an item unconfirmed for over the hour as may-have-arrived, and sends it only with -Force' {
        Send-Six $journal | Out-Null
        # Items 5 and 6 handed to Lark two hours ago and never answered: Lark no longer remembers their uuids.
        $old = [DateTime]::UtcNow.AddHours(-2).ToString('o')
        $lines = @(Get-Content $journal)
        $sentLines = @($lines | Where-Object { $_ -match '"event":"sent"' })
        $kept = foreach ($line in $lines) {
            if ($line -in $sentLines[4..5]) { continue }
            $line -replace '"at":"[^"]*"', ('"at":"' + $old + '"')
        }
        Set-Content -Path $journal -Value $kept
        Reset-LarkSandbox

        $second = @(Send-Six $journal)

        $second.Count | Should -Be 4
        $second.AlreadySent | Should -Be $true, $true, $true, $true
        @($failures).Count | Should -Be 2
        $failures | ForEach-Object { $_.FullyQualifiedErrorId | Should -Be 'MayHaveArrived,LarkPS.Commands.SendLarkMessageCommand' }
        $failures[0].Exception.Message | Should -Match '^item 5 .*may have arrived.*1[12]\d minutes ago'
        $failures[0].ErrorDetails.RecommendedAction | Should -Match '-Force'
        $failures[0].TargetObject.content | Should -Be 'journal 5'
        @(Get-LarkSandboxSend).Count | Should -Be 0

        $forced = @(Send-Six $journal -Force)
        @($failures).Count | Should -Be 0
        $forced.AlreadySent | Should -Be $true, $true, $true, $true, $false, $false
        @(Get-LarkSandboxSend).Count | Should -Be 2
    }

    It 'refuses a file that is not a journal, and leaves it as it was' {
        Set-Content -Path $journal -Value 'my notes'

        $err = { Send-Six $journal } | Should -Throw -PassThru

        $err.FullyQualifiedErrorId | Should -Be 'JournalUnusable,LarkPS.Commands.SendLarkMessageCommand'
        $err.Exception.Message | Should -Match 'not a LarkPS delivery journal'
        Get-Content $journal -Raw | Should -Be ("my notes" + [Environment]::NewLine)
        @(Get-LarkSandboxSend).Count | Should -Be 0
    }
}
