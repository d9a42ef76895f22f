# Issue 11 in real pwsh against the sandbox: chats by name (Get-LarkChat, chat names as receivers), users by e-mail
# (Get-LarkUser), and images and files sent from paths, judged by what the sandbox received.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/LarkPS.TestSupport.psm1')
    $sandbox = Start-LarkTestSandbox -Connect
    $ops = $sandbox.Chats['Ops alerts'].chatId
    $sendId = 'LarkPS.Commands.SendLarkMessageCommand'
    $folder = Join-Path ([System.IO.Path]::GetTempPath()) ('larkps-dir-' + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Path $folder
    # A 1x1 PNG, and a PDF (Lark takes any bytes as a file).
    [System.IO.File]::WriteAllBytes((Join-Path $folder 'chart.png'), [Convert]::FromBase64String('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='))
    [System.IO.File]::WriteAllText((Join-Path $folder 'report.pdf'), "%PDF-1.7`nweekly`n")
    [System.IO.File]::WriteAllText((Join-Path $folder 'notes.png'), 'these are notes, not a picture')
}

AfterAll {
    Stop-LarkTestSandbox
    Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Chats by name' {
    BeforeEach { Reset-LarkSandbox }

    It 'finds chats by wildcard and sends to a chat given by its exact name' {
        $chats = @(Get-LarkChat -Name 'Ops*' -Force)
        Send-LarkMessage -ReceiveType chat -ReceiveId 'Ops alerts' -Text 'Deploy started' | Out-Null

        $chats.Name | Should -Contain 'Ops alerts'
        ($chats | Where-Object Name -eq 'Ops alerts').ChatId | Should -Be $ops
        $delivered = @(Get-LarkSandboxInbox)
        $delivered.Count | Should -Be 1
        $delivered[0].receive_id_type | Should -Be 'chat_id'
        $delivered[0].receive_id | Should -Be $ops
    }

    It 'refuses an unknown chat name with ChatNotFound, naming the similar chats, and sends nothing' {
        Send-LarkMessage -ReceiveType chat -ReceiveId 'Ops' -Text 'lost?' -ErrorVariable failed -ErrorAction SilentlyContinue | Out-Null

        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be "ChatNotFound,$sendId"
        $failed[0].ToString() | Should -Match ([regex]::Escape("'Ops alerts' ($ops)"))
        $failed[0].ErrorDetails.RecommendedAction | Should -Match 'Get-LarkChat'
        @(Get-LarkSandboxInbox).Count | Should -Be 0

        # A slip of the fingers finds the chat too.
        Send-LarkMessage -ReceiveType chat -ReceiveId 'Ops alrets' -Text 'lost?' -ErrorVariable typo -ErrorAction SilentlyContinue | Out-Null
        $typo[0].FullyQualifiedErrorId | Should -Be "ChatNotFound,$sendId"
        $typo[0].ToString() | Should -Match ([regex]::Escape("Similar names: 'Ops alerts' ($ops)."))
        @(Get-LarkSandboxInbox).Count | Should -Be 0
    }
}

Describe 'Users by e-mail' {
    BeforeEach { Reset-LarkSandbox }

    It 'says Found or NotFound per address in one call, and found users pipe to their open_id' {
        $users = @(Get-LarkUser -Email $sandbox.Users['Alice'].email, 'ghost@example.com')
        $users | Where-Object Status -eq 'Found' | Send-LarkMessage -Text 'Hi' | Out-Null

        ($users | ForEach-Object { [string]$_.Status }) | Should -Be @('Found', 'NotFound')
        $users[0].OpenId | Should -Be $sandbox.Users['Alice'].openId
        $users[1].Fix | Should -Match 'visible range'
        @(Get-LarkSandboxRequest -Path '/open-apis/contact/v3/users/batch_get_id').Count | Should -Be 1
        $delivered = @(Get-LarkSandboxInbox)
        $delivered.Count | Should -Be 1
        $delivered[0].receive_id | Should -Be $sandbox.Users['Alice'].openId
    }
}

Describe 'Images and files from paths' {
    BeforeEach { Reset-LarkSandbox }

    It 'uploads an image from a relative path and a PDF from a PSDrive, then sends them with their keys' {
        Push-Location $folder
        $null = New-PSDrive -Name LarkReports -PSProvider FileSystem -Root $folder
        try {
            Send-LarkMessage -ReceiveType chat -ReceiveId $ops -ImagePath ./chart.png | Out-Null
            Send-LarkMessage -ReceiveType chat -ReceiveId $ops -FilePath LarkReports:/report.pdf | Out-Null
        }
        finally {
            Pop-Location
            Remove-PSDrive LarkReports
        }

        @(Get-LarkSandboxRequest -Path '/open-apis/im/v1/images').Count | Should -Be 1
        @(Get-LarkSandboxRequest -Path '/open-apis/im/v1/files').Count | Should -Be 1
        $delivered = @(Get-LarkSandboxInbox)
        ($delivered.msg_type | Sort-Object) | Should -Be @('file', 'image')
        ($delivered | Where-Object msg_type -eq 'image').attachment.file_type | Should -Be 'image'
        ($delivered | Where-Object msg_type -eq 'file').attachment.file_name | Should -Be 'report.pdf'
        ($delivered | Where-Object msg_type -eq 'file').attachment.file_type | Should -Be 'pdf'
    }

    It 'refuses a file that is not an image by its bytes before any request, in Test-LarkMessage and Send-LarkMessage' {
        $path = Join-Path $folder 'notes.png'
        $check = Test-LarkMessage -ReceiveType chat -ReceiveId $ops -ImagePath $path -Detailed
        Send-LarkMessage -ReceiveType chat -ReceiveId $ops -ImagePath $path -ErrorVariable failed -ErrorAction SilentlyContinue | Out-Null

        $check.IsValid | Should -BeFalse
        ($check.Problems -join ' ') | Should -Match 'not an image Lark takes'
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be "InvalidMessage,$sendId"
        $failed[0].ToString() | Should -Match 'notes\.png'
        @(Get-LarkSandboxRequest).Count | Should -Be 0
    }

    It 'uploads nothing under -WhatIf' {
        Send-LarkMessage -ReceiveType chat -ReceiveId $ops -ImagePath (Join-Path $folder 'chart.png') -WhatIf

        @(Get-LarkSandboxRequest).Count | Should -Be 0
    }
}
