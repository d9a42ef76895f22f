# New-LarkCard (issue 22) as a monitoring script uses it, in real pwsh against the sandbox: a status card from
# parameters sent, updated later through the pipeline, with mentions looked up by e-mail, an image uploaded from a
# path, and a webhook's limits; each test checks what the sandbox received.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/LarkPS.TestSupport.psm1')
    $sandbox = Start-LarkTestSandbox -Connect
    $ops = $sandbox.Chats['Ops alerts'].chatId
    $alice = $sandbox.Users['Alice']
    $bob = $sandbox.Users['Bob']
    $newId = 'LarkPS.Commands.NewLarkCardCommand'
    $png = Join-Path ([System.IO.Path]::GetTempPath()) ('larkps-card-' + [guid]::NewGuid().ToString('N') + '.png')
    [System.IO.File]::WriteAllBytes($png, [Convert]::FromBase64String('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='))

    function Get-DeliveredCard([string] $MessageId) {
        (Get-LarkSandboxInbox | Where-Object message_id -eq $MessageId).content | ConvertFrom-Json
    }
}

AfterAll {
    Stop-LarkTestSandbox
    Remove-Item $png -ErrorAction SilentlyContinue
}

Describe 'New-LarkCard | Send-LarkMessage' {
    BeforeEach { Reset-LarkSandbox }

    It 'sends a status card with header, markdown, fields two to a row, buttons and a note, and updates it through the pipeline' {
        $card = New-LarkCard -Title 'Disk 93% on db-02' -Subtitle '/var/lib/postgresql' -Template red -Markdown '**Used:** 93% of 500 GB' `
            -Field ([ordered]@{ Host = 'db-02'; Used = '93%'; Free = '35 GB' }) `
            -Button @{ Text = 'Ack'; Value = @{ action = 'ack'; host = 'db-02' }; Style = 'primary' }, @{ Text = 'Runbook'; Url = 'https://example.com/runbook' } `
            -Note 'Sent by the nightly check'

        $card.PSObject.TypeNames[0] | Should -Be 'LarkPS.Authoring.LarkCard'
        $card | Test-LarkMessage -ReceiveType chat -ReceiveId $ops | Should -BeTrue
        $sent = $card | Send-LarkMessage -ReceiveType chat -ReceiveId $ops -ErrorAction Stop

        $delivered = Get-DeliveredCard $sent.MessageId
        $delivered.schema | Should -Be '2.0'
        $delivered.config.update_multi | Should -BeTrue
        $delivered.header.title.content | Should -Be 'Disk 93% on db-02'
        $delivered.header.subtitle.content | Should -Be '/var/lib/postgresql'
        $delivered.header.template | Should -Be 'red'
        $elements = @($delivered.body.elements)
        @($elements.tag) | Should -Be @('markdown', 'div', 'column_set', 'div')
        $elements[0].content | Should -Be '**Used:** 93% of 500 GB'
        $fields = @($elements[1].fields)
        $fields.Count | Should -Be 3
        @($fields.is_short) | Should -Be @($true, $true, $true)
        $fields[0].text.content | Should -Be "**Host**`ndb&#45;02"
        $buttons = @($elements[2].columns | ForEach-Object { $_.elements })
        @($buttons.type) | Should -Be @('primary', 'default')
        @($buttons.text.content) | Should -Be @('Ack', 'Runbook')
        $buttons[0].behaviors[0].type | Should -Be 'callback'
        $buttons[0].behaviors[0].value.action | Should -Be 'ack'
        $buttons[1].behaviors[0].default_url | Should -Be 'https://example.com/runbook'
        $elements[3].text.text_size | Should -Be 'notation'
        $elements[3].text.content | Should -Be 'Sent by the nightly check'

        $changed = New-LarkCard -Title 'Resolved: disk 40% on db-02' -Template green | Set-LarkMessage -MessageId $sent.MessageId -ErrorAction Stop

        $changed.Action | Should -Be 'Updated'
        $patch = @(Get-LarkSandboxRequest -Path "/open-apis/im/v1/messages/$($sent.MessageId)" | Where-Object method -eq 'PATCH')
        $patch.Count | Should -Be 1
        $patch[0].code | Should -Be 0
        (Get-DeliveredCard $sent.MessageId).header.title.content | Should -Be 'Resolved: disk 40% on db-02'
        (Get-DeliveredCard $sent.MessageId).header.template | Should -Be 'green'
    }

    It 'is taken as -Content too, as the card''s JSON' {
        $card = New-LarkCard -Title 'As content' -Markdown 'x'

        $sent = Send-LarkMessage -ReceiveType chat -ReceiveId $ops -ContentType interactive -Content $card -ErrorAction Stop

        ConvertTo-LarkCanonicalJson (Get-LarkSandboxInbox | Where-Object message_id -eq $sent.MessageId).content | Should -Be (ConvertTo-LarkCanonicalJson $card.Content)
    }

    It 'shows field labels and values as typed: markup and mentions in them are escaped' {
        $sent = New-LarkCard -Title 'T' -Field ([ordered]@{ '**Owner**' = '<at id=all></at> [a](https://x)' }) | Send-LarkMessage -ReceiveType chat -ReceiveId $ops -ErrorAction Stop

        $content = @((Get-DeliveredCard $sent.MessageId).body.elements)[0].fields[0].text.content
        $content | Should -Be "**&#42;&#42;Owner&#42;&#42;**`n&#60;at id=all&#62;&#60;&#47;at&#62; &#91;a&#93;&#40;https&#58;&#47;&#47;x&#41;"
        $content | Should -Not -Match '<at'
    }

    It 'mentions people by e-mail (one batch_get_id, then cached), open_id, Get-LarkUser output and all' {
        $user = Get-LarkUser -Email $bob.email
        Reset-LarkSandbox

        $first = New-LarkCard -Title 'On call' -Markdown 'Please look.' -Mention $alice.email, $user, 'all', $bob.openId
        $second = New-LarkCard -Title 'Again' -Mention $alice.email

        @(Get-LarkSandboxRequest -Path '/open-apis/contact/v3/users/batch_get_id').Count | Should -Be 1
        $markdown = @(($first.Content | ConvertFrom-Json).body.elements)[0].content
        $markdown | Should -Be "Please look.`n<at id=$($alice.openId)></at> <at id=$($bob.openId)></at> <at id=all></at>"
        @(($second.Content | ConvertFrom-Json).body.elements)[0].content | Should -Be "<at id=$($alice.openId)></at>"

        $sent = $first | Send-LarkMessage -ReceiveType chat -ReceiveId $ops -ErrorAction Stop
        @((Get-DeliveredCard $sent.MessageId).body.elements)[0].content | Should -Be $markdown
    }

    It 'makes no card when a mention cannot be resolved, and says which and why' {
        $out = @(New-LarkCard -Title 'On call' -Mention 'ghost@example.com', 'bob', $alice.openId -ErrorVariable failed -ErrorAction SilentlyContinue)

        $out.Count | Should -Be 0
        $failed.Count | Should -Be 2
        $failed | ForEach-Object { $_.FullyQualifiedErrorId | Should -Be "InvalidMention,$newId" }
        $failed[0].TargetObject | Should -Be 'ghost@example.com'
        $failed[0].Exception.Message | Should -Match 'Lark has no user the app can see with this e-mail address'
        $failed[0].Exception.Message | Should -Not -Match '\.\.$'
        $failed[1].TargetObject | Should -Be 'bob'
        $failed[1].Exception.Message | Should -Match "neither 'all', an open_id"
        $failed[0].ErrorDetails.RecommendedAction | Should -Match 'No card was made'
    }

    It 'refuses a title of spaces as InvalidCardInput, naming -Title and the fix' {
        $thrown = $null
        try { New-LarkCard -Title '   ' -Markdown 'x' -ErrorAction Stop }
        catch { $thrown = $_ }

        $thrown | Should -Not -BeNullOrEmpty
        $thrown.FullyQualifiedErrorId | Should -Be "InvalidCardInput,$newId"
        $thrown.Exception.Message | Should -Match '-Title'
        $thrown.ErrorDetails.RecommendedAction | Should -Match 'No card was made'
    }

    It 'names a bad button key and the fix' {
        $thrown = $null
        try { New-LarkCard -Title 'T' -Button @{ Text = 'Ack'; Colour = 'red'; Value = 'ack' } -ErrorAction Stop }
        catch { $thrown = $_ }

        $thrown.FullyQualifiedErrorId | Should -Be "InvalidCardInput,$newId"
        $thrown.Exception.Message | Should -Match "'Colour'"
        $thrown.ErrorDetails.RecommendedAction | Should -Match ([regex]::Escape("@{Text='Open'; Url='https://…'}"))
        { New-LarkCard -Title 'T' -Button @{ Text = 'Go' } -ErrorAction Stop } | Should -Throw -ErrorId "InvalidCardInput,$newId" -ExpectedMessage '*neither Url nor Value*'
        { New-LarkCard -Title 'T' -Button @{ Text = 'Go'; Url = 'javascript:alert(1)' } -ErrorAction Stop } | Should -Throw -ErrorId "InvalidCardInput,$newId" -ExpectedMessage '*not an http or https link*'
        { New-LarkCard -Title 'T' -Template pink } | Should -Throw -ErrorId 'ParameterArgumentValidationError,LarkPS.Commands.NewLarkCardCommand'
    }

    It 'uploads -Image from a path when the card is sent, and sends the card with the uploaded key' {
        $card = New-LarkCard -Title 'Chart' -Image $png
        $card | Test-LarkMessage -ReceiveType chat -ReceiveId $ops | Should -BeTrue
        @(Get-LarkSandboxRequest -Path '/open-apis/im/v1/images').Count | Should -Be 0

        $sent = $card | Send-LarkMessage -ReceiveType chat -ReceiveId $ops -ErrorAction Stop

        $upload = @(Get-LarkSandboxRequest -Path '/open-apis/im/v1/images')
        $upload.Count | Should -Be 1
        $image = @((Get-DeliveredCard $sent.MessageId).body.elements)[0]
        $image.tag | Should -Be 'img'
        $image.img_key | Should -BeLike 'img_*'
        $image.img_key | Should -Not -BeLike 'img_larkps_upload_*'
        $image.PSObject.Properties.Name | Should -Not -Contain 'path'
        { New-LarkCard -Title 'Chart' -Image (Join-Path $TestDrive 'missing.png') -ErrorAction Stop } | Should -Throw -ErrorId "ImageNotFound,$newId"
    }
}

