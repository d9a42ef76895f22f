# Reading back (issue 25) in real pwsh against the sandbox: 2,000 messages across 40 pages come out in order, each
# once; -After/-Before select by time; -First stops paging; a read mark (what the inbox page's Mark read button posts)
# shows in Get-LarkMessageReader; a saved resource is byte-for-byte what was uploaded; a reported name like ../../x
# stays inside the folder; Lark's codes reach the user as errors with their fix. Each test checks what the sandbox
# received.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/LarkPS.TestSupport.psm1')
    $sandbox = Start-LarkTestSandbox -Connect
    $ops = $sandbox.Chats['Ops alerts'].chatId
    $getId = 'LarkPS.Commands.GetLarkMessageCommand'
    $readerId = 'LarkPS.Commands.GetLarkMessageReaderCommand'
    $saveId = 'LarkPS.Commands.SaveLarkMessageResourceCommand'

    function Add-History([int] $Count, [long] $StartMs, [long] $IntervalMs, [string] $Text = 'history', [string] $SenderId) {
        $body = @{ chat_id = $ops; count = $Count; start_ms = $StartMs; interval_ms = $IntervalMs; text = $Text }
        if ($SenderId) { $body.sender_id = $SenderId }
        Invoke-RestMethod -Method Post -Uri "$($sandbox.Url)/_sandbox/history" -ContentType 'application/json' -Body ($body | ConvertTo-Json -Compress)
    }

    function Get-HistoryRequest { @(Get-LarkSandboxRequest -Path '/open-apis/im/v1/messages?') }

    function Set-Scope([string[]] $Revoke = @(), [string[]] $Grant = @()) {
        $body = @{ revoke = @($Revoke); grant = @($Grant) } | ConvertTo-Json -Compress
        Invoke-RestMethod -Method Post -Uri "$($sandbox.Url)/_sandbox/scopes" -ContentType 'application/json' -Body $body | Out-Null
    }

    # What the inbox page's "Mark read" button posts (its browser test clicks it: ReadReceiptBrowserTests).
    function Set-ReadMark([string] $MessageId, [string] $ReaderId) {
        $body = @{ reader_id = $ReaderId } | ConvertTo-Json -Compress
        Invoke-RestMethod -Method Post -Uri "$($sandbox.Url)/_sandbox/messages/$MessageId/read" -ContentType 'application/json' -Body $body
    }

    $T0 = [DateTimeOffset]::new(2026, 11, 1, 8, 0, 0, [TimeSpan]::Zero).ToUnixTimeMilliseconds()
}

AfterAll { Stop-LarkTestSandbox }

