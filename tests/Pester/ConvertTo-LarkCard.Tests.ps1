# ConvertTo-LarkCard (issue 22) as an administrator uses it, in real pwsh against the sandbox: objects piped in, the
# card piped into Send-LarkMessage, and what the sandbox received checked column by column and row by row.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/LarkPS.TestSupport.psm1')
    $sandbox = Start-LarkTestSandbox -Connect
    $ops = $sandbox.Chats['Ops alerts'].chatId
    $cardId = 'LarkPS.Commands.ConvertToLarkCardCommand'

    # The cards the sandbox delivered, oldest first, each parsed.
    function Get-DeliveredCard {
        Get-LarkSandboxInbox | Where-Object msg_type -eq 'interactive' | ForEach-Object { $_.content | ConvertFrom-Json }
    }
}

AfterAll { Stop-LarkTestSandbox }

Describe 'ConvertTo-LarkCard | Send-LarkMessage' {
    BeforeEach { Reset-LarkSandbox }

    It 'sends Get-Process | Select -First 12 Name, Id, WS, StartTime as one card whose table has typed columns and 12 rows' {
        # The same Process objects for both (a process's working set changes between two Get-Process calls; one
        # object keeps the snapshot it read), the pipeline as the issue writes it.
        $live = @(Get-Process | Select-Object -First 12)
        $processes = @($live | Select-Object Name, Id, WS, StartTime)

        $sent = @($live | Select -First 12 Name, Id, WS, StartTime | ConvertTo-LarkCard -Title 'Top' | Send-LarkMessage -ReceiveType chat -ReceiveId $ops -ErrorAction Stop)

        $sent.Count | Should -Be 1
        $sent[0].ContentType | Should -Be 'interactive'
        $delivered = @(Get-LarkSandboxInbox)
        $delivered.Count | Should -Be 1
        $delivered[0].receive_id | Should -Be $ops
        $card = $delivered[0].content | ConvertFrom-Json
        $card.schema | Should -Be '2.0'
        $card.config.update_multi | Should -BeTrue
        $card.header.title.content | Should -Be 'Top'
        $table = @($card.body.elements)[0]
        $table.tag | Should -Be 'table'
        @($table.columns.display_name) | Should -Be @('Name', 'Id', 'WS', 'StartTime')
        @($table.columns.data_type) | Should -Be @('text', 'number', 'number', 'date')
        $rows = @($table.rows)
        $rows.Count | Should -Be 12
        for ($i = 0; $i -lt 12; $i++) {
            $rows[$i].Name | Should -Be $processes[$i].Name
            $rows[$i].Id | Should -Be $processes[$i].Id
            $rows[$i].WS | Should -Be $processes[$i].WS
            if ($processes[$i].StartTime) {
                $rows[$i].StartTime | Should -Be ([DateTimeOffset]$processes[$i].StartTime).ToUnixTimeMilliseconds()
            }
        }
    }

    It 'turns 5,000 rows into several cards, each accepted by the sandbox and under 30 KB, titled by part, every row once' {
        $rows = 1..5000 | ForEach-Object { [pscustomobject]@{ Job = "backup-$_"; Status = if ($_ % 7) { 'ok' } else { 'failed: "disk" \ full' }; Seconds = $_ * 1.5 } }

        $cards = @($rows | ConvertTo-LarkCard -Title 'Jobs' -PageSize 10)
        $sent = @($cards | Send-LarkMessage -ReceiveType chat -ReceiveId $ops -ErrorAction Stop)

        $cards.Count | Should -BeGreaterThan 3
        $sent.Count | Should -Be $cards.Count
        # Every card accepted (a send the sandbox's per-chat quota refused on arrival is retried: never a content refusal).
        $sends = @(Get-LarkSandboxSend)
        @($sends | Where-Object code -eq 0).Count | Should -Be $cards.Count
        $sends | Where-Object code -ne 0 | ForEach-Object { $_.code | Should -BeIn @(230020, 99991400) }
        $sends | ForEach-Object { [Text.Encoding]::UTF8.GetByteCount($_.body) | Should -BeLessOrEqual 30720 }
        # In part order (cards to one chat may arrive in another order than they were sent).
        $delivered = @(Get-DeliveredCard | Sort-Object { [int]($_.header.title.content -replace '^Jobs \((\d+)/\d+\)$', '$1') })
        $delivered.Count | Should -Be $cards.Count
        for ($i = 0; $i -lt $delivered.Count; $i++) {
            $delivered[$i].header.title.content | Should -Be "Jobs ($($i + 1)/$($cards.Count))"
            @($delivered[$i].body.elements).Count | Should -Be 1
        }
        $jobs = @($delivered | ForEach-Object { @($_.body.elements)[0].rows } | ForEach-Object { $_.Job })
        $jobs.Count | Should -Be 5000
        $jobs[0] | Should -Be 'backup-1'
        $jobs[4999] | Should -Be 'backup-5000'
        (@($delivered | ForEach-Object { @($_.body.elements)[0].rows } | Where-Object Status -eq 'failed: "disk" \ full')).Count | Should -Be 714
    }

    It 'sends cells that look like a mention, bold or a link as text, exactly as typed' {
        $cells = '<at user_id="all"></at>', '**x**', '[a](b)', '<at id=all></at>'
        $cells | ForEach-Object { [pscustomobject]@{ Cell = $_ } } | ConvertTo-LarkCard -Title 'Cells' | Send-LarkMessage -ReceiveType chat -ReceiveId $ops -ErrorAction Stop

        $delivered = @(Get-LarkSandboxInbox)
        $delivered.Count | Should -Be 1
        $table = @(($delivered[0].content | ConvertFrom-Json).body.elements)[0]
        $table.columns[0].data_type | Should -Be 'text'
        @($table.rows.Cell) | Should -Be $cells
        @($delivered[0].mentions) | Where-Object { $_ } | Should -BeNullOrEmpty
    }

    It 'takes -Property as Select-Object does, with Format, and -Format for a column by name' {
        $data = @(
            [pscustomobject]@{ Host = 'db-01'; Bytes = 1610612736; Checked = [datetime]'2025-11-25T10:30:00Z'; Ok = $true }
            [pscustomobject]@{ Host = 'db-02'; Bytes = 536870912; Checked = [datetime]'2025-11-25T11:00:00Z'; Ok = $false }
        )

        $card = $data | ConvertTo-LarkCard -Property Host, @{ Name = 'Size (GB)'; Expression = { $_.Bytes / 1GB }; Format = 'N1' }, 'Check*', Ok -Format @{ Checked = 'MM-dd HH:mm' } -Title Disks -Template green
        $card | Send-LarkMessage -ReceiveType chat -ReceiveId $ops -ErrorAction Stop

        $sentCard = @(Get-DeliveredCard)[0]
        $sentCard.header.template | Should -Be 'green'
        $columns = @(@($sentCard.body.elements)[0].columns)
        @($columns.display_name) | Should -Be @('Host', 'Size (GB)', 'Checked', 'Ok')
        @($columns.data_type) | Should -Be @('text', 'number', 'date', 'text')
        $columns[1].format.precision | Should -Be 1
        $columns[1].format.separator | Should -BeTrue
        $columns[2].date_format | Should -Be 'MM-DD HH:mm'
        $rows = @(@($sentCard.body.elements)[0].rows)
        $rows[0].($columns[1].name) | Should -Be 1.5
        $rows[1].Ok | Should -Be 'False'
        $rows[0].Checked | Should -Be ([DateTimeOffset]::new(2025, 11, 25, 10, 30, 0, [TimeSpan]::Zero).ToUnixTimeMilliseconds())
    }

    It 'refuses more than 50 columns with a clear error, and sends nothing' {
        $wide = [ordered]@{}
        1..51 | ForEach-Object { $wide["P$_"] = $_ }

        $thrown = $null
        try { [pscustomobject]$wide | ConvertTo-LarkCard -Title Wide -ErrorAction Stop | Send-LarkMessage -ReceiveType chat -ReceiveId $ops }
        catch { $thrown = $_ }

        $thrown | Should -Not -BeNullOrEmpty
        $thrown.FullyQualifiedErrorId | Should -Be "CardLimit,$cardId"
        $thrown.Exception.Message | Should -Match '51 columns'
        $thrown.Exception.Message | Should -Match 'at most 50'
        $thrown.ErrorDetails.RecommendedAction | Should -Match '-Property'
        @(Get-LarkSandboxSend).Count | Should -Be 0
    }

    It 'names a bad -Property hashtable key and a bad -Format, and refuses a -PageSize over 10' {
        { [pscustomobject]@{ A = 1 } | ConvertTo-LarkCard -Property @{ Name = 'A'; Expr = { 1 } } -ErrorAction Stop } | Should -Throw -ErrorId "InvalidCardInput,$cardId" -ExpectedMessage "*'Expr'*"
        { [pscustomobject]@{ A = 1.5 } | ConvertTo-LarkCard -Format @{ A = 'P0' } -ErrorAction Stop } | Should -Throw -ErrorId "InvalidCardInput,$cardId" -ExpectedMessage "*Column 'A'*"
        { [pscustomobject]@{ A = 1 } | ConvertTo-LarkCard -PageSize 11 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,LarkPS.Commands.ConvertToLarkCardCommand'
        { [pscustomobject]@{ Host = 'a'; Used = 1 } | ConvertTo-LarkCard -Property 'Z*' -ErrorAction Stop } | Should -Throw -ErrorId "InvalidCardInput,$cardId" -ExpectedMessage "*'Z*' matches none of the objects' properties (Host, Used)*"
    }

    It 'warns that -Template without -Title colours nothing, since a card without a title has no header' {
        $card = [pscustomobject]@{ A = 1 } | ConvertTo-LarkCard -Template red -WarningVariable warned -WarningAction SilentlyContinue

        @($card).Count | Should -Be 1
        ($card.Content | ConvertFrom-Json).PSObject.Properties.Name | Should -Not -Contain 'header'
        $warned.Count | Should -Be 1
        [string]$warned[0] | Should -Match '-Template'
        [string]$warned[0] | Should -Match '-Title'
        $null = [pscustomobject]@{ A = 1 } | ConvertTo-LarkCard -Template red -Title T -WarningVariable titled -WarningAction SilentlyContinue
        $titled.Count | Should -Be 0
    }

    It 'reports an expression that fails for a row as one ExpressionFailed error, under -ErrorAction, and leaves that cell empty' {
        $rows = [pscustomobject]@{ Host = 'a'; Used = 4 }, [pscustomobject]@{ Host = 'b'; Used = 0 }, [pscustomobject]@{ Host = 'c'; Used = 0 }
        $property = 'Host', @{ Name = 'Per'; Expression = { 100 / $_.Used } }, @{ Name = 'Item'; Expression = { Get-Item -LiteralPath "/nonexistent/$($_.Host)" } }

        $ErrorActionPreference = 'Continue'   # a console's default (Pester runs a test under Stop)
        $all = @($rows | ConvertTo-LarkCard -Title T -Property $property -ErrorVariable failed -ErrorAction SilentlyContinue 2>&1)

        $cards = @($all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] })
        @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }).Count | Should -Be 0
        $cards.Count | Should -Be 1
        $failed.Count | Should -Be 2
        $failed | ForEach-Object { $_.FullyQualifiedErrorId | Should -Be "ExpressionFailed,$cardId" }
        # One error per column, naming the first row it failed for: Item fails from row a on, Per from row b.
        $failed[0].Exception.Message | Should -Match "'Item'"
        $failed[0].TargetObject.Host | Should -Be 'a'
        $failed[1].Exception.Message | Should -Match "'Per'"
        $failed[1].Exception.Message | Should -Match 'divide by zero'
        $failed[1].TargetObject.Host | Should -Be 'b'
        $table = ($cards[0].Content | ConvertFrom-Json).body.elements[0]
        $table.rows[0].Per | Should -Be 25
        $table.rows[1].PSObject.Properties.Name | Should -Not -Contain 'Per'
    }

    It 'refuses more than 50 columns before reading any cell, and names a property that cannot be read and how to leave it out' {
        $wide = [ordered]@{}
        1..51 | ForEach-Object { $wide["C$_"] = $_ }
        $row = [pscustomobject]$wide | Add-Member -MemberType ScriptProperty -Name Broken -Value { throw 'not readable' } -PassThru
        $ErrorActionPreference = 'Continue'

        $thrown = $null
        try { $row | ConvertTo-LarkCard -Title W -ErrorVariable wideErrors -ErrorAction SilentlyContinue }
        catch { $thrown = $_ }

        $thrown.FullyQualifiedErrorId | Should -Be "CardLimit,$cardId"
        @($wideErrors | Where-Object { "$($_.FullyQualifiedErrorId)" -like 'ExpressionFailed*' }).Count | Should -Be 0

        $narrow = [pscustomobject]@{ Host = 'a' } | Add-Member -MemberType ScriptProperty -Name Broken -Value { throw 'not readable' } -PassThru
        $card = $narrow | ConvertTo-LarkCard -Title N -ErrorVariable narrowErrors -ErrorAction SilentlyContinue
        @($card).Count | Should -Be 1
        $narrowErrors.Count | Should -Be 1
        $narrowErrors[0].FullyQualifiedErrorId | Should -Be "ExpressionFailed,$cardId"
        $narrowErrors[0].Exception.Message | Should -Match "property 'Broken'"
        $narrowErrors[0].ErrorDetails.RecommendedAction | Should -Match '-Property'
    }

    It 'checks each card with Test-LarkMessage before anything is sent' {
        $results = @(1..30 | ForEach-Object { [pscustomobject]@{ N = $_ } } | ConvertTo-LarkCard -Title N | Test-LarkMessage -ReceiveType chat -ReceiveId $ops)

        $results | Should -Be @($true)
        @(Get-LarkSandboxRequest | Where-Object { $_.path_and_query -notlike '/open-apis/auth/*' }).Count | Should -Be 0
    }

    It 'on a webhook connection makes cards that fit the hook''s 20 KB, and the hook accepts each' {
        $rows = 1..4000 | ForEach-Object { [pscustomobject]@{ Host = "host-$_"; Load = $_ / 10 } }
        $forApp = @($rows | ConvertTo-LarkCard -Title Load)
        $hook = Invoke-RestMethod -Method Post -Uri "$($sandbox.Url)/_sandbox/hooks" -ContentType 'application/json' -Body (@{ chatId = $ops; name = 'cards' } | ConvertTo-Json)
        $connection = Connect-Lark -WebhookUri $hook.url -PassThru -ErrorAction Stop
        try {
            $forHook = @($rows | ConvertTo-LarkCard -Title Load -Connection $connection)

            $sent = @($forHook | Send-LarkMessage -Connection $connection -ErrorAction Stop)
        }
        finally { Connect-LarkSandbox | Out-Null }

        $forHook.Count | Should -BeGreaterThan $forApp.Count
        $sent.Count | Should -Be $forHook.Count
        $hookRequests = @(Get-LarkSandboxRequest -Path "/open-apis/bot/v2/hook/$($hook.token)")
        @($hookRequests | Where-Object code -eq 0).Count | Should -Be $forHook.Count
        $hookRequests | ForEach-Object { [Text.Encoding]::UTF8.GetByteCount($_.body) | Should -BeLessOrEqual 20480 }
        (@(Get-DeliveredCard) | ForEach-Object { @(@($_.body.elements)[0].rows).Count } | Measure-Object -Sum).Sum | Should -Be 4000
    }

    It 'writes its cards as a table of part, rows, bytes and title' {
        $out = 1..3 | ForEach-Object { [pscustomobject]@{ N = $_ } } | ConvertTo-LarkCard -Title 'Three' | Out-String -Width 120

        $out | Should -Match 'Part\s+Rows\s+Bytes\s+Title'
        $out | Should -Match '1/1\s+3\s+\d+\s+Three'
    }
}
