# The two-way examples (issue 21) in pwsh against the sandbox: the chat-ops loop answers "status" with a card, and
# the approval gate waits for a click, updates the card with who decided, and goes on or stops.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/LarkPS.TestSupport.psm1')
    $sandbox = Start-LarkTestSandbox -Connect
    $examples = Join-Path (Get-LarkRepoRoot) 'examples'
    $ops = $sandbox.Chats['Ops alerts'].chatId
    $alice = $sandbox.Users['Alice'].openId
    $bob = $sandbox.Users['Bob'].openId

    function Invoke-Events([string] $Path, $Body) {
        Invoke-RestMethod -Method Post -Uri "$($sandbox.Url)/_sandbox/events$Path" -ContentType 'application/json' -Body ($Body | ConvertTo-Json -Depth 10 -Compress)
    }
    # Bob clicks the first card the app sent, once it is in the inbox: from another runspace, while the example waits.
    function Start-Clicker([string] $Decision) {
        $ps = [powershell]::Create()
        [void]$ps.AddScript({
                param($url, $bob, $decision)
                $deadline = [DateTime]::UtcNow.AddSeconds(30)
                while ([DateTime]::UtcNow -lt $deadline) {
                    $card = @(Invoke-RestMethod "$url/_sandbox/inbox" | Where-Object { $_.msg_type -eq 'interactive' -and $_.sender_type -eq 'app' })[0]
                    if ($card) { break }
                    Start-Sleep -Milliseconds 200
                }
                $body = @{ message_id = $card.message_id; operator_id = $bob; tag = 'button'; value = @{ decision = $decision }; delay_ms = 1500 } | ConvertTo-Json -Compress
                Invoke-RestMethod -Method Post -Uri "$url/_sandbox/events/card-action" -ContentType 'application/json' -Body $body | Out-Null
            }).AddArgument($sandbox.Url).AddArgument($bob).AddArgument($Decision)
        [pscustomobject]@{ PowerShell = $ps; Run = $ps.BeginInvoke() }
    }
}

AfterAll { Stop-LarkTestSandbox }

Describe 'Two-way examples' {
    BeforeEach {
        Reset-LarkSandbox
        Invoke-Events '/options' @{ retryDelaysMs = @(500, 500, 500, 500); reconnectNonce = 0; reconnectInterval = 1 } | Out-Null
    }

    It '04-chat-ops-loop.ps1 answers "status" with a status card, as a reply to the message' {
        Invoke-Events '/message' @{ sender_id = $alice; chat_id = $ops; text = 'status'; delay_ms = 1500 } | Out-Null

        $sent = @(& (Join-Path $examples '04-chat-ops-loop.ps1') -Count 1 -Timeout 30)

        $sent.Count | Should -Be 1
        $inbox = @(Get-LarkSandboxInbox)
        $question = @($inbox | Where-Object sender_type -eq 'user')[0]
        $answer = @($inbox | Where-Object sender_type -eq 'app')
        $answer.Count | Should -Be 1
        $answer[0].msg_type | Should -Be 'interactive'
        $answer[0].parent_id | Should -Be $question.message_id
        ($answer[0].content | ConvertFrom-Json).header.title.content | Should -BeLike 'Status of *'
    }

    It '05-approval-gate.ps1 goes on when approved, and the card says who approved' {
        $clicker = Start-Clicker 'approve'

        $decision = & (Join-Path $examples '05-approval-gate.ps1') -Change 'Deploy web-01' -TimeoutSec 30
        $clicker.PowerShell.EndInvoke($clicker.Run); $clicker.PowerShell.Dispose()

        $decision.Approved | Should -BeTrue
        $decision.By | Should -Be $bob
        $card = @(Get-LarkSandboxInbox | Where-Object msg_type -eq 'interactive')[0]
        $card.card_updates | Should -BeGreaterOrEqual 1
        ($card.content | ConvertFrom-Json).body.elements[0].content | Should -Match "approved by <at id=$bob></at>"
    }

    It '05-approval-gate.ps1 stops (throws) when rejected, and the card says so' {
        $clicker = Start-Clicker 'reject'

        { & (Join-Path $examples '05-approval-gate.ps1') -Change 'Deploy web-02' -TimeoutSec 30 } | Should -Throw '*rejected*'
        $clicker.PowerShell.EndInvoke($clicker.Run); $clicker.PowerShell.Dispose()

        $card = @(Get-LarkSandboxInbox | Where-Object msg_type -eq 'interactive')[0]
        ($card.content | ConvertFrom-Json).body.elements[0].content | Should -Match 'rejected by'
        ($card.content | ConvertFrom-Json).header.template | Should -Be 'red'
    }
}
