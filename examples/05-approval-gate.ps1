<#
.SYNOPSIS
    An approval gate: posts a card with Approve and Reject, waits for a click, marks the card with who decided,
    and goes on only if the change was approved.

.DESCRIPTION
    Sends an interactive card (JSON 2.0) to a chat and waits (Wait-LarkCardAction, over Lark's long connection) for
    the first click on it. The person who clicked sees a toast at once (given to Lark in the acknowledgement);
    then the card is updated in place (Set-LarkMessage) to say who approved or rejected it, and when.

    Approved: writes the decision and returns normally, so the script that called it goes on.
    Rejected, or no decision within -TimeoutSec: the card says so, and the script throws, so a deployment that calls
    it stops.

    Assumes Connect-Lark was run in this PowerShell session, with an app whose card callbacks use the persistent
    connection (Events & Callbacks > Callback configuration: card.action.trigger).

    Run it:  ./examples/05-approval-gate.ps1 -Change 'Deploy web-01 to production'
             ./examples/05-approval-gate.ps1 -TimeoutSec 600; ./deploy.ps1    (deploy only once approved)

.PARAMETER ChatId
    The chat to ask in (oc_...). Default: the sandbox's "Ops alerts" chat.

.PARAMETER Change
    What is to be approved, shown on the card.

.PARAMETER TimeoutSec
    How long to wait for a decision (default 900 seconds).
#>
[CmdletBinding()]
param(
    [string]$ChatId = 'oc_39927562fa25da07df6771450e18c70e',
    [string]$Change = 'Deploy web-01 to production',
    [int]$TimeoutSec = 900
)

if (-not (Get-LarkConnection)) {
    throw 'Not connected to Lark: run Connect-Lark first (see examples/quickstart.ps1).'
}

function New-Card([string]$Template, [string]$Markdown, [object[]]$Buttons) {
    $elements = @(@{ tag = 'markdown'; content = $Markdown }) + $Buttons
    @{
        schema = '2.0'
        header = @{ title = @{ tag = 'plain_text'; content = "Approval: $Change" }; template = $Template }
        body   = @{ elements = $elements }
    }
}

function New-Button([string]$Label, [string]$Type, [string]$Decision) {
    @{ tag = 'button'; text = @{ tag = 'plain_text'; content = $Label }; type = $Type
        behaviors = @(@{ type = 'callback'; value = @{ decision = $Decision; change = $Change } }) }
}

$ask = New-Card 'blue' "**$Change** waits for a decision." @((New-Button 'Approve' 'primary' 'approve'), (New-Button 'Reject' 'danger' 'reject'))
$card = Send-LarkMessage -ReceiveType chat -ReceiveId $ChatId -ContentType interactive -Content $ask -Updatable -ErrorAction Stop

try {
    $action = $card | Wait-LarkCardAction -Timeout $TimeoutSec -Toast 'Thanks: your decision is recorded.' -ToastType success -ErrorAction Stop
}
catch {
    $card | Set-LarkMessage -ContentType interactive -Content (New-Card 'grey' "**$Change**: no decision within $TimeoutSec s. Stopped." @()) | Out-Null
    throw "No decision on '$Change' within $TimeoutSec seconds: stopped."
}

$who = "<at id=$($action.OperatorId)></at>"
$when = Get-Date -Format 'yyyy-MM-dd HH:mm'
if ($action.Value.decision -eq 'approve') {
    $card | Set-LarkMessage -ContentType interactive -Content (New-Card 'green' "**$Change**: approved by $who at $when." @()) | Out-Null
    Write-Output ([pscustomobject]@{ Change = $Change; Approved = $true; By = $action.OperatorId; At = $when })
}
else {
    $card | Set-LarkMessage -ContentType interactive -Content (New-Card 'red' "**$Change**: rejected by $who at $when." @()) | Out-Null
    throw "'$Change' was rejected by $($action.OperatorId): stopped."
}
