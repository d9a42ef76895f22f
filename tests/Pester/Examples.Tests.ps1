# The quick start as a newcomer runs it: examples/quickstart.ps1 and each example script in pwsh against the
# sandbox, judged by what the sandbox received and what the scripts printed.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/LarkPS.TestSupport.psm1')
    $sandbox = Start-LarkTestSandbox
    $examples = Join-Path (Get-LarkRepoRoot) 'examples'
    $alice = $sandbox.Users['Alice']
    $bob = $sandbox.Users['Bob']
    $carol = $sandbox.Users['Carol']
    $erin = $sandbox.Users['Erin']
    $opsChat = $sandbox.Chats['Ops alerts'].chatId

    # examples/seed-body.json, message by message: Lark's receive_id_type for each receiveType, the content unchanged.
    function Assert-SeedBodyDelivered {
        $inbox = @(Get-LarkSandboxInbox)
        $items = @(Get-Content (Join-Path $examples 'seed-body.json') -Raw | ConvertFrom-Json | ForEach-Object { $_ })
        $items.Count | Should -Be 3
        $wire = @{ user = 'open_id'; email = 'email'; chat = 'chat_id' }
        foreach ($item in $items) {
            $wire.ContainsKey($item.receiveType) | Should -BeTrue -Because 'the seed body example uses user, email and chat'
            $delivered = @($inbox | Where-Object { $_.receive_id_type -eq $wire[$item.receiveType] -and $_.receive_id -eq $item.receiveId -and $_.msg_type -eq 'text' })
            $delivered.Count | Should -Be 1
            ConvertTo-LarkCanonicalJson $delivered[0].content | Should -Be (ConvertTo-LarkCanonicalJson $item.content)
        }
    }

    # examples/people.csv: alice by e-mail, bob and erin by phone (sent to the open_id the number resolves to), carol
    # by e-mail refused by Lark (230013, outside the visible range) and so not delivered.
    function Assert-CsvRowsDelivered {
        $inbox = @(Get-LarkSandboxInbox)
        foreach ($expected in @(
                @{ Type = 'email'; Id = $alice.email; Name = 'Alice' }
                @{ Type = 'open_id'; Id = $bob.openId; Name = 'Bob' }
                @{ Type = 'open_id'; Id = $erin.openId; Name = 'Erin' })) {
            $message = @($inbox | Where-Object { $_.receive_id_type -eq $expected.Type -and $_.receive_id -eq $expected.Id })
            $message.Count | Should -Be 1
            $message[0].msg_type | Should -Be 'text'
            ($message[0].content | ConvertFrom-Json).text | Should -BeLike "Hi $($expected.Name), *"
        }
        $inbox | Where-Object { $_.receive_id -in $carol.email, $carol.openId -or $_.content -match 'Carol' } | Should -BeNullOrEmpty
        $refused = @(Get-LarkSandboxSend | Where-Object { $_.body.Contains($carol.email) })
        $refused.Count | Should -Be 1
        $refused[0].code | Should -Be 230013
    }

    function Assert-CsvSummary([string] $Printed) {
        $Printed | Should -Match ([regex]::Escape('3 sent, 1 failed: Carol'))
        $reason = @($Printed -split "`r?`n" | Where-Object { $_.Contains($carol.email) })
        $reason.Count | Should -Be 1
        $reason[0] | Should -Match '230013'
        $fix = @($Printed -split "`r?`n" | Where-Object { $_.TrimStart().StartsWith('Fix:') })
        $fix.Count | Should -Be 1
        $fix[0] | Should -Match 'availability \(visible\) range'
        $fix[0] | Should -Match 'publish a new app version'
    }

    # examples/03: a post in zh_cn and en_us with a link, an @mention and a code block, and a v2 card with a red header,
    # a markdown body and a button, both to the Ops alerts chat.
    function Assert-AlertsDelivered {
        $ops = @(Get-LarkSandboxInbox | Where-Object { $_.receive_id_type -eq 'chat_id' -and $_.receive_id -eq $opsChat })
        @($ops.msg_type | Sort-Object) | Should -Be @('interactive', 'post')
        $ops | ForEach-Object { $_.chat_id | Should -Be $opsChat }

        $post = ($ops | Where-Object msg_type -eq 'post').content | ConvertFrom-Json
        foreach ($locale in 'zh_cn', 'en_us') {
            $body = $post.$locale
            $body.title | Should -Not -BeNullOrEmpty
            $nodes = @($body.content | ForEach-Object { $_ } | ForEach-Object { $_ })
            @($nodes | Where-Object { $_.tag -eq 'at' -and $_.user_id -eq $alice.openId }).Count | Should -BeGreaterThan 0
            @($nodes | Where-Object { $_.tag -eq 'a' -and $_.href -like 'https://*' }).Count | Should -BeGreaterThan 0
            @($nodes | Where-Object { $_.tag -eq 'code_block' -and $_.text }).Count | Should -BeGreaterThan 0
        }

        $card = ($ops | Where-Object msg_type -eq 'interactive').content | ConvertFrom-Json
        $card.schema | Should -Be '2.0'
        $card.header.template | Should -Be 'red'
        $card.header.title.tag | Should -Be 'plain_text'
        $elements = @($card.body.elements)
        @($elements | Where-Object { $_.tag -eq 'markdown' -and $_.content -match '\*\*' }).Count | Should -BeGreaterThan 0
        $button = @($elements | Where-Object tag -eq 'button')
        $button.Count | Should -Be 1
        $behavior = @($button[0].behaviors)
        $behavior.Count | Should -Be 1
        $behavior[0].type | Should -Be 'open_url'
        $behavior[0].default_url | Should -BeLike 'https://*'
    }
}

