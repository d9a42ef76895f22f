<#
.SYNOPSIS
    Posts a deployment note (rich text, Chinese and English) and a red alert card to the "Ops alerts" chat.

.DESCRIPTION
    Builds both messages without writing JSON by hand:
    - A post (msg_type post) in zh_cn and en_us, with a link, an @mention of the on-call engineer and a code block,
      from hashtables (Send-LarkMessage turns a hashtable content into the JSON Lark expects).
    - An interactive card (JSON 2.0) from New-LarkCard: a red header, a markdown body and a button that opens the
      runbook.
    Test-LarkMessage -Detailed checks both first, without sending anything; only if both are valid are they sent.

    Returns one SentMessage per message delivered. Assumes Connect-Lark was run in this PowerShell session.

    Run it:  ./examples/03-post-and-card-alert.ps1 [-Verbose]     (-Verbose also prints the request bodies)

.PARAMETER ChatId
    The chat to post to (oc_...). Default: the sandbox's "Ops alerts" chat.

.PARAMETER OnCallOpenId
    The open_id (ou_...) of the person to @mention. Default: alice in the sandbox.
#>
[CmdletBinding(SupportsShouldProcess = $true)]
param(
    [string]$ChatId = 'oc_39927562fa25da07df6771450e18c70e',
    [string]$OnCallOpenId = 'ou_f4313f39e4433a103e6fa8db37a8787f'
)

# Stop before doing anything if this session has not connected (Send-LarkMessage would say so too, but only
# once the first message is on its way).
if (-not (Get-LarkConnection)) {
    throw 'Not connected to Lark: run Connect-Lark first in this PowerShell session (quickstart.ps1 shows how).'
}

$version = '2.4.1'
$runbook = 'https://wiki.example.com/runbooks/order-service'
$rollback = "kubectl rollout undo deployment/order-service --namespace prod"

# A post: one object per locale; content is a list of paragraphs, each a list of nodes.
$post = [ordered]@{
    zh_cn = [ordered]@{
        title   = "order-service $version 已发布"
        content = @(
            @(
                @{ tag = 'text'; text = '生产环境已更新，请值班同学 ' }
                @{ tag = 'at'; user_id = $OnCallOpenId }
                @{ tag = 'text'; text = ' 关注告警。详见 ' }
                @{ tag = 'a'; text = '运行手册'; href = $runbook }
            ),
            @(
                @{ tag = 'text'; text = '如需回滚：' }
            ),
            @(
                @{ tag = 'code_block'; language = 'SHELL'; text = $rollback }
            )
        )
    }
    en_us = [ordered]@{
        title   = "order-service $version deployed"
        content = @(
            @(
                @{ tag = 'text'; text = 'Production is updated; on call: ' }
                @{ tag = 'at'; user_id = $OnCallOpenId }
                @{ tag = 'text'; text = ', please watch the alerts. See the ' }
                @{ tag = 'a'; text = 'runbook'; href = $runbook }
            ),
            @(
                @{ tag = 'text'; text = 'To roll back:' }
            ),
            @(
                @{ tag = 'code_block'; language = 'SHELL'; text = $rollback }
            )
        )
    }
}

# The alert card (JSON 2.0) from parameters: New-LarkCard writes the header, the markdown body and the button
# (one that opens the runbook) as Lark's card JSON, so no card schema is written here.
$card = New-LarkCard -Title 'Disk almost full on db-prod-02' -Subtitle 'Monitoring alert' -Template red `
    -Markdown "**/var/lib/postgresql** is at **94%** (threshold 90%).`nFree space: 11 GB, about 6 hours at the current rate." `
    -Button @{ Text = 'Open the runbook'; Url = $runbook; Style = 'danger' }

$messages = @(
    @{ receiveType = 'chat'; receiveId = $ChatId; contentType = 'post'; content = $post }
    @{ receiveType = 'chat'; receiveId = $ChatId; contentType = $card.ContentType; content = $card.Content }
)

# Check before sending: nothing goes over the network here, not even a token request.
$checks = @($messages | Test-LarkMessage -Detailed)
Write-Host 'Checked with Test-LarkMessage -Detailed:'
foreach ($check in $checks) {
    if ($check.IsValid) {
        Write-Host ('  {0}: {1}, valid, request body {2} bytes' -f $check.Item, $check.MsgType, [System.Text.Encoding]::UTF8.GetByteCount($check.RequestBody))
        Write-Verbose "POST $($check.RequestUri)`n$($check.RequestBody)"
    }
    else {
        Write-Host ('  {0}: NOT valid: {1}' -f $check.Item, ($check.Problems -join '; ')) -ForegroundColor Red
    }
}

if (@($checks | Where-Object { -not $_.IsValid }).Count -gt 0) {
    throw 'Nothing was sent: fix the problems above first.'
}

$messages | Send-LarkMessage
