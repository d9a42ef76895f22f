# Receive-LarkEvent in real pwsh against the sandbox's long connection (issue 21): what comes out of the cmdlet, and
# what the sandbox recorded of the connection (its pushes, each acknowledgement and when it arrived).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/LarkPS.TestSupport.psm1')
    $sandbox = Start-LarkTestSandbox -Connect
    $ops = $sandbox.Chats['Ops alerts'].chatId
    $alice = $sandbox.Users['Alice'].openId
    $bob = $sandbox.Users['Bob'].openId
    $receiveId = 'LarkPS.Commands.ReceiveLarkEventCommand'

    function Invoke-Events([string] $Path, $Body) {
        $uri = "$($sandbox.Url)/_sandbox/events$Path"
        if ($null -eq $Body) { return Invoke-RestMethod -Uri $uri }
        Invoke-RestMethod -Method Post -Uri $uri -ContentType 'application/json' -Body ($Body | ConvertTo-Json -Depth 10 -Compress)
    }
    # A user posts into a chat (or p2p without -Chat); with -DelayMs the sandbox posts it later, once the command is connected.
    function Send-UserMessage([string] $Text, [string] $Chat = $ops, [int] $DelayMs = 1500, [int] $Count = 1, [int] $Repeat = 1) {
        $body = @{ sender_id = $alice; text = $Text; delay_ms = $DelayMs; count = $Count; repeat = $Repeat }
        if ($Chat) { $body.chat_id = $Chat }
        Invoke-Events '/message' $body | Out-Null
    }
    function Get-EventDelivery { @((Invoke-Events '' $null).deliveries) }
}

AfterAll { Stop-LarkTestSandbox }

