# -Debug shows every request (method, path, body) and answer (status, code, log id, time) at the HTTP choke point,
# written on the pipeline thread, with no secret in any stream: the App Secret, the tokens the sandbox issued, hook
# tokens and signatures.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/LarkPS.TestSupport.psm1')
    $sandbox = Start-LarkTestSandbox -Connect
    $ops = $sandbox.Chats['Ops alerts'].chatId
    $noBot = $sandbox.Chats['No bot here'].chatId

    # The debug lines among every record an invocation left (*>&1).
    function Select-DebugLine([object[]] $Records) {
        @($Records | Where-Object { $_ -is [System.Management.Automation.DebugRecord] } | ForEach-Object { $_.Message })
    }
}

AfterAll { Stop-LarkTestSandbox }

Describe '-Debug' {
    BeforeEach { Reset-LarkSandbox }

    It 'shows each send request with its body and each answer with status, code, log id and time' {
        $records = @(Send-LarkMessage -ReceiveId $ops -Text 'debug me' -Debug *>&1)

        $sent = @($records | Where-Object { $_ -is [LarkPS.Api.SentMessage] })
        $sent.Count | Should -Be 1
        $lines = Select-DebugLine $records
        $request = @($lines | Where-Object { $_ -like 'HTTP POST /open-apis/im/v1/messages*' })
        $request.Count | Should -Be 1
        $request[0] | Should -Match ([regex]::Escape('receive_id_type=chat_id'))
        $request[0] | Should -Match ([regex]::Escape('"receive_id":"' + $ops + '"'))
        $request[0] | Should -Match ([regex]::Escape('debug me'))
        $request[0] | Should -Match ([regex]::Escape('"uuid":"' + $sent[0].Uuid + '"'))
        # The body shown is the body the sandbox received.
        $request[0] | Should -Match ([regex]::Escape((Get-LarkSandboxSend)[0].body))
        $answer = @($lines | Where-Object { $_ -like 'HTTP 200 answered POST /open-apis/im/v1/messages*' })
        $answer.Count | Should -Be 1
        $answer[0] | Should -Match ('code 0, log id ' + [regex]::Escape($sent[0].LogId) + ', \d+ ms$')

        # -Debug alone makes PowerShell ask before each verbose line of a compiled cmdlet: they come as debug lines instead.
        @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Count | Should -Be 0
        @($lines | Where-Object { $_ -like 'Sending through app*' }).Count | Should -Be 1
    }

    It 'shows a refusal''s status, Lark''s code and log id' {
        $records = @(Send-LarkMessage -ReceiveId $noBot -Text 'refused' -Debug -ErrorAction SilentlyContinue -ErrorVariable failed *>&1)

        $failed.Count | Should -Be 1
        $answer = @(Select-DebugLine $records | Where-Object { $_ -like 'HTTP 400 answered POST*' })
        $answer.Count | Should -Be 1
        $answer[0] | Should -Match 'code 230002, log id \w+, \d+ ms$'
        $failed[0].ErrorDetails.Message | Should -Match ([regex]::Escape(($answer[0] -replace '^.*log id (\w+),.*$', '$1')))
    }

    It 'follows $DebugPreference in the caller''s scope, and writes nothing without it' {
        $quiet = @(Send-LarkMessage -ReceiveId $ops -Text 'quiet' *>&1)
        @(Select-DebugLine $quiet).Count | Should -Be 0

        $loud = & { $DebugPreference = 'Continue'; @(Send-LarkMessage -ReceiveId $ops -Text 'loud' *>&1) }
        @(Select-DebugLine $loud | Where-Object { $_ -like 'HTTP POST /open-apis/im/v1/messages*' }).Count | Should -Be 1
    }

    It 'shows Connect-Lark''s token request with the App Secret masked, and neither the secret nor any token in any stream' {
        $records = @(Connect-LarkSandbox -Debug -PassThru *>&1)

        $lines = Select-DebugLine $records
        $request = @($lines | Where-Object { $_ -like 'HTTP POST /open-apis/auth/v3/tenant_access_token/internal*' })
        $request.Count | Should -Be 1
        $request[0] | Should -Match ([regex]::Escape('"app_id":"cli_sandbox","app_secret":"***"'))
        @($lines | Where-Object { $_ -match '^HTTP 200 answered POST /open-apis/auth/v3/tenant_access_token/internal: code 0, log id \w+, \d+ ms$' }).Count | Should -Be 1
        Find-LarkSecret (ConvertTo-LarkAllText $records) | Should -BeNullOrEmpty
    }

    It 'shows the token renewed mid-run (revoked by the sandbox) with no token or secret in any stream' {
        Set-LarkSandboxFault @{ revokeTokenAfterUses = 1 } | Out-Null
        $items = 1..3 | ForEach-Object { @{ receiveId = $ops; content = "revoked $_" } }

        $records = @($items | Send-LarkMessage -Debug *>&1)

        @($records | Where-Object { $_ -is [LarkPS.Api.SentMessage] }).Count | Should -Be 3
        $lines = Select-DebugLine $records
        @($lines | Where-Object { $_ -match 'code 9999166[34]' }).Count | Should -BeGreaterThan 0
        $renewal = @($lines | Where-Object { $_ -like 'HTTP POST /open-apis/auth/v3/tenant_access_token/internal*' })
        $renewal.Count | Should -BeGreaterThan 0
        $renewal | ForEach-Object { $_ | Should -Match ([regex]::Escape('"app_secret":"***"')) }
        @(Get-LarkSandboxRequest -Path '/open-apis/auth/v3/tenant_access_token/internal').Count | Should -BeGreaterThan 0
        # Every token the sandbox saw in an Authorization header since the reset, the new one included, and the secret.
        Find-LarkSecret (ConvertTo-LarkAllText $records) | Should -BeNullOrEmpty
    }

    It 'masks a custom bot''s hook token and signature' {
        $hookToken = '6f0d7c52-3b1e-4a8f-9c2d-5e4b3a2f1d0c'
        $hookSecret = 'sandbox-hook-secret'
        $hook = Connect-Lark -WebhookUri "$($sandbox.Url)/open-apis/bot/v2/hook/$hookToken" -WebhookSecret (ConvertTo-SecureString $hookSecret -AsPlainText -Force) -PassThru
        try {
            $records = @(Send-LarkMessage -Connection $hook -Text 'from the hook' -Debug *>&1)

            @($records | Where-Object { $_ -is [LarkPS.Api.SentMessage] }).Count | Should -Be 1
            $request = @(Select-DebugLine $records | Where-Object { $_ -like 'HTTP POST *' })
            $request.Count | Should -Be 1
            $request[0] | Should -Match ([regex]::Escape('/open-apis/bot/v2/hook/***'))
            $request[0] | Should -Match ([regex]::Escape('"sign":"***"'))
            $request[0] | Should -Match 'from the hook'
            $sign = ((Get-LarkSandboxRequest -Path '/open-apis/bot/v2/hook/')[0].body | ConvertFrom-Json).sign
            $sign | Should -Not -BeNullOrEmpty
            $all = ConvertTo-LarkAllText $records
            $all | Should -Not -Match ([regex]::Escape($hookToken))
            $all | Should -Not -Match ([regex]::Escape($hookSecret))
            $all | Should -Not -Match ([regex]::Escape($sign))
        }
        finally {
            Connect-LarkSandbox | Out-Null
        }
    }
}

Describe 'Test-LarkMessage -Detailed' {
    It 'shows the request that would be sent, body included, by default' {
        $text = @{ receiveType = 'chat'; receiveId = $ops; content = 'check me' } | Test-LarkMessage -Detailed | Out-String -Width 200

        $text | Should -Match ('(?m)^RequestUri\s+: .*' + [regex]::Escape('/open-apis/im/v1/messages?receive_id_type=chat_id'))
        $text | Should -Match ('(?m)^RequestBody\s+: ' + [regex]::Escape('{"receive_id":"' + $ops + '","msg_type":"text","content":"{\"text\":\"check me\"}"'))
    }

    It 'says when the body is made for a phone number' {
        $text = @{ receiveType = 'phone'; receiveId = '13800000001'; content = 'hi' } | Test-LarkMessage -Detailed | Out-String -Width 200

        $text | Should -Match ('(?m)^RequestBody\s+: ' + [regex]::Escape('(made once the phone number is looked up)'))
    }
}
