# A connection belongs to its PowerShell session; other runspaces (ForEach-Object -Parallel, Start-ThreadJob)
# send through it when handed -Connection. PowerShell 7+ only (ForEach-Object -Parallel; Start-ThreadJob ships
# with PowerShell 7): tagged PowerShell7, which build.ps1 leaves out on Windows PowerShell 5.1.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/LarkPS.TestSupport.psm1')
    $sandbox = Start-LarkTestSandbox
    $ops = $sandbox.Chats['Ops alerts'].chatId
    $general = $sandbox.Chats['General'].chatId
    # A new runspace starts without the module, as in a user's script when LarkPS is not on $env:PSModulePath.
    $manifest = Join-Path (Get-LarkRepoRoot) 'out/LarkPS/LarkPS.psd1'
}

AfterAll { Stop-LarkTestSandbox }

Describe '-Connection in other runspaces' -Tag 'PowerShell7' {
    BeforeEach { Reset-LarkSandbox }

    It 'sends from ForEach-Object -Parallel workers through the connection handed to them, on one token' {
        $connection = Connect-LarkSandbox -PassThru
        Reset-LarkSandbox

        $sent = 1..8 | ForEach-Object -ThrottleLimit 4 -Parallel {
            Import-Module $using:manifest
            $to = if ($_ % 2) { $using:ops } else { $using:general }
            Send-LarkMessage -Connection $using:connection -ReceiveType chat -ReceiveId $to -Text "parallel $_"
        }

        @($sent).Count | Should -Be 8
        (@(Get-LarkSandboxInbox).content | Sort-Object) | Should -Be (1..8 | ForEach-Object { "{`"text`":`"parallel $_`"}" } | Sort-Object)
        (Get-LarkSandboxStat).tokenRequests | Should -Be 0
    }

    It 'says NotConnected in a -Parallel worker without -Connection: each runspace connects on its own' {
        Connect-LarkSandbox | Out-Null

        $ids = 1 | ForEach-Object -Parallel {
            Import-Module $using:manifest
            try { Send-LarkMessage -ReceiveType chat -ReceiveId $using:ops -Text 'no connection here' -ErrorAction Stop }
            catch { $_.FullyQualifiedErrorId }
        }

        $ids | Should -Be 'NotConnected,LarkPS.Commands.SendLarkMessageCommand'
        @(Get-LarkSandboxInbox).Count | Should -Be 0
    }

    It 'sends from Start-ThreadJob through the connection handed to it' {
        $connection = Connect-LarkSandbox -PassThru
        Reset-LarkSandbox

        $job = Start-ThreadJob -ArgumentList $connection, $ops, $manifest -ScriptBlock {
            param($connection, $chat, $manifest)
            Import-Module $manifest
            1..3 | ForEach-Object { @{ receiveType = 'chat'; receiveId = $chat; content = "job $_" } } | Send-LarkMessage -Connection $connection
        }
        $sent = $job | Wait-Job -Timeout 120 | Receive-Job
        $job.State | Should -Be 'Completed'
        $job | Remove-Job

        @($sent).Count | Should -Be 3
        $sent | ForEach-Object { $_.PSObject.TypeNames[0] | Should -Be 'LarkPS.Api.SentMessage' }
        (@(Get-LarkSandboxInbox).content | Sort-Object) | Should -Be @('{"text":"job 1"}', '{"text":"job 2"}', '{"text":"job 3"}')
    }
}