AfterAll { Stop-LarkTestSandbox }

Describe 'examples/quickstart.ps1' {
    BeforeEach {
        Disconnect-Lark
        Reset-LarkSandbox
    }

    It 'delivers every example and reports the one refused row with its fix' {
        $printed = & (Join-Path $examples 'quickstart.ps1') -BaseUri $sandbox.Url 6>&1 | Out-String -Width 200

        @(Get-LarkSandboxInbox).Count | Should -Be 8
        Assert-SeedBodyDelivered
        Assert-CsvRowsDelivered
        Assert-AlertsDelivered
        $printed | Should -Match 'cli_sandbox'
        Get-LarkSandboxInbox | ForEach-Object { $printed | Should -Match ([regex]::Escape($_.message_id)) }
        Assert-CsvSummary $printed
        $printed | Should -Match '== 3\.'
        $printed | Should -Match ([regex]::Escape($sandbox.Url + '/'))
        Find-LarkSecret $printed | Should -BeNullOrEmpty
    }

    It 'imports the built module itself in a new pwsh where LarkPS is not loaded' {
        $script = "& '$(Join-Path $examples 'quickstart.ps1')' -BaseUri '$($sandbox.Url)' | Out-Null`n'MODULE ' + (Get-Module LarkPS).Path"

        $child = Invoke-LarkChildPowerShell -Script $script -NoModule

        $child.ExitCode | Should -Be 0 -Because $child.Errors
        $child.Output | Should -Match ('MODULE ' + [regex]::Escape((Join-Path (Get-LarkRepoRoot) 'out/LarkPS/LarkPS.dll')))
        @(Get-LarkSandboxInbox).Count | Should -Be 8
    }
}

Describe 'The example scripts' {
    BeforeEach {
        Connect-LarkSandbox
        Reset-LarkSandbox
    }

    It '01-seed-body.ps1 sends the file as is and returns what was sent' {
        $sent = @(& (Join-Path $examples '01-seed-body.ps1'))

        $sent.Count | Should -Be 3
        $sent | ForEach-Object { $_.PSObject.TypeNames | Should -Contain 'LarkPS.Api.SentMessage' }
        @(Get-LarkSandboxInbox).Count | Should -Be 3
        Assert-SeedBodyDelivered
    }

    It '02-notify-from-csv.ps1 sends the e-mail and phone rows and names Carol with the fix' {
        $printed = & (Join-Path $examples '02-notify-from-csv.ps1') 6>&1 | Out-String -Width 200

        @(Get-LarkSandboxInbox).Count | Should -Be 3
        Assert-CsvRowsDelivered
        Assert-CsvSummary $printed
        Get-LarkSandboxInbox | ForEach-Object { $printed | Should -Match ([regex]::Escape($_.message_id)) }
    }

    It '03-post-and-card-alert.ps1 checks both messages, then posts them to the Ops chat, -Verbose showing the exact body' {
        $all = & (Join-Path $examples '03-post-and-card-alert.ps1') -Verbose 4>&1 6>&1
        $sent = @($all | Where-Object { $_.PSObject.TypeNames -contains 'LarkPS.Api.SentMessage' })
        $information = @($all | Where-Object { $_ -is [System.Management.Automation.InformationRecord] } | ForEach-Object { [string]$_.MessageData })
        $verbose = @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)

        $sent.Count | Should -Be 2
        $information | Where-Object { $_ -match 'post, valid' } | Should -Not -BeNullOrEmpty
        $information | Where-Object { $_ -match 'interactive, valid' } | Should -Not -BeNullOrEmpty
        Assert-AlertsDelivered
        $shownPost = @($verbose | Where-Object { $_.Contains('"msg_type":"post"') })
        $shownPost.Count | Should -Be 1
        $shown = $shownPost[0].Substring($shownPost[0].IndexOf('{')) | ConvertFrom-Json
        $shown.content | Should -Be (Get-LarkSandboxInbox | Where-Object msg_type -eq 'post').content
    }

    It '<Script> with -WhatIf sends nothing' -ForEach @(
        @{ Script = '01-seed-body.ps1' }, @{ Script = '02-notify-from-csv.ps1' }, @{ Script = '03-post-and-card-alert.ps1' }
    ) {
        & (Join-Path $examples $Script) -WhatIf 6>$null | Out-Null

        Get-LarkSandboxSend | Should -BeNullOrEmpty
    }

    It '<Script> run before Connect-Lark stops and says to connect' -ForEach @(
        @{ Script = '01-seed-body.ps1' }, @{ Script = '02-notify-from-csv.ps1' }, @{ Script = '03-post-and-card-alert.ps1' }
    ) {
        Disconnect-Lark

        $err = { & (Join-Path $examples $Script) 6>$null } | Should -Throw -PassThru

        $err.Exception.Message | Should -Match 'Connect-Lark'
        @(Get-LarkSandboxRequest).Count | Should -Be 0
    }
}
