# Pester 5 tests for users with pwsh or Windows PowerShell 5.1: the module imports on this edition and its
# cmdlets behave without a network. `./build.ps1 -Task Test` runs them when Pester is installed.
BeforeAll {
    $manifest = Join-Path $PSScriptRoot '../../out/LarkPS/LarkPS.psd1'
    Import-Module $manifest -Force
}

Describe 'LarkPS on this PowerShell edition' {
    It 'imports and exports its cmdlets' {
        $names = (Get-Command -Module LarkPS).Name | Sort-Object
        $names | Should -Be @('Connect-Lark', 'Disconnect-Lark', 'Get-LarkConnection', 'Send-LarkMessage', 'Test-LarkMessage')
    }

    It 'uses System.Text.Json (the netstandard dependency) without a binding error' {
        { '{"receiveType":"chat","receiveId":"oc_0123456789abcdef0123456789abcdef","content":"{\"text\":\"hi\"}"}' | Test-LarkMessage } |
            Should -Not -Throw
    }

    It 'validates the seed message body without sending anything' {
        $body = '[{"receiveType":"chat","receiveId":"oc_0123456789abcdef0123456789abcdef","contentType":"text","content":"{\"text\":\"Hello!\"}"}]'
        $body | Test-LarkMessage | Should -BeTrue
    }

    It 'reports a bad item as invalid' {
        [pscustomobject]@{ receiveType = 'chat'; receiveId = 'not-a-chat'; content = 'hi' } | Test-LarkMessage | Should -BeFalse
    }

    It 'refuses plain http to a remote host' {
        { Connect-Lark -BaseUri 'http://example.com' -AppId cli_x -AppSecret (ConvertTo-SecureString 'x' -AsPlainText -Force) -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidBaseUri,LarkPS.Commands.ConnectLarkCommand'
    }

    It 'says Send-LarkMessage needs Connect-Lark first' {
        Disconnect-Lark
        { Send-LarkMessage -ReceiveType chat -ReceiveId oc_0123456789abcdef0123456789abcdef -Text 'hi' -ErrorAction Stop } |
            Should -Throw -ErrorId 'NotConnected,LarkPS.Commands.SendLarkMessageCommand'
    }
}
