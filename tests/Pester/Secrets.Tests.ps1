# The App Secret and the tenant token never reach output, any stream, a transcript or an exported file.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/LarkPS.TestSupport.psm1')
    $sandbox = Start-LarkTestSandbox
    $ops = $sandbox.Chats['Ops alerts'].chatId
}

AfterAll { Stop-LarkTestSandbox }

Describe 'Secrets' {
    BeforeEach {
        Disconnect-Lark
        Reset-LarkSandbox
    }

    It 'never shows in a transcript of connecting, sending with -Verbose -Debug, a refusal and Get-LarkConnection' {
        $transcript = Join-Path $TestDrive 'session.txt'
        $DebugPreference = 'Continue'
        Start-Transcript -Path $transcript | Out-Null
        try {
            Connect-Lark -BaseUri $sandbox.Url -AppId cli_sandbox -AppSecret (Get-LarkSandboxSecret) -Verbose
            Send-LarkMessage -ReceiveType chat -ReceiveId $ops -Text 'in the transcript' -Verbose -Debug | Out-Host
            Send-LarkMessage -ReceiveType chat -ReceiveId $sandbox.Chats['No bot here'].chatId -Text 'refused' -Verbose -ErrorAction Continue 2>&1 | Out-Host
            Get-LarkConnection | Format-List * | Out-Host
        }
        finally {
            Stop-Transcript | Out-Null
            $DebugPreference = 'SilentlyContinue'
        }

        $text = Get-Content $transcript -Raw
        $text | Should -Match 'in the transcript|om_'
        $text | Should -Match 'BotNotInChat|230002'
        @(Get-LarkSandboxInbox).Count | Should -Be 1
        Find-LarkSecret $text | Should -BeNullOrEmpty
    }

    It 'never shows in Export-Clixml of the connection, the sent messages and the errors' {
        $connection = Connect-LarkSandbox -PassThru
        $sent = Send-LarkMessage -ReceiveType chat -ReceiveId $ops -Text 'exported'
        Send-LarkMessage -ReceiveType user -ReceiveId $sandbox.Users['Carol'].openId -Text 'refused' -ErrorVariable failed -ErrorAction SilentlyContinue
        $file = Join-Path $TestDrive 'state.clixml'

        @{ Connection = $connection; Current = (Get-LarkConnection); Sent = $sent; Errors = $failed } | Export-Clixml -Path $file -Depth 5

        $text = Get-Content $file -Raw
        $text | Should -Match 'cli_sandbox'
        $text | Should -Match ([regex]::Escape($sent.MessageId))
        $text | Should -Match 'ReceiverOutsideVisibleRange'
        Find-LarkSecret $text | Should -BeNullOrEmpty
        (Import-Clixml $file).Connection.AppId | Should -Be 'cli_sandbox'
    }

    It 'never shows in any stream of a run with -Verbose and -Debug, nor in ConvertTo-Json of the connection' {
        $all = & {
            Connect-Lark -BaseUri $sandbox.Url -AppId cli_sandbox -AppSecret (Get-LarkSandboxSecret) -PassThru -Verbose -Debug
            Send-LarkMessage -ReceiveType chat -ReceiveId $ops -Text 'streams' -Verbose -Debug
            Get-LarkConnection | ConvertTo-Json -Depth 4
        } *>&1

        $text = ConvertTo-LarkAllText $all
        $text | Should -Match 'cli_sandbox'
        @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Count | Should -BeGreaterThan 0
        Find-LarkSecret $text | Should -BeNullOrEmpty
    }
}