Describe 'Get-LarkMessage reads a chat''s history page by page' {
    BeforeEach { Reset-LarkSandbox }

    It 'writes 2,000 messages across 40 pages of 50, in order, none missing and none twice' {
        Add-History -Count 2000 -StartMs $T0 -IntervalMs 1000 | Out-Null

        $messages = @(Get-LarkMessage -ChatId $ops -ErrorAction Stop)

        $messages.Count | Should -Be 2000
        @($messages.MessageId | Sort-Object -Unique).Count | Should -Be 2000
        $expected = 1..2000 | ForEach-Object { "history $_" }
        $messages.Text | Should -Be $expected
        $messages[0].PSObject.TypeNames[0] | Should -Be 'LarkPS.Events.LarkMessage'
        $messages[0].CreateTime | Should -Be ([DateTimeOffset]::FromUnixTimeMilliseconds($T0))
        $messages[1999].CreateTime | Should -Be ([DateTimeOffset]::FromUnixTimeMilliseconds($T0 + 1999000))
        $messages[0].SenderType | Should -Be 'app'
        $messages[0].Content.text | Should -Be 'history 1'
        # What the sandbox received: 40 pages of 50, each the same query plus the previous page's token.
        $pages = Get-HistoryRequest
        $pages.Count | Should -Be 40
        $pages | ForEach-Object { $_.path_and_query | Should -Match 'container_id_type=chat&container_id=oc_\w+&sort_type=ByCreateTimeAsc&page_size=50' }
        @($pages | Where-Object { $_.path_and_query -match 'page_token=' }).Count | Should -Be 39
        @($pages | Where-Object status_code -ne 200).Count | Should -Be 0
    }

    It 'streams newest first with -Descending and stops paging at -First' {
        Add-History -Count 120 -StartMs $T0 -IntervalMs 1000 | Out-Null

        $newest = @(Get-LarkMessage -ChatId $ops -Descending -First 55 -ErrorAction Stop)

        $newest.Count | Should -Be 55
        $newest.Text | Should -Be (120..66 | ForEach-Object { "history $_" })
        # Two pages were enough for 55: the walk asked for no third.
        (Get-HistoryRequest).Count | Should -Be 2
        (Get-HistoryRequest)[0].path_and_query | Should -Match 'sort_type=ByCreateTimeDesc'
    }

    It 'writes the newest N oldest first with -Last, reading no page beyond them, and refuses -Last with -First' {
        Add-History -Count 120 -StartMs $T0 -IntervalMs 1000 | Out-Null

        $last = @(Get-LarkMessage -ChatId 'Ops alerts' -Last 55 -ErrorAction Stop)

        $last.Count | Should -Be 55
        $last.Text | Should -Be (66..120 | ForEach-Object { "history $_" })
        (Get-HistoryRequest).Count | Should -Be 2
        (Get-HistoryRequest)[0].path_and_query | Should -Match 'sort_type=ByCreateTimeDesc'

        $both = @(Get-LarkMessage -ChatId $ops -Last 5 -First 5 -ErrorAction SilentlyContinue -ErrorVariable failed)
        $both.Count | Should -Be 0
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be "LastWithPaging,$getId"
        $failed[0].ErrorDetails.RecommendedAction | Should -Match '-Descending -First 5'
        (Get-HistoryRequest).Count | Should -Be 2
    }

    It 'selects by time with -After and -Before, to the millisecond, and asks Lark for that range in seconds' {
        # One message every 500 ms: cuts that fall inside a second must still be exact.
        Add-History -Count 100 -StartMs $T0 -IntervalMs 500 | Out-Null
        $after = [DateTimeOffset]::FromUnixTimeMilliseconds($T0 + 10250).UtcDateTime
        $before = [DateTimeOffset]::FromUnixTimeMilliseconds($T0 + 20000).UtcDateTime

        $between = @(Get-LarkMessage -ChatId $ops -After $after -Before $before -ErrorAction Stop)

        # Messages k = 22..40 are at T0 + (k-1)*500 ms: 10500 .. 19500, at or after 10250 and before 20000.
        $between.Text | Should -Be (22..40 | ForEach-Object { "history $_" })
        $between | ForEach-Object { $_.CreateTime.UtcDateTime | Should -BeGreaterOrEqual $after; $_.CreateTime.UtcDateTime | Should -BeLessThan $before }
        $query = (Get-HistoryRequest)[0].path_and_query
        $query | Should -Match ('start_time=' + [math]::Floor(($T0 + 10250) / 1000))
        $query | Should -Match ('end_time=' + (($T0 + 20000) / 1000))
    }

    It 'takes local DateTimes as PowerShell users give them' {
        Add-History -Count 10 -StartMs $T0 -IntervalMs 60000 | Out-Null
        $local = [DateTimeOffset]::FromUnixTimeMilliseconds($T0 + 5 * 60000).LocalDateTime

        $later = @(Get-LarkMessage -ChatId $ops -After $local -ErrorAction Stop)

        $later.Text | Should -Be (6..10 | ForEach-Object { "history $_" })
    }

    It 'finds the chat by its name and lists a person''s message typed in the composer with the bot''s, its mention too' {
        $sent = Send-LarkMessage -ReceiveType chat -ReceiveId $ops -Text 'Disk 93% on db-02' -ErrorAction Stop
        $body = @{ sender_id = $sandbox.Users['Alice'].openId; chat_id = $ops; text = 'on it, @Bob' } | ConvertTo-Json -Compress
        Invoke-RestMethod -Method Post -Uri "$($sandbox.Url)/_sandbox/events/message" -ContentType 'application/json' -Body $body | Out-Null

        $messages = @(Get-LarkMessage -ChatId 'Ops alerts' -ErrorAction Stop)

        $messages.Count | Should -Be 2
        $messages[0].MessageId | Should -Be $sent.MessageId
        $messages[1].SenderType | Should -Be 'user'
        $messages[1].SenderId | Should -Be $sandbox.Users['Alice'].openId
        $messages[1].Text | Should -Be 'on it, @Bob'
        $messages[1].Mentions.Count | Should -Be 1
        $messages[1].Mentions[0].OpenId | Should -Be $sandbox.Users['Bob'].openId
        $messages[1].Mentions[0].Name | Should -Be 'Bob'
    }

    It 'reads one message, its replies in a thread, and a recalled message as Deleted' {
        $alert = Send-LarkMessage -ReceiveType chat -ReceiveId $ops -Text 'alert' -ErrorAction Stop
        $reply = Send-LarkMessage -ReplyTo $alert.MessageId -ReplyInThread -Text 'ack' -ErrorAction Stop
        $gone = Send-LarkMessage -ReceiveType chat -ReceiveId $ops -Text 'oops' -ErrorAction Stop
        $gone | Remove-LarkMessage -Confirm:$false -ErrorAction Stop | Out-Null

        $one = @($alert | Get-LarkMessage -ErrorAction Stop)
        $replies = @($alert | Get-LarkMessage -Replies -ErrorAction Stop)
        $chat = @(Get-LarkMessage -ChatId $ops -ErrorAction Stop)

        $one.Count | Should -Be 1
        $one[0].Text | Should -Be 'alert'
        $one[0].ThreadId | Should -Be $reply.ThreadId
        $replies.MessageId | Should -Be @($reply.MessageId)
        $replies[0].RootId | Should -Be $alert.MessageId
        # The chat lists the thread's root, not its reply; the recalled message as Deleted, without text.
        $chat.MessageId | Should -Be @($alert.MessageId, $gone.MessageId)
        $chat[1].Deleted | Should -BeTrue
        $chat[1].Text | Should -BeNullOrEmpty
        $chat[1].RawContent | Should -Be 'This message was recalled'
    }

    It 'reports Lark''s refusals with their error id and fix, and goes on with the next item' {
        Set-Scope -Revoke 'im:message'
        try {
            $none = @(Get-LarkMessage -ChatId $ops -ErrorVariable refused -ErrorAction SilentlyContinue)
        }
        finally { Set-Scope -Grant 'im:message' }
        $noBot = $sandbox.Chats['No bot here'].chatId
        $out = @($noBot, $ops | ForEach-Object { [pscustomobject]@{ ChatId = $_ } } | Get-LarkMessage -ErrorVariable notIn -ErrorAction SilentlyContinue)

        $none.Count | Should -Be 0
        $refused.Count | Should -Be 1
        $refused[0].FullyQualifiedErrorId | Should -Be "MissingPermission,$getId"
        $refused[0].ErrorDetails.Message | Should -Match '230027'
        $refused[0].ErrorDetails.RecommendedAction | Should -Match 'im:message'
        $notIn.Count | Should -Be 1
        $notIn[0].FullyQualifiedErrorId | Should -Be "BotNotInChat,$getId"
        $notIn[0].TargetObject | Should -Be $noBot
        $out.Count | Should -Be 0
        @(Get-HistoryRequest | Where-Object { $_.path_and_query -match [regex]::Escape($ops) }).Count | Should -Be 2
    }
}

