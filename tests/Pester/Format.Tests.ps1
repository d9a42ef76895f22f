# The format views in LarkPS.Format.ps1xml, as a user sees the objects at the prompt.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/LarkPS.TestSupport.psm1')
    $sandbox = Start-LarkTestSandbox -Connect
    $ops = $sandbox.Chats['Ops alerts'].chatId

    # The objects as the default view shows them at -Width, in a culture: invariant (as under a C locale, where
    # PowerShell wraps by characters) or en-US (where it wraps by words). The lines, without blank ones.
    function Out-LarkTestText([object[]] $InputObject, [string] $Culture, [int] $Width) {
        $before = [System.Globalization.CultureInfo]::CurrentCulture
        try {
            [System.Globalization.CultureInfo]::CurrentCulture = if ($Culture -eq 'invariant') { [System.Globalization.CultureInfo]::InvariantCulture } else { [System.Globalization.CultureInfo]::GetCultureInfo($Culture) }
            $text = $InputObject | Out-String -Width $Width
        }
        finally { [System.Globalization.CultureInfo]::CurrentCulture = $before }
        @($text -split "`r?`n" | Where-Object { $_.Trim() })
    }
}

AfterAll { Stop-LarkTestSandbox }

Describe 'Format views' {
    BeforeEach { Reset-LarkSandbox }

    It 'has a view for each type the module outputs' {
        $formatted = Get-FormatData -TypeName 'LarkPS.Api.SentMessage', 'LarkPS.Session.LarkConnection', 'LarkPS.Commands.MessageCheck', 'LarkPS.Session.UnconfirmedMessage'
        @($formatted).Count | Should -Be 4
    }

    It 'shows sent messages as a table with the message id and receiver' {
        $sent = Send-LarkMessage -ReceiveType chat -ReceiveId $ops -Text 'hi'

        $sent.PSObject.TypeNames[0] | Should -Be 'LarkPS.Api.SentMessage'
        $table = $sent | Out-String -Width 200
        $table | Should -Match 'MessageId'
        $table | Should -Match 'ReceiveId'
        $table | Should -Match ([regex]::Escape(@(Get-LarkSandboxInbox)[0].message_id))
        $table | Should -Match ([regex]::Escape($ops))
    }

    It 'fits <Width> columns with every id whole on one line: MessageId, the time, ReceiveId (<Culture> culture)' -ForEach @(
        # 79: what the console host gives a table in an 80-column window.
        @{ Culture = 'invariant'; Width = 80 }, @{ Culture = 'en-US'; Width = 80 }, @{ Culture = 'invariant'; Width = 79 }
    ) {
        # Issue 26: open and chat ids (35 characters) used to wrap mid-id. In the invariant culture (a C locale)
        # PowerShell wraps by characters, in en-US by words: the ids must fit whole in both.
        $alice = $sandbox.Users['Alice'].openId
        $sent = @(Send-LarkMessage -ReceiveId $ops, $alice -ContentType interactive -Content '{"elements":[{"tag":"markdown","content":"hi"}]}')
        $sent.Count | Should -Be 2

        $lines = @(Out-LarkTestText $sent -Culture $Culture -Width $Width)
        $lines | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual $Width }
        $lines[0] | Should -Match '^MessageId\s+Created\s+ReceiveId\s*$'
        $lines.Count | Should -Be 4 -Because 'a header, its underline and one line per message: nothing wraps'
        foreach ($message in Get-LarkSandboxInbox) {
            $message.message_id | Should -Match '^om_[0-9a-f]{32}$'
            $message.receive_id | Should -Match '^o[cu]_[0-9a-f]{32}$'
            ($lines -join "`n") | Should -Match ('(?m)^' + [regex]::Escape($message.message_id) + ' \d\d:\d\d +' + [regex]::Escape($message.receive_id) + '$')
        }

        $list = $sent[0] | Format-List * | Out-String -Width 80
        foreach ($name in 'MessageId', 'ChatId', 'ReceiveType', 'ReceiveId', 'ContentType', 'Uuid', 'CreateTime', 'LogId', 'Attempts') {
            $list | Should -Match "(?m)^$name\s+:"
        }
        $list | Should -Match ([regex]::Escape($sent[0].Uuid))
    }

    It 'shows Get-LarkUser at <Width> columns with open_ids whole and each fix in full, no word cut (<Culture> culture)' -ForEach @(
        @{ Culture = 'invariant'; Width = 80 }, @{ Culture = 'en-US'; Width = 80 }, @{ Culture = 'invariant'; Width = 79 }
    ) {
        $users = @(Get-LarkUser -Email $sandbox.Users['Alice'].email, $sandbox.Users['Carol'].email, $sandbox.Users['Dave'].email)
        $users.Count | Should -Be 3

        $lines = @(Out-LarkTestText $users -Culture $Culture -Width $Width)
        $lines | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual $Width }
        $text = $lines -join "`n"
        foreach ($user in $users | Where-Object OpenId) {
            $text | Should -Match ('(?m)^' + [regex]::Escape($user.Input) + '\s+' + $user.Status + '\s+' + [regex]::Escape($user.OpenId) + '$')
        }
        # The fix, word for word, in the order it was written: no word cut off or split across lines.
        $words = ($text -split '\s+') -join ' '
        foreach ($user in $users | Where-Object Fix) {
            $user.Fix.Length | Should -BeGreaterThan 40
            $words | Should -Match ([regex]::Escape(($user.Fix -split '\s+') -join ' '))
        }
    }

    It 'lists department members at 80 columns by name and department with every open_id whole, and they still pipe as users' {
        $members = @(Get-LarkUser -Department Engineering -Recurse)
        $members.Count | Should -BeGreaterThan 1

        $lines = @(Out-LarkTestText $members -Culture 'invariant' -Width 80)
        $lines | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual 80 }
        $lines[0] | Should -Match '^Name\s+Department\s+OpenId\s*$'
        foreach ($member in $members) {
            ($lines -join "`n") | Should -Match ('(?m)^' + [regex]::Escape($member.Name) + '\s+' + [regex]::Escape($member.Department) + '\s+' + [regex]::Escape($member.OpenId) + '\s*$')
        }
        $members[0] | Should -BeOfType LarkPS.Api.LarkUser
        @(Out-LarkTestText @(Get-LarkUser -Email $sandbox.Users['Alice'].email) -Culture 'invariant' -Width 80)[0] | Should -Match '^Input\s+Status\s+OpenId / Fix'
    }

    It 'lists chats at <Width> columns with every chat id whole and first (<Culture> culture)' -ForEach @(
        @{ Culture = 'invariant'; Width = 79 }, @{ Culture = 'en-US'; Width = 80 }
    ) {
        $chats = @(Get-LarkChat)
        $chats.Count | Should -BeGreaterThan 1

        $lines = @(Out-LarkTestText $chats -Culture $Culture -Width $Width)
        $lines | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual $Width }
        $lines[0] | Should -Match '^ChatId\s+External\s+Name\s*$'
        foreach ($chat in $chats) {
            ($lines -join "`n") | Should -Match ('(?m)^' + [regex]::Escape($chat.ChatId) + '\s+(True|False)\s+' + [regex]::Escape($chat.Name) + '\s*$')
        }
    }

    It 'rounds MessagesPerSecond in LastDelivery, keeping the property exact' {
        'one', 'two' | ForEach-Object { @{ receiveType = 'chat'; receiveId = $ops; text = $_ } } | Send-LarkMessage | Out-Null
        $summary = (Get-LarkConnection).LastDelivery

        $text = $summary | Out-String -Width 80

        $summary.MessagesPerSecond | Should -BeGreaterThan 0
        $text | Should -Match '(?m)^MessagesPerSecond\s+:\s+\d+(\.\d)?\s*$'
        $text | Should -Match ('(?m)^MessagesPerSecond\s+:\s+' + [regex]::Escape([string][math]::Round($summary.MessagesPerSecond, 1)) + '\s*$')
        $text | Should -Match '(?m)^Sent\s+:\s+\d+\s*$'
    }

    It 'shows Test-LarkMessage -Detailed as a readable list' {
        $text = @{ receiveType = 'phone'; receiveId = '13800000001'; content = 'hi' } | Test-LarkMessage -Detailed | Out-String -Width 200

        $text | Should -Match 'IsValid'
        $text | Should -Match ([regex]::Escape('(looked up from phone +8613800000001)'))
        $text | Should -Match ([regex]::Escape('(generated when sent)'))
        $text | Should -Not -Match 'InputObject'
    }

    It 'shows the connection with its app, host and token expiry, and its last delivery in words' {
        Send-LarkMessage -ReceiveType chat -ReceiveId $ops -Text 'one' | Out-Null

        $text = Get-LarkConnection | Out-String -Width 200

        $text | Should -Match 'cli_sandbox'
        $text | Should -Match '127\.0\.0\.1'
        (Get-LarkConnection | Format-List * | Out-String -Width 200) | Should -Match '1 sent, 0 failed'
    }
}
