# Test-LarkMessage checks input with Send-LarkMessage's validator and sends nothing, connected or not.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/LarkPS.TestSupport.psm1')
    $sandbox = Start-LarkTestSandbox
    $ops = $sandbox.Chats['Ops alerts'].chatId
}

AfterAll { Stop-LarkTestSandbox }

Describe 'Test-LarkMessage' {
    BeforeEach { Reset-LarkSandbox }

    It 'answers true or false per item, without any request, even when connected' {
        Connect-LarkSandbox
        Reset-LarkSandbox

        $verdicts = @(
            @{ receiveType = 'chat'; receiveId = $ops; content = 'ok' }
            @{ receiveType = 'chat'; receiveId = 'ou_ops'; content = 'bad id' }
            @{ receiveType = 'phone'; receiveId = '13800000001'; contentType = 'post'; content = '{"zh_cn":{"title":"t","content":[[{"tag":"text","text":"x"}]]}}' }
            @{ receiveType = 'user'; receiveId = $sandbox.Users['Alice'].openId; contentType = 'interactive'; content = '{"card":{}}' }
        ) | Test-LarkMessage -ErrorVariable failed

        $verdicts | Should -Be @($true, $false, $true, $false)
        $failed.Count | Should -Be 0
        @(Get-LarkSandboxRequest).Count | Should -Be 0
        Disconnect-Lark
    }

    It 'needs no connection and sends not even a token request' {
        Disconnect-Lark

        Test-LarkMessage -ReceiveType chat -ReceiveId $ops -Text 'hi' | Should -BeTrue
        @(Get-LarkSandboxRequest).Count | Should -Be 0
    }

    It 'validates the seed message body as a whole' {
        '[{"receiveType":"chat","receiveId":"' + $ops + '","contentType":"text","content":"{\"text\":\"Hello!\"}"}]' | Test-LarkMessage | Should -BeTrue
    }

    It 'shows the problems and the exact request with -Detailed' {
        $checks = @(
            [pscustomobject]@{ receive_id_type = 'chat_id'; receive_id = $ops; msg_type = 'text'; content = 'Disk full'; uuid = 'u-1' }
            [pscustomobject]@{ receiveType = 'email'; receiveId = 'not-an-email'; contentType = 'image'; content = '{}' }
        ) | Test-LarkMessage -Detailed

        $checks.Count | Should -Be 2
        $good, $bad = $checks
        $good.IsValid | Should -BeTrue
        $good.ReceiveIdType | Should -Be 'chat_id'
        $good.ReceiveId | Should -Be $ops
        $good.MsgType | Should -Be 'text'
        $good.Content | Should -Be '{"text":"Disk full"}'
        $body = $good.RequestBody | ConvertFrom-Json
        $body.receive_id | Should -Be $ops
        $body.content | Should -Be '{"text":"Disk full"}'
        $body.uuid | Should -Be 'u-1'
        $bad.IsValid | Should -BeFalse
        $bad.Problems | Where-Object { $_ -match 'receiveId' -and $_ -match 'e-mail' } | Should -Not -BeNullOrEmpty
        $bad.Problems | Where-Object { $_ -match 'image_key' } | Should -Not -BeNullOrEmpty
        @(Get-LarkSandboxRequest).Count | Should -Be 0
    }
}