Describe 'Get-LarkMessageReader lists who read the bot''s message' {
    BeforeEach { Reset-LarkSandbox }

    It 'shows a read mark set on the inbox page, with its reader and time' {
        $alert = Send-LarkMessage -ReceiveType chat -ReceiveId $ops -Text 'db-02 down' -ErrorAction Stop
        $before = @($alert | Get-LarkMessageReader -ErrorAction Stop)
        $mark = Set-ReadMark $alert.MessageId $sandbox.Users['Bob'].openId

        $readers = @($alert | Get-LarkMessageReader -ErrorAction Stop)

        $before.Count | Should -Be 0
        $readers.Count | Should -Be 1
        $readers[0].PSObject.TypeNames[0] | Should -Be 'LarkPS.Api.LarkMessageReader'
        $readers[0].UserId | Should -Be $sandbox.Users['Bob'].openId
        $readers[0].UserIdType | Should -Be 'open_id'
        # Lark's read time is milliseconds: the mark's time to the millisecond.
        $readers[0].ReadTime.ToUnixTimeMilliseconds() | Should -Be (([DateTimeOffset]$mark.read_time).ToUnixTimeMilliseconds())
        (Get-LarkSandboxRequest -Path "/open-apis/im/v1/messages/$($alert.MessageId)/read_users")[0].path_and_query | Should -Match 'user_id_type=open_id&page_size=100'
    }

    It 'refuses a person''s message and one past the 7-day window with their error ids' {
        $theirs = Invoke-RestMethod -Method Post -Uri "$($sandbox.Url)/_sandbox/messages" -ContentType 'application/json' `
            -Body (@{ sender_id = $sandbox.Users['Bob'].openId; chat_id = $ops; msg_type = 'text'; content = '{"text":"hi"}' } | ConvertTo-Json -Compress)
        $old = Send-LarkMessage -ReceiveType chat -ReceiveId $ops -Text 'last week' -ErrorAction Stop
        Invoke-RestMethod -Method Post -Uri "$($sandbox.Url)/_sandbox/messages/$($old.MessageId)/age" -ContentType 'application/json' -Body '{"days":8}' | Out-Null

        $theirs.message_id, $old.MessageId | Get-LarkMessageReader -ErrorVariable refused -ErrorAction SilentlyContinue

        $refused.Count | Should -Be 2
        $refused[0].FullyQualifiedErrorId | Should -Be "NotMessageSender,$readerId"
        $refused[0].ErrorDetails.Message | Should -Match '230012'
        $refused[1].FullyQualifiedErrorId | Should -Be "ReadWindowPassed,$readerId"
        $refused[1].ErrorDetails.RecommendedAction | Should -Match '7 days'
    }
}

Describe 'Save-LarkMessageResource saves messages'' images and files' {
    BeforeAll {
        $work = Join-Path ([System.IO.Path]::GetTempPath()) ('larkps-resources-' + [guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path $work | Out-Null
        $bytes = [byte[]]::new(300KB)
        [System.Random]::new(25).NextBytes($bytes)
        $report = Join-Path $work 'report.bin'
        [System.IO.File]::WriteAllBytes($report, $bytes)
        $image = Join-Path (Get-LarkRepoRoot) 'tests/Pester/Doctest/chart.png'
    }
    AfterAll { Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue }
    BeforeEach { Reset-LarkSandbox }

    It 'saves a file and an image byte for byte, under the names Lark reports' {
        $out = Join-Path $work 'saved'
        $file = Send-LarkMessage -ReceiveType chat -ReceiveId $ops -FilePath $report -ErrorAction Stop
        $picture = Send-LarkMessage -ReceiveType chat -ReceiveId $ops -ImagePath $image -ErrorAction Stop

        $saved = @($file, $picture | Get-LarkMessage | Save-LarkMessageResource -Path $out -ErrorAction Stop)

        $saved.Count | Should -Be 2
        $saved[0].Name | Should -Be 'report.bin'
        $saved[0].ResourceType | Should -Be 'file'
        (Get-FileHash $saved[0].FullName).Hash | Should -Be (Get-FileHash $report).Hash
        $saved[1].ResourceType | Should -Be 'image'
        $saved[1].Name | Should -Match '^img_v3_\w+\.png$'
        (Get-FileHash $saved[1].FullName).Hash | Should -Be (Get-FileHash $image).Hash
        # No part file is left behind, and the downloads asked Lark with the right types.
        @(Get-ChildItem -LiteralPath $out -Force).Name | Sort-Object | Should -Be (@($saved.Name) | Sort-Object)
        $downloads = @(Get-LarkSandboxRequest -Path '/open-apis/im/v1/messages/' | Where-Object { $_.path_and_query -match '/resources/' })
        $downloads.Count | Should -Be 2
        $downloads[0].path_and_query | Should -Match 'type=file$'
        $downloads[1].path_and_query | Should -Match 'type=image$'
    }

    It 'writes each file as Get-Item does: the default view shows its folder, mode and size' {
        $out = Join-Path $work 'view'
        $file = Send-LarkMessage -ReceiveType chat -ReceiveId $ops -FilePath $report -ErrorAction Stop

        $saved = @($file | Get-LarkMessage | Save-LarkMessageResource -Path $out -ErrorAction Stop)
        $shown = $saved | Out-String -Width 120

        $saved.Count | Should -Be 1
        $saved[0].PSPath | Should -Be (Get-Item -LiteralPath $saved[0].FullName).PSPath
        $saved[0].MessageId | Should -Be $file.MessageId
        $saved[0].ResourceType | Should -Be 'file'
        $shown | Should -Match ([regex]::Escape([System.IO.Path]::GetFullPath($out)))
        $shown | Should -Match ('\b{0}\s+report\.bin' -f (Get-Item -LiteralPath $report).Length)
        if (-not $IsWindows) { $shown | Should -Match '-rw' }
    }

    It 'reads a message piped without its content (Send-LarkMessage''s output) first, then saves its image' {
        $out = Join-Path $work 'unread'
        $picture = Send-LarkMessage -ReceiveType chat -ReceiveId $ops -ImagePath $image -ErrorAction Stop
        $requestsBefore = @(Get-LarkSandboxRequest).Count
        $picture | Save-LarkMessageResource -Path $out -WhatIf
        $whatIfRequests = @(Get-LarkSandboxRequest | Select-Object -Skip $requestsBefore)

        $saved = @($picture | Save-LarkMessageResource -Path $out -ErrorAction Stop)

        $whatIfRequests.Count | Should -Be 0
        $saved.Count | Should -Be 1
        $saved[0].ResourceType | Should -Be 'image'
        $saved[0].MessageId | Should -Be $picture.MessageId
        (Get-FileHash $saved[0].FullName).Hash | Should -Be (Get-FileHash $image).Hash
        @(Get-LarkSandboxRequest -Path "/open-apis/im/v1/messages/$($picture.MessageId)" | Where-Object { $_.method -eq 'GET' -and $_.path_and_query -notmatch '/resources/' }).Count | Should -Be 1
    }

    It 'keeps a name like ../../x inside the folder, and overwrites only with -Force' {
        $out = Join-Path $work 'inside/deeper'
        $form = @{ file_type = 'stream'; file_name = '../../x'; file = Get-Item $report }
        $upload = Invoke-RestMethod -Method Post -Uri "$($sandbox.Url)/open-apis/im/v1/files" -Form $form -Headers @{ Authorization = 'Bearer ' + (Get-LarkSandboxToken) }
        $sent = Send-LarkMessage -ReceiveType chat -ReceiveId $ops -ContentType file -Content @{ file_key = $upload.data.file_key } -ErrorAction Stop

        $first = @($sent | Get-LarkMessage | Save-LarkMessageResource -Path $out -ErrorAction Stop)
        [System.IO.File]::WriteAllText($first[0].FullName, 'changed')
        $again = @($sent | Get-LarkMessage | Save-LarkMessageResource -Path $out -ErrorVariable exists -ErrorAction SilentlyContinue)
        $kept = [System.IO.File]::ReadAllText($first[0].FullName)
        $forced = @($sent | Get-LarkMessage | Save-LarkMessageResource -Path $out -Force -ErrorAction Stop)

        (Get-LarkSandboxRequest | Where-Object { $_.path_and_query -match '/resources/' })[0] | Should -Not -BeNullOrEmpty
        $first[0].Name | Should -Be 'x'
        $first[0].DirectoryName | Should -Be ([System.IO.Path]::GetFullPath($out))
        Test-Path (Join-Path $work 'x') | Should -BeFalse
        Test-Path (Join-Path $work 'inside/x') | Should -BeFalse
        $again.Count | Should -Be 0
        $exists.Count | Should -Be 1
        $exists[0].FullyQualifiedErrorId | Should -Be "ResourceExists,$saveId"
        $exists[0].ErrorDetails.RecommendedAction | Should -Match '-Force'
        $kept | Should -Be 'changed'
        (Get-FileHash $forced[0].FullName).Hash | Should -Be (Get-FileHash $report).Hash
        @(Get-ChildItem -LiteralPath $out -Force).Name | Should -Be @('x')
    }

    It 'makes no request under -WhatIf, and reports a key that is not the message''s' {
        $file = Send-LarkMessage -ReceiveType chat -ReceiveId $ops -FilePath $report -ErrorAction Stop
        $message = $file | Get-LarkMessage -ErrorAction Stop
        $requestsBefore = @(Get-LarkSandboxRequest).Count
        $message | Save-LarkMessageResource -Path (Join-Path $work 'whatif') -WhatIf
        $whatIfRequests = @(Get-LarkSandboxRequest | Select-Object -Skip $requestsBefore)

        $message | Save-LarkMessageResource -Path (Join-Path $work 'other') -FileKey 'file_v3_00000000000000000000000000000000' -ErrorVariable wrong -ErrorAction SilentlyContinue

        $whatIfRequests.Count | Should -Be 0
        Test-Path (Join-Path $work 'whatif') | Should -BeFalse
        $wrong.Count | Should -Be 1
        $wrong[0].ErrorDetails.Message | Should -Match '234003'
        @(Get-ChildItem -LiteralPath (Join-Path $work 'other') -Force -ErrorAction SilentlyContinue).Count | Should -Be 0
    }
}

Describe 'examples/06-escalate-unread.ps1' {
    BeforeEach { Reset-LarkSandbox }

    It 'escalates into the chat when the on-call person has not read the alert in time' {
        $script = Join-Path (Get-LarkRepoRoot) 'examples/06-escalate-unread.ps1'

        $result = & $script -OnCall $sandbox.Users['Bob'].openId -TimeoutSec 2 -PollSec 1 6>$null

        $result | Should -BeNullOrEmpty
        $inbox = @(Get-LarkSandboxInbox)
        $inbox.Count | Should -Be 3
        ($inbox | Where-Object chat_id -eq $ops | Where-Object { $_.content -match 'Escalating' }).Count | Should -Be 1
        ($inbox | Where-Object parent_id -eq $inbox[0].message_id).Count | Should -Be 1
    }

    It 'returns the read as soon as the on-call person has read it, and escalates nothing' {
        $script = Join-Path (Get-LarkRepoRoot) 'examples/06-escalate-unread.ps1'
        $bob = $sandbox.Users['Bob'].openId
        # Bob reads the alert the moment it arrives (as the inbox page's Mark read button would).
        $job = Start-ThreadJob -ScriptBlock {
            param($url, $bob)
            for ($i = 0; $i -lt 100; $i++) {
                $alert = @(Invoke-RestMethod "$url/_sandbox/inbox") | ForEach-Object { $_ } | Select-Object -First 1
                if ($alert) {
                    Invoke-RestMethod -Method Post -Uri "$url/_sandbox/messages/$($alert.message_id)/read" -ContentType 'application/json' -Body (@{ reader_id = $bob } | ConvertTo-Json) | Out-Null
                    return
                }
                Start-Sleep -Milliseconds 100
            }
        } -ArgumentList $sandbox.Url, $bob

        $read = & $script -OnCall $bob -TimeoutSec 30 -PollSec 1 6>$null
        $job | Wait-Job | Remove-Job

        $read.UserId | Should -Be $bob
        @(Get-LarkSandboxInbox).Count | Should -Be 1
    }
}
