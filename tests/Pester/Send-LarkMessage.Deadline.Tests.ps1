# One deadline per item, end to end (issue 14: a hung server held one message 290 s, 8 attempts x 30 s plus backoff,
# while the README promised "2 minutes at most"). The server here is a plain TCP listener on 127.0.0.1 that answers
# the token request as Lark does and never answers a send.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/LarkPS.TestSupport.psm1')
    Import-LarkPSUnderTest

    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    $hung = [hashtable]::Synchronized(@{ Sends = 0; Tokens = 0; Held = [System.Collections.ArrayList]::Synchronized([System.Collections.ArrayList]::new()) })
    $server = [powershell]::Create()
    $null = $server.AddScript({
        param($listener, $hung)
        while ($true) {
            try { $client = $listener.AcceptTcpClient() } catch { break }
            $stream = $client.GetStream()
            $reader = [System.IO.StreamReader]::new($stream, [System.Text.Encoding]::ASCII, $false, 1, $true)
            $first = $reader.ReadLine()
            $length = 0
            while (($line = $reader.ReadLine())) {
                if ($line -match '^Content-Length:\s*(\d+)') { $length = [int]$Matches[1] }
            }
            if ($first -match 'tenant_access_token') {
                $null = $reader.ReadBlock((New-Object char[] ([Math]::Max($length, 1))), 0, $length)
                $hung.Tokens++
                $body = '{"code":0,"msg":"ok","tenant_access_token":"t-hung-server-token","expire":7200}'
                $answer = "HTTP/1.1 200 OK`r`nContent-Type: application/json; charset=utf-8`r`nContent-Length: $($body.Length)`r`nConnection: close`r`n`r`n$body"
                $bytes = [System.Text.Encoding]::ASCII.GetBytes($answer)
                $stream.Write($bytes, 0, $bytes.Length)
                $stream.Flush()
                $client.Close()
            }
            else {
                # A send: read, and never answer.
                $hung.Sends++
                $null = $hung.Held.Add($client)
            }
        }
    }).AddArgument($listener).AddArgument($hung)
    $serverRun = $server.BeginInvoke()
    $baseUri = 'http://127.0.0.1:' + $listener.LocalEndpoint.Port
    Connect-Lark -BaseUri $baseUri -AppId 'cli_hung' -AppSecret (ConvertTo-SecureString 'hung-secret' -AsPlainText -Force) -ErrorAction Stop
}

AfterAll {
    Disconnect-Lark
    $listener.Stop()
    foreach ($client in @($hung.Held)) { $client.Close() }
    $null = $serverRun.AsyncWaitHandle.WaitOne(10000)
    $server.Dispose()
}

Describe 'Send-LarkMessage -DeadlineSec' {
    It 'fails an item a server never answers by its deadline, with an error that says so and gives its uuid' {
        $clock = [System.Diagnostics.Stopwatch]::StartNew()

        $sent = Send-LarkMessage -ReceiveType chat -ReceiveId 'oc_00000000000000000000000000000001' -Text 'anyone there?' -Uuid 'deadline-1' -DeadlineSec 3 -ErrorVariable failures -ErrorAction SilentlyContinue

        $clock.Stop()
        $sent | Should -BeNullOrEmpty
        @($failures).Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'DeadlineExceeded,LarkPS.Commands.SendLarkMessageCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        $failures[0].Exception.Message | Should -Match 'did not confirm it within its deadline of 3\.0 s'
        $failures[0].Exception.Message | Should -Match 'It may have arrived'
        $failures[0].ToString() | Should -Match '^Could not send item 1 \(chat oc_0+1\) uuid deadline-1: Lark did not confirm it within its deadline'
        $failures[0].ErrorDetails.RecommendedAction | Should -Match 'same uuid'
        $hung.Sends | Should -BeGreaterOrEqual 1 -Because 'the send reached the server, which held it'
        # The request timeout is 30 s (Connect-Lark -TimeoutSec): ending well before it shows the deadline ended the wait.
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 25
        (Get-LarkConnection).LastDelivery.Failed | Should -Be 1
    }
}
