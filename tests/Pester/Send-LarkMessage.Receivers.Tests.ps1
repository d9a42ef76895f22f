# Send-LarkMessage reaches every kind of receiver with every kind of content, as Lark's API expects them,
# judged by what the sandbox delivered.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/LarkPS.TestSupport.psm1')
    $sandbox = Start-LarkTestSandbox -Connect
}

AfterAll { Stop-LarkTestSandbox }

Describe 'Send-LarkMessage -ReceiveType' {
    BeforeEach { Reset-LarkSandbox }

    # receiveType, the user or chat, which of its ids, and the receive_id_type Lark gets with the id it gets.
    It 'sends <ReceiveType> <ReceiveId> to Lark as receive_id_type <WireType>' -ForEach @(
        @{ ReceiveType = 'user'; ReceiveId = 'ou_f4313f39e4433a103e6fa8db37a8787f'; WireType = 'open_id'; WireId = 'ou_f4313f39e4433a103e6fa8db37a8787f' }
        @{ ReceiveType = 'open_id'; ReceiveId = 'ou_94e54bbce8572323ffd2743ed383ebd7'; WireType = 'open_id'; WireId = 'ou_94e54bbce8572323ffd2743ed383ebd7' }
        @{ ReceiveType = 'email'; ReceiveId = 'alice@example.com'; WireType = 'email'; WireId = 'alice@example.com' }
        @{ ReceiveType = 'chat'; ReceiveId = 'oc_39927562fa25da07df6771450e18c70e'; WireType = 'chat_id'; WireId = 'oc_39927562fa25da07df6771450e18c70e' }
        @{ ReceiveType = 'chat_id'; ReceiveId = 'oc_66a589932b30b63f00cedfcb616e9c92'; WireType = 'chat_id'; WireId = 'oc_66a589932b30b63f00cedfcb616e9c92' }
        @{ ReceiveType = 'union_id'; ReceiveId = 'on_113b62fb0f2443838acb11b79fc3150e'; WireType = 'union_id'; WireId = 'on_113b62fb0f2443838acb11b79fc3150e' }
        @{ ReceiveType = 'user_id'; ReceiveId = 'd97e6f3e'; WireType = 'user_id'; WireId = 'd97e6f3e' }
        @{ ReceiveType = 'phone'; ReceiveId = '13800000001'; WireType = 'open_id'; WireId = 'ou_f4313f39e4433a103e6fa8db37a8787f' }
        @{ ReceiveType = 'phone'; ReceiveId = '+86 138-0000-0002'; WireType = 'open_id'; WireId = 'ou_94e54bbce8572323ffd2743ed383ebd7' }
        @{ ReceiveType = 'phone'; ReceiveId = '+1 415 555 0100'; WireType = 'open_id'; WireId = 'ou_3a6f87878523af27e92c4da26cb76f55' }
    ) {
        $sent = [pscustomobject]@{ receiveType = $ReceiveType; receiveId = $ReceiveId; contentType = 'text'; content = '{"text":"Hello!"}' } | Send-LarkMessage

        $delivered = @(Get-LarkSandboxInbox)
        $delivered.Count | Should -Be 1
        $delivered[0].receive_id_type | Should -Be $WireType
        $delivered[0].receive_id | Should -Be $WireId
        $delivered[0].content | Should -Be '{"text":"Hello!"}'
        $delivered[0].uuid | Should -Not -BeNullOrEmpty
        @($sent).Count | Should -Be 1
        $sent.MessageId | Should -Be $delivered[0].message_id
        $sent.ChatId | Should -Be $delivered[0].chat_id
        $sent.ReceiveType | Should -Be $ReceiveType
        $sent.ReceiveId | Should -Be $ReceiveId
        $sent.Uuid | Should -Be $delivered[0].uuid
        $sent.CreateTime | Should -BeOfType [DateTimeOffset]
        $sent.LogId | Should -Not -BeNullOrEmpty
    }
}

Describe 'Send-LarkMessage -ContentType' {
    BeforeEach { Reset-LarkSandbox }

    It 'sends <ContentType> content to Lark unchanged' -ForEach @(
        @{ ContentType = 'text'; Content = '{"text":"Disk <at user_id=\"all\"></at> full"}' }
        @{ ContentType = 'post'; Content = '{"zh_cn":{"title":"Deploy","content":[[{"tag":"text","text":"v1.2 "},{"tag":"a","text":"notes","href":"https://example.com"}]]}}' }
        @{ ContentType = 'image'; Content = '{"image_key":"img_v3_0abc"}' }
        @{ ContentType = 'interactive'; Content = '{"schema":"2.0","header":{"title":{"tag":"plain_text","content":"CPU high"},"template":"red"},"body":{"elements":[{"tag":"markdown","content":"**web-01** at 97%"}]}}' }
        @{ ContentType = 'share_chat'; Content = '{"chat_id":"oc_66a589932b30b63f00cedfcb616e9c92"}' }
        @{ ContentType = 'share_user'; Content = '{"user_id":"ou_94e54bbce8572323ffd2743ed383ebd7"}' }
        @{ ContentType = 'audio'; Content = '{"file_key":"file_v3_audio1"}' }
        @{ ContentType = 'media'; Content = '{"file_key":"file_v3_media1","image_key":"img_v3_cover"}' }
        @{ ContentType = 'file'; Content = '{"file_key":"file_v3_report"}' }
        @{ ContentType = 'sticker'; Content = '{"file_key":"file_v3_sticker"}' }
    ) {
        $sent = @{ receiveType = 'chat'; receiveId = $sandbox.Chats['Ops alerts'].chatId; contentType = $ContentType; content = $Content } | Send-LarkMessage

        @($sent).Count | Should -Be 1
        $delivered = @(Get-LarkSandboxInbox)
        $delivered.Count | Should -Be 1
        $delivered[0].msg_type | Should -Be $ContentType
        ConvertTo-LarkCanonicalJson $delivered[0].content | Should -Be (ConvertTo-LarkCanonicalJson $Content)
    }

    It 'sends a card built from ConvertFrom-Json objects or nested hashtables as its JSON' {
        $ops = $sandbox.Chats['Ops alerts'].chatId
        $card = '{"schema":"2.0","header":{"title":{"tag":"plain_text","content":"Disk"}},"body":{"elements":[{"tag":"markdown","content":"**db01** 97%"}]}}' | ConvertFrom-Json
        Send-LarkMessage -ReceiveType chat -ReceiveId $ops -ContentType interactive -Content $card | Out-Null
        $elements = 1..2 | ForEach-Object { @{ tag = 'markdown'; content = "line $_" } }
        Send-LarkMessage -ReceiveType chat -ReceiveId $ops -ContentType interactive -Content @{ schema = '2.0'; body = @{ elements = $elements } } | Out-Null

        $delivered = @(Get-LarkSandboxInbox)
        $delivered.Count | Should -Be 2
        ($delivered[0].content | ConvertFrom-Json).body.elements[0].content | Should -Be '**db01** 97%'
        ($delivered[1].content | ConvertFrom-Json).body.elements[1].content | Should -Be 'line 2'
    }
}
