# Issue 26, the item path's findings: a piped string is text (2), dry runs tell the truth (3), one ShouldProcess
# verbose line per run (10). Each of these failed on 16cef51.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/LarkPS.TestSupport.psm1')
    $sandbox = Start-LarkTestSandbox
    $ops = $sandbox.Chats['Ops alerts'].chatId
}

AfterAll { Stop-LarkTestSandbox }

Describe 'A piped string is the message text' {
    BeforeEach { Connect-LarkSandbox; Reset-LarkSandbox }
    AfterEach { Disconnect-Lark }

    It 'sends a plain string as one text message' {
        $sent = 'Disk full on db1' | Send-LarkMessage -ReceiveType chat -ReceiveId $ops -ErrorVariable failed

        $failed.Count | Should -Be 0
        @($sent).Count | Should -Be 1
        $inbox = @(Get-LarkSandboxInbox)
        $inbox.Count | Should -Be 1
        ($inbox[0].content | ConvertFrom-Json).text | Should -Be 'Disk full on db1'
    }

    It "sends Out-String's one string as one message, its lines kept" {
        $text = [pscustomobject]@{ Name = 'db1'; Status = 'Running' }, [pscustomobject]@{ Name = 'web1'; Status = 'Stopped' } |
            Format-Table | Out-String
        $text | Send-LarkMessage -ReceiveType chat -ReceiveId $ops | Out-Null

        $inbox = @(Get-LarkSandboxInbox)
        $inbox.Count | Should -Be 1
        $sentText = ($inbox[0].content | ConvertFrom-Json).text
        $sentText | Should -Match 'db1'
        $sentText | Should -Match 'web1'
        $sentText | Should -Match "`n"
    }

    It 'says both readings for a string that looks like JSON but is not a message body' {
        '{hello: world}' | Send-LarkMessage -ReceiveType chat -ReceiveId $ops -ErrorVariable failed -ErrorAction SilentlyContinue

        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'InvalidMessage,*'
        "$($failed[0])" | Should -Match 'looks like JSON'
        "$($failed[0])" | Should -Match '-Text'
        @(Get-LarkSandboxSend).Count | Should -Be 0
    }
}

Describe 'Dry runs tell the truth' {
    BeforeAll {
        # -WhatIf writes to the host: a child pwsh's console is where a user reads it.
        function Invoke-WhatIf([string] $Command, [switch] $Connected) {
            $connect = if ($Connected) {
                "Connect-Lark -BaseUri '$($sandbox.Url)' -AppId '$($sandbox.AppId)' -AppSecret (ConvertTo-SecureString `$env:LARK_TEST_SECRET -AsPlainText -Force) | Out-Null`n"
            } else { '' }
            $secret = [System.Net.NetworkCredential]::new('', (Get-LarkSandboxSecret)).Password
            $child = Invoke-LarkChildPowerShell -Script ($connect + $Command) -Environment @{ LARK_TEST_SECRET = $secret }
            $child.ExitCode | Should -Be 0 -Because $child.Errors
            $child.Output
        }
    }

    BeforeEach { Reset-LarkSandbox }

    It 'shows the real chat_id of a chat given by name under -WhatIf when connected, and sends nothing' {
        $out = Invoke-WhatIf "Send-LarkMessage -ReceiveType chat -ReceiveId 'Ops alerts' -Text 'hi' -WhatIf" -Connected

        $out | Should -Match ('What if: .*chat ' + [regex]::Escape($ops))
        @(Get-LarkSandboxSend).Count | Should -Be 0
        @(Get-LarkSandboxInbox).Count | Should -Be 0
    }

    It 'shows the real chat_id in Test-LarkMessage -Detailed when connected' {
        Connect-LarkSandbox
        $check = Test-LarkMessage -ReceiveType chat -ReceiveId 'Ops alerts' -Text 'hi' -Detailed
        Disconnect-Lark

        $check.IsValid | Should -BeTrue
        $check.ReceiveId | Should -Be $ops
        $check.RequestBody | Should -Match ([regex]::Escape($ops))
    }

    It 'says False, with the reason a send gives, for a chat name that does not exist, when connected' {
        Connect-LarkSandbox
        $check = Test-LarkMessage -ReceiveType chat -ReceiveId 'No such chat' -Text 'hi' -Detailed
        $verdict = Test-LarkMessage -ReceiveType chat -ReceiveId 'No such chat' -Text 'hi'
        Disconnect-Lark

        $verdict | Should -BeFalse
        $check.IsValid | Should -BeFalse
        ($check.Problems -join ' ') | Should -Match "no chat named 'No such chat'"
        @(Get-LarkSandboxSend).Count | Should -Be 0
    }

    It 'says "resolved when sent" offline instead of inventing a chat_id' {
        Disconnect-Lark -ErrorAction SilentlyContinue
        $check = Test-LarkMessage -ReceiveType chat -ReceiveId 'Ops alerts' -Text 'hi' -Detailed
        $whatIf = Invoke-WhatIf "Send-LarkMessage -ReceiveType chat -ReceiveId 'Ops alerts' -Text 'hi' -WhatIf"

        $check.ReceiveId | Should -Match 'resolved when sent'
        $check.ReceiveId | Should -Not -Match 'oc_0000'
        $check.RequestBody | Should -BeNullOrEmpty
        $whatIf | Should -Match 'resolved when sent'
        $whatIf | Should -Not -Match 'oc_0000'
        @(Get-LarkSandboxRequest).Count | Should -Be 0
    }
}

Describe '-Verbose says ShouldProcess once per run' {
    BeforeEach { Connect-LarkSandbox; Reset-LarkSandbox }
    AfterEach { Disconnect-Lark }

    It 'writes one "Performing the operation" line for five items' {
        $verbose = 1..5 | ForEach-Object { @{ receiveType = 'chat'; receiveId = $ops; content = "n $_" } } |
            Send-LarkMessage -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }

        @($verbose | Where-Object Message -Match 'Performing the operation').Count | Should -Be 1
        @(Get-LarkSandboxInbox).Count | Should -Be 5
    }

    It 'still lists every item under -WhatIf' {
        $child = Invoke-LarkChildPowerShell -Script ("1..3 | ForEach-Object { @{ receiveType = 'chat'; receiveId = '$ops'; content = `"n `$_`" } } | Send-LarkMessage -WhatIf")
        $whatIf = $child.Output

        ([regex]::Matches($whatIf, 'What if')).Count | Should -Be 3
    }
}

Describe 'Many identical failures end with one summary warning' {
    BeforeEach { Connect-LarkSandbox; Reset-LarkSandbox }
    AfterEach { Disconnect-Lark }

    It 'names the cause, the count and the fix once, after the errors' {
        $rows = 1..3 | ForEach-Object { [pscustomobject]@{ Email = 'carol@example.com'; Message = "note $_" } }
        $rows += [pscustomobject]@{ ChatId = $ops; Message = 'this one arrives' }
        $sent = $rows | Send-LarkMessage -ErrorVariable failed -ErrorAction SilentlyContinue -WarningVariable warned -WarningAction SilentlyContinue

        @($sent).Count | Should -Be 1
        $failed.Count | Should -Be 3
        $summary = @($warned | Where-Object { "$_" -match '3 items failed' })
        $summary.Count | Should -Be 1
        "$($summary[0])" | Should -Match '230013'
        "$($summary[0])" | Should -Match 'availability'
    }
}
