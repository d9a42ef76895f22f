# Connect-Lark, Get-LarkConnection and Disconnect-Lark against the sandbox: the three ways to give the credentials,
# Lark's two refusals, and what the connection shows.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/LarkPS.TestSupport.psm1')
    $sandbox = Start-LarkTestSandbox
    $connectId = 'LarkPS.Commands.ConnectLarkCommand'
}

AfterAll { Stop-LarkTestSandbox }

Describe 'Connect-Lark' {
    BeforeEach {
        Disconnect-Lark
        Reset-LarkSandbox
    }

    Context 'with the credentials in each form' {
        It 'connects with -AppId and a SecureString -AppSecret, fetching a token at once' {
            $connection = Connect-Lark -BaseUri $sandbox.Url -AppId cli_sandbox -AppSecret (Get-LarkSandboxSecret) -PassThru

            $connection.AppId | Should -Be 'cli_sandbox'
            [string]$connection.Region | Should -Be 'Custom'
            $connection.TokenExpiresAt | Should -Not -BeNullOrEmpty
            (Get-LarkSandboxStat).tokensIssued | Should -Be 1
            $tokenRequest = @(Get-LarkSandboxRequest -Path '/open-apis/auth/v3/tenant_access_token/internal')
            $tokenRequest.Count | Should -Be 1
            $tokenRequest[0].body | Should -Match '"app_id":"cli_sandbox"'
        }

        It 'connects with a PSCredential whose user name is the App ID' {
            $credential = New-Object System.Management.Automation.PSCredential ('cli_sandbox', (Get-LarkSandboxSecret))

            Connect-Lark -Credential $credential -BaseUri $sandbox.Url

            (Get-LarkConnection).AppId | Should -Be 'cli_sandbox'
            (Get-LarkSandboxStat).tokensIssued | Should -Be 1
        }

        It 'takes LARK_APP_ID and LARK_APP_SECRET from the environment when given neither' {
            try {
                $env:LARK_APP_ID = 'cli_sandbox'
                $env:LARK_APP_SECRET = $sandbox.AppSecret
                $connection = Connect-Lark -BaseUri $sandbox.Url -PassThru -Verbose 4>&1 | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
            }
            finally {
                Remove-Item Env:LARK_APP_ID, Env:LARK_APP_SECRET -ErrorAction SilentlyContinue
            }

            $connection.AppId | Should -Be 'cli_sandbox'
            (Get-LarkSandboxStat).tokensIssued | Should -Be 1
        }

        It 'says what to give when there are no parameters and no environment, before any request' {
            Remove-Item Env:LARK_APP_ID, Env:LARK_APP_SECRET -ErrorAction SilentlyContinue

            $err = { Connect-Lark -BaseUri $sandbox.Url } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -Be "MissingCredentials,$connectId"
            $err.Exception.Message | Should -Match 'LARK_APP_SECRET'
            (Get-LarkSandboxStat).tokenRequests | Should -Be 0
        }
        It 'names the one environment variable missing when the other is set, and reads a secret with a line break' {
            try {
                Remove-Item Env:LARK_APP_SECRET -ErrorAction SilentlyContinue
                $env:LARK_APP_ID = 'cli_sandbox'
                $noSecret = { Connect-Lark -BaseUri $sandbox.Url } | Should -Throw -PassThru
                Remove-Item Env:LARK_APP_ID
                $env:LARK_APP_SECRET = $sandbox.AppSecret
                $noId = { Connect-Lark -BaseUri $sandbox.Url } | Should -Throw -PassThru
                (Get-LarkSandboxStat).tokenRequests | Should -Be 0

                # set from a file or an echo in a CI job: the line break is no part of the secret
                $env:LARK_APP_ID = 'cli_sandbox'
                $env:LARK_APP_SECRET = $sandbox.AppSecret + "`n"
                $connection = Connect-Lark -BaseUri $sandbox.Url -PassThru
            }
            finally {
                Remove-Item Env:LARK_APP_ID, Env:LARK_APP_SECRET -ErrorAction SilentlyContinue
            }

            $noSecret.FullyQualifiedErrorId | Should -Be "MissingCredentials,$connectId"
            $noSecret.Exception.Message | Should -BeLike 'LARK_APP_ID is set but LARK_APP_SECRET is not*'
            $noId.Exception.Message | Should -BeLike 'LARK_APP_SECRET is set but LARK_APP_ID is not*'
            ConvertTo-LarkAllText $noId | Should -Not -Match ([regex]::Escape($sandbox.AppSecret))
            $connection.AppId | Should -Be 'cli_sandbox'
        }

        It 'refuses a plain-text -AppSecret or -WebhookSecret with the ways to give it, never echoing it, before any request' {
            $hook = $sandbox.Url + '/open-apis/bot/v2/hook/6f0d7c52-3b1e-4a8f-9c2d-5e4b3a2f1d0c'

            $appErr = { Connect-Lark -BaseUri $sandbox.Url -AppId cli_sandbox -AppSecret 'plain-secret-456' } | Should -Throw -PassThru
            $hookErr = { Connect-Lark -WebhookUri $hook -WebhookSecret 'plain-hook-789' } | Should -Throw -PassThru

            $appErr.Exception.Message | Should -Match '-AppSecret takes a SecureString, not plain text'
            $appErr.Exception.Message | Should -Match 'Read-Host -AsSecureString'
            $appErr.Exception.Message | Should -Match 'LARK_APP_SECRET'
            $hookErr.Exception.Message | Should -Match '-WebhookSecret takes a SecureString'
            $hookErr.Exception.Message | Should -Match 'LARK_WEBHOOK_SECRET'
            ConvertTo-LarkAllText $appErr | Should -Not -Match 'plain-secret-456'
            ConvertTo-LarkAllText $hookErr | Should -Not -Match 'plain-hook-789'
            (Get-LarkSandboxStat).tokenRequests | Should -Be 0
            Get-LarkConnection | Should -BeNullOrEmpty
        }
    }

    Context 'when Lark refuses' {
        It 'stops with InvalidAppSecret naming code 10014 and the fix, never showing the wrong secret' {
            $wrong = ConvertTo-SecureString 'wrong-secret-123' -AsPlainText -Force

            $err = { Connect-Lark -BaseUri $sandbox.Url -AppId cli_sandbox -AppSecret $wrong -Verbose -Debug 4>$null 5>$null } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -Be "InvalidAppSecret,$connectId"
            $err.Exception.Message | Should -Match '10014'
            $err.ErrorDetails.RecommendedAction | Should -Match 'Credentials & Basic Info'
            ConvertTo-LarkAllText $err | Should -Not -Match 'wrong-secret-123'
            Get-LarkConnection | Should -BeNullOrEmpty
        }

        It 'stops with UnknownAppId naming code 10003, the app as target and -Region as the fix' {
            $err = { Connect-Lark -BaseUri $sandbox.Url -AppId cli_nobody -AppSecret (Get-LarkSandboxSecret) } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -Be "UnknownAppId,$connectId"
            $err.Exception.Message | Should -Match '10003'
            $err.ErrorDetails.RecommendedAction | Should -Match '-Region Lark'
            $err.TargetObject | Should -Be 'cli_nobody'
            Find-LarkSecret (ConvertTo-LarkAllText $err) | Should -BeNullOrEmpty
        }

        It 'refuses plain http to a host that is not loopback before sending anything' {
            $err = { Connect-Lark -BaseUri 'http://open.example.com' -AppId cli_x -AppSecret (Get-LarkSandboxSecret) } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -Be "InvalidBaseUri,$connectId"
            $err.Exception.Message | Should -Match 'loopback'
        }
    }
}