Describe 'Receive-LarkEvent' {
    BeforeEach {
        Reset-LarkSandbox
        # Lark redelivers after 15 s, 5 min, 1 h and 6 h; the sandbox after half a second here. Reconnect at once.
        Invoke-Events '/options' @{ retryDelaysMs = @(500, 500, 500, 500); reconnectNonce = 0; reconnectInterval = 1; pingInterval = 120; fragmentBytes = 0; dropAfterFrames = 0; endpointCode = 0 } | Out-Null
    }

    It 'writes a message event with its fields, mentions resolved, and acknowledges it' {
        Send-UserMessage -Text 'deploy web-01 @Bob'

        $events = @(Receive-LarkEvent -Count 1 -Timeout 30)

        $events.Count | Should -Be 1
        $e = $events[0]
        $e.PSObject.TypeNames[0] | Should -Be 'LarkPS.Events.LarkMessageEvent'
        $e.Text | Should -Be 'deploy web-01 @Bob'
        $e.Content.text | Should -Be 'deploy web-01 @_user_1'
        $e.Mentions[0].OpenId | Should -Be $bob
        $e.ChatId | Should -Be $ops
        $e.ChatType | Should -Be 'group'
        $e.SenderId | Should -Be $alice
        $e.MessageType | Should -Be 'text'
        $e.MessageId | Should -Match '^om_'
        $e.CreateTime | Should -BeOfType [DateTimeOffset]
        $delivery = @(Get-EventDelivery)
        $delivery.Count | Should -Be 1
        $delivery[0].event_id | Should -Be $e.EventId
        $delivery[0].status | Should -Be 'acked'
        $delivery[0].attempts[0].ack_code | Should -Be 200
    }

    It 'writes an event Lark pushes three times (same event_id) once, and acknowledges every push' {
        Send-UserMessage -Text 'once' -Repeat 3
        Send-UserMessage -Text 'after' -DelayMs 2500

        $events = @(Receive-LarkEvent -Count 2 -Timeout 30)

        @($events.Text) | Should -Be @('once', 'after')
        $pushes = @(Get-EventDelivery | Where-Object { $_.event_id -eq $events[0].EventId })
        $pushes.Count | Should -Be 3
        @($pushes | ForEach-Object { $_.attempts[0].ack_code }) | Should -Be @(200, 200, 200)
    }

    It 'loses none of several events that arrive at once when Select-Object -First 1 ends the pipeline' {
        # Three arrive together; the pipeline takes one and stops. The two it never wrote are answered "not handled"
        # (code 500), so Lark pushes them again and the next listen writes them (before, all three were acknowledged
        # on arrival and two were lost).
        Send-UserMessage -Text 'burst' -Count 3

        $first = @(Receive-LarkEvent -Timeout 30 | Select-Object -First 1)
        $rest = @(Receive-LarkEvent -Count 2 -Timeout 20)

        $first.Count | Should -Be 1
        @(@($first.Text) + @($rest.Text) | Sort-Object) | Should -Be @('burst 1', 'burst 2', 'burst 3')
        $deliveries = @(Get-EventDelivery)
        @($deliveries | Where-Object status -ne 'acked').Count | Should -Be 0
        @($deliveries | Where-Object { @($_.attempts | Where-Object ack_code -eq 500).Count -ge 1 }).Count | Should -Be 2
    }

    It 'joins an event sent in fragments (sum > 1)' {
        Invoke-Events '/options' @{ fragmentBytes = 40 } | Out-Null
        $long = (1..30 | ForEach-Object { "line $_ of a long message" }) -join ' / '
        Send-UserMessage -Text $long

        $e = Receive-LarkEvent -Count 1 -Timeout 30

        $e.Text | Should -Be $long
        (Get-EventDelivery)[0].attempts[0].fragments | Should -BeGreaterThan 10
    }

    It 'loses nothing and writes nothing twice when the connection drops mid-stream' {
        # The third event's frame goes out and the connection drops before its acknowledgement can: Lark (the sandbox)
        # pushes what was not acknowledged again, to the new connection, with the same event_id.
        Invoke-Events '/options' @{ dropAfterFrames = 3 } | Out-Null
        Send-UserMessage -Text 'event' -Count 8

        $events = @(Receive-LarkEvent -Count 8 -Timeout 60 -Verbose 4>&1)
        $verbose = @($events | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
        $received = @($events | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })

        $received.Count | Should -Be 8
        @($received.Text | Sort-Object { [int]($_ -replace '\D', '') }) | Should -Be @(1..8 | ForEach-Object { "event $_" })
        @($received.EventId | Select-Object -Unique).Count | Should -Be 8
        @($verbose | Where-Object { "$_" -match '^Reconnected' }).Count | Should -BeGreaterOrEqual 1
        # Frames the dropped connection carried but could not acknowledge are pushed again after the sandbox's retry
        # delay (500 ms here), possibly after -Count 8 has already returned: a second listen takes them, writes none
        # of them again (the connection remembers what it wrote), and acknowledges them.
        $again = @(Receive-LarkEvent -Timeout 4)
        $again.Count | Should -Be 0 -Because 'a pushed-again event was already written'
        $records = Invoke-Events '' $null
        @($records.connections).Count | Should -BeGreaterOrEqual 2
        @($records.connections | Where-Object how_closed -eq 'dropped').Count | Should -Be 1
        @($records.deliveries | Where-Object status -ne 'acked').Count | Should -Be 0
    }

    It 'acknowledges each event within 3 s while the pipeline after it sleeps 10 s per event' {
        Send-UserMessage -Text 'slow' -Count 2

        $events = @(Receive-LarkEvent -Count 2 -Timeout 60 | ForEach-Object { Start-Sleep -Seconds 10; $_ })

        $events.Count | Should -Be 2
        foreach ($delivery in Get-EventDelivery) {
            $delivery.status | Should -Be 'acked'
            @($delivery.attempts).Count | Should -Be 1 -Because 'an acknowledgement in time means no redelivery'
            $delivery.attempts[0].ack_ms | Should -BeLessThan 3000
        }
    }

    It 'ends at -Timeout without an error when nothing arrives' {
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $events = @(Receive-LarkEvent -Timeout 2 -ErrorVariable failed)
        $watch.Stop()

        $events.Count | Should -Be 0
        $failed.Count | Should -Be 0
        $watch.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 2
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 10
        (Invoke-Events '' $null).open_connections | Should -Be 0
    }

    It 'says with an EventConnectionFailed error, not quietly, when -Timeout passes before the connection could open' {
        # Lark busy (code 1) at every attempt: no event could arrive, which a script must be able to tell from silence.
        Invoke-Events '/options' @{ endpointCode = 1; endpointCodeTimes = 1000 } | Out-Null

        $events = @(Receive-LarkEvent -Count 1 -Timeout 3 -ErrorVariable failed -ErrorAction SilentlyContinue)

        $events.Count | Should -Be 0
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be "EventConnectionFailed,$receiveId"
        $failed[0].Exception.Message | Should -Match 'could not be opened within -Timeout 3 s.*code 1 \(system busy\)'
        $failed[0].ErrorDetails.RecommendedAction | Should -Match 'network path'
    }

    It 'with -EventType takes only those events, and answers the others "not handled" so Lark offers them again' {
        Invoke-Events '/event' @{ event_type = 'im.chat.member.bot.added_v1'; event = @{ chat_id = $ops } } | Out-Null
        Send-UserMessage -Text 'wanted'

        $events = @(Receive-LarkEvent -EventType 'im.message.*' -Count 1 -Timeout 30)

        @($events).Count | Should -Be 1
        $events[0].Text | Should -Be 'wanted'
        $other = @(Get-EventDelivery | Where-Object event_type -eq 'im.chat.member.bot.added_v1')[0]
        @($other.attempts | Where-Object ack_code -eq 500).Count | Should -BeGreaterOrEqual 1
    }

    It 'writes any other event as a LarkEvent with its header and body' {
        Invoke-Events '/event' @{ event_type = 'im.chat.member.bot.added_v1'; event = @{ chat_id = $ops; operator_id = @{ open_id = $bob } } } | Out-Null

        $e = Receive-LarkEvent -Count 1 -Timeout 30

        $e.PSObject.TypeNames[0] | Should -Be 'LarkPS.Events.LarkEvent'
        $e.EventType | Should -Be 'im.chat.member.bot.added_v1'
        $e.Event.chat_id | Should -Be $ops
        $e.Event.operator_id.open_id | Should -Be $bob
        $e.Header.app_id | Should -Be $sandbox.AppId
    }

    It 'pipes into Send-LarkMessage as a reply to the message, with the text given, not a new chat message' {
        Send-UserMessage -Text 'restart web-01'

        $sent = @(Receive-LarkEvent -Count 1 -Timeout 30 | Where-Object Text -match '^restart' | Send-LarkMessage -Text 'Restarting…')

        $sent.Count | Should -Be 1
        $inbox = @(Get-LarkSandboxInbox)
        $question = @($inbox | Where-Object sender_type -eq 'user')[0]
        $bot = @($inbox | Where-Object sender_type -eq 'app')
        $bot.Count | Should -Be 1
        $bot[0].parent_id | Should -Be $question.message_id
        $bot[0].chat_id | Should -Be $ops
        ($bot[0].content | ConvertFrom-Json).text | Should -Be 'Restarting…'
        @(Get-LarkSandboxRequest | Where-Object { $_.path_and_query -match '^/open-apis/im/v1/messages\?' }).Count | Should -Be 0 -Because 'a reply, not a new message to the chat'
        @(Get-LarkSandboxRequest | Where-Object { $_.path_and_query -match '^/open-apis/im/v1/messages/om_\w+/reply$' }).Count | Should -Be 1
    }

    It 'stops on Ctrl+C (PowerShell.Stop) within seconds and closes the socket with a close frame' {
        $connection = Get-LarkConnection
        $manifest = Join-Path (Get-LarkRepoRoot) 'out/LarkPS/LarkPS.psd1'
        $ps = [powershell]::Create()
        [void]$ps.AddScript("Import-Module '$manifest'; Receive-LarkEvent -Connection `$args[0]").AddArgument($connection)
        $run = $ps.BeginInvoke()
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        while ((Invoke-Events '' $null).open_connections -lt 1 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        (Invoke-Events '' $null).open_connections | Should -Be 1

        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $ps.Stop()
        $watch.Stop()
        try { $ps.EndInvoke($run) | Out-Null } catch { }
        $ps.Dispose()

        $watch.Elapsed.TotalSeconds | Should -BeLessThan 5
        $records = Invoke-Events '' $null
        $records.open_connections | Should -Be 0
        $records.connections[0].how_closed | Should -Be 'clean'
    }

    It 'names the fix when Lark refuses the long connection (<Code>)' -ForEach @(
        @{ Code = 403; Id = 'EventSubscriptionForbidden' }
        @{ Code = 1000040350; Id = 'EventConnectionLimit' }
    ) {
        Invoke-Events '/options' @{ endpointCode = $Code; endpointCodeTimes = 5 } | Out-Null

        $err = { Receive-LarkEvent -Timeout 20 } | Should -Throw -PassThru

        $err.FullyQualifiedErrorId | Should -Be "$Id,$receiveId"
        $err.Exception.Message | Should -Match "code $Code"
        $err.ErrorDetails.RecommendedAction | Should -Match 'developer console|connections'
    }

    It 'reconnects after a drop through a busy endpoint (code 1), at the interval Lark''s ClientConfig gave' {
        Invoke-Events '/options' @{ retryDelaysMs = @(1000, 1000, 1000, 1000, 1000, 1000) } | Out-Null
        Send-UserMessage -Text 'before the drop'

        $events = @(Receive-LarkEvent -Count 2 -Timeout 40 -Verbose 4>&1 | ForEach-Object {
            if ($_ -isnot [System.Management.Automation.VerboseRecord] -and $_.Text -eq 'before the drop') {
                # Connected (ReconnectInterval 1 s adopted): now the endpoint is busy twice, and the connection drops.
                Invoke-Events '/options' @{ endpointCode = 1; endpointCodeTimes = 2 } | Out-Null
                Invoke-Events '/disconnect' @{ clean = $false } | Out-Null
                Send-UserMessage -Text 'after the drop' -DelayMs 200
            }
            $_
        })

        @($events | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }).Text | Should -Be @('before the drop', 'after the drop')
        @($events | Where-Object { "$_" -match 'Could not open the long connection \(Lark refused to open the long connection for events: code 1 ' }).Count | Should -Be 2
        @($events | Where-Object { "$_" -match '^Reconnected' }).Count | Should -Be 1
    }

    It 'names the fix when the WebSocket upgrade is refused for too many connections (Handshake-Autherrcode 1000040350)' {
        Invoke-Events '/options' @{ maxConnections = 0 } | Out-Null
        try {
            $err = { Receive-LarkEvent -Timeout 20 } | Should -Throw -PassThru
        }
        finally { Invoke-Events '/options' @{ maxConnections = 50 } | Out-Null }

        $err.FullyQualifiedErrorId | Should -Be "EventConnectionLimit,$receiveId"
        $err.Exception.Message | Should -Match 'Handshake-Autherrcode 1000040350'
    }

    It 'shares events between two connections of one app (cluster mode): each event to one of them' {
        $connection = Get-LarkConnection
        $manifest = Join-Path (Get-LarkRepoRoot) 'out/LarkPS/LarkPS.psd1'
        $other = [powershell]::Create()
        [void]$other.AddScript("Import-Module '$manifest'; Receive-LarkEvent -Connection `$args[0] -Timeout 12").AddArgument($connection)
        $run = $other.BeginInvoke()
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        while ((Invoke-Events '' $null).open_connections -lt 1 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        Send-UserMessage -Text 'shared' -Count 20 -DelayMs 2500

        $mine = @(Receive-LarkEvent -Timeout 10)
        $theirs = @($other.EndInvoke($run))
        $other.Dispose()

        ($mine.Count + $theirs.Count) | Should -Be 20
        $mine.Count | Should -BeGreaterThan 0
        $theirs.Count | Should -BeGreaterThan 0
        @($mine.EventId | Where-Object { $theirs.EventId -contains $_ }).Count | Should -Be 0
        foreach ($delivery in Get-EventDelivery) { @($delivery.attempts).Count | Should -Be 1 }
    }

    It 'tells connect and each event in -Verbose, and no access_key or ticket in any stream' {
        Send-UserMessage -Text 'verbose'

        $all = Receive-LarkEvent -Count 1 -Timeout 30 -Verbose -Debug *>&1 | Out-String -Width 400

        $all | Should -Match 'Connected to Lark''s long connection at ws://127\.0\.0\.1:\d+ \(connection id \w+\)'
        $all | Should -Not -Match '/ws/v2'
        $all | Should -Match 'received and acknowledged'
        $all | Should -Not -Match 'access_key='
        $all | Should -Not -Match 'ticket='
        $all | Should -Not -Match ([regex]::Escape($sandbox.AppSecret))
        # The pong carries the ClientConfig the endpoint gave: nothing new, so -Debug does not say it is.
        $all | Should -Not -Match 'pong brought a new ClientConfig'
    }
}
