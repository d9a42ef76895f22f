<#
.SYNOPSIS
    Sends an alert to the on-call person, waits until they have read it, and escalates to a chat if they have not.

.DESCRIPTION
    Sends -Text to -OnCall (an open_id, ou_...) and polls Get-LarkMessageReader every -PollSec seconds. As soon as
    the on-call person is among the readers, writes when they read it and returns it. If -TimeoutSec passes first,
    posts an escalation into -EscalateTo that names the alert, replies to the alert saying it was escalated, and
    returns $null (so a calling script can page someone else).

    Lark keeps read receipts for 7 days and only for the bot's own messages: the alert is sent by this script, and
    a timeout of hours, not weeks, is what this is for. Assumes Connect-Lark was run in this PowerShell session.

    Run it:  ./examples/06-escalate-unread.ps1 -OnCall ou_94e54bbce8572323ffd2743ed383ebd7 -TimeoutSec 600
    In the sandbox, mark the alert read on the inbox page (choose Bob under "As", click Mark read on the message).

.PARAMETER OnCall
    The on-call person's open_id. Default: the sandbox's Bob.

.PARAMETER EscalateTo
    The chat to escalate into (oc_... or its exact name). Default: the sandbox's "Ops alerts".
#>
[CmdletBinding()]
param(
    [string] $OnCall = 'ou_94e54bbce8572323ffd2743ed383ebd7',
    [string] $EscalateTo = 'Ops alerts',
    [string] $Text = 'db-02: disk 93% used, please look',
    [int] $TimeoutSec = 600,
    [int] $PollSec = 15
)

$ErrorActionPreference = 'Stop'
$alert = Send-LarkMessage -ReceiveId $OnCall -Text $Text
$deadline = (Get-Date).AddSeconds($TimeoutSec)
while ($true) {
    $read = $alert | Get-LarkMessageReader | Where-Object UserId -eq $OnCall | Select-Object -First 1
    if ($read) {
        Write-Host "Read by $OnCall at $($read.ReadTime.ToLocalTime())"
        return $read
    }

    if ((Get-Date) -ge $deadline) { break }
    Start-Sleep -Seconds ([Math]::Min($PollSec, [Math]::Max(1, ($deadline - (Get-Date)).TotalSeconds)))
}

Send-LarkMessage -ReceiveType chat -ReceiveId $EscalateTo `
    -Text "Escalating: $OnCall has not read the alert '$Text' (sent $($alert.CreateTime.ToLocalTime()))." | Out-Null
Send-LarkMessage -ReplyTo $alert.MessageId -Text "Not read within $TimeoutSec s: escalated to $EscalateTo." | Out-Null
Write-Host "Not read within $TimeoutSec s: escalated to $EscalateTo"
$null