Describe 'Get-LarkConnection and Disconnect-Lark' {
    BeforeEach {
        Disconnect-Lark
        Reset-LarkSandbox
    }

    It 'shows the app, host, region and token expiry, and offers no way to the token' {
        Connect-LarkSandbox
        $connection = Get-LarkConnection

        $text = ($connection | Format-List * | Out-String) + ($connection | Format-Table | Out-String)
        $text | Should -Match 'cli_sandbox'
        $text | Should -Match '127\.0\.0\.1'
        $text | Should -Match 'TokenExpiresAt'
        Find-LarkSecret $text | Should -BeNullOrEmpty
        $methods = $connection.PSObject.Methods.Name
        $methods | Should -Contain 'Dispose'
        $methods | Where-Object { $_ -match 'EnsureToken|^get_Tokens$|^get_Client$' } | Should -BeNullOrEmpty
    }

    It 'forgets the connection, and a send then says to connect' {
        Connect-LarkSandbox
        Disconnect-Lark

        Get-LarkConnection | Should -BeNullOrEmpty
        $err = { Send-LarkMessage -ReceiveType chat -ReceiveId $sandbox.Chats['Ops alerts'].chatId -Text hi } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'NotConnected,LarkPS.Commands.SendLarkMessageCommand'
    }

    It 'belongs to this PowerShell session: a new window is not connected' {
        Connect-LarkSandbox

        $child = Invoke-LarkChildPowerShell -Script '@(Get-LarkConnection).Count'

        $child.ExitCode | Should -Be 0
        $child.Output.Trim() | Should -Be '0'
        @(Get-LarkConnection).Count | Should -Be 1
    }
}