Describe 'New-LarkCard on a webhook connection' {
    BeforeAll {
        $hook = Invoke-RestMethod -Method Post -Uri "$($sandbox.Url)/_sandbox/hooks" -ContentType 'application/json' -Body (@{ chatId = $ops; name = 'status' } | ConvertTo-Json)
        $hookUrl = $hook.url
    }
    BeforeEach { Reset-LarkSandbox }
    AfterEach { Connect-LarkSandbox | Out-Null }

    It 'sends a card whose buttons open links' {
        $connection = Connect-Lark -WebhookUri $hookUrl -PassThru -ErrorAction Stop
        New-LarkCard -Title 'Deploy done' -Template green -Button @{ Text = 'Open'; Url = 'https://example.com/deploy' } | Send-LarkMessage -Connection $connection -ErrorAction Stop

        $request = @(Get-LarkSandboxRequest -Path "/open-apis/bot/v2/hook/$($hook.token)")
        $request.Count | Should -Be 1
        $request[0].code | Should -Be 0
        ($request[0].body | ConvertFrom-Json).card.header.title.content | Should -Be 'Deploy done'
    }

    It 'refuses a callback button and a local image with errors that say a hook cannot, and sends neither' {
        $connection = Connect-Lark -WebhookUri $hookUrl -PassThru -ErrorAction Stop
        $callback = New-LarkCard -Title 'Ack?' -Button @{ Text = 'Ack'; Value = @{ action = 'ack' } }
        $image = New-LarkCard -Title 'Chart' -Image $png

        $callback, $image | Send-LarkMessage -Connection $connection -ErrorVariable failed -ErrorAction SilentlyContinue
        $checks = @($callback, $image | Test-LarkMessage -Connection $connection -Detailed)

        $failed.Count | Should -Be 2
        [string]$failed[0] | Should -Match 'callback button'
        [string]$failed[0] | Should -Match 'cannot call back'
        [string]$failed[1] | Should -Match 'cannot upload'
        $checks | ForEach-Object { $_.IsValid | Should -BeFalse }
        ($checks[0].Problems -join ' ') | Should -Match 'app connection'
        @(Get-LarkSandboxRequest -Path "/open-apis/bot/v2/hook/$($hook.token)").Count | Should -Be 0
    }
}
