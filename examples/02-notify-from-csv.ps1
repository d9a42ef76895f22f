<#
.SYNOPSIS
    Sends everyone in a CSV file a text message, by e-mail address or phone number, and reports who was missed.

.DESCRIPTION
    people.csv has the columns Name, Email, Phone and Notify; Notify says how to reach the person: email or phone.
    Each row becomes one message. A row Lark refuses does not stop the others: it is reported at the end with
    Lark's reason and the fix. In the sandbox, Carol is outside the app's visible range, so her row fails and
    the other three are sent.

    Prints a table of the messages sent, then the summary. Assumes Connect-Lark was run in this PowerShell session.

    Run it:  ./examples/02-notify-from-csv.ps1 [-Path ./oncall.csv]

.PARAMETER Path
    The CSV file. Default: people.csv beside this script.
#>
[CmdletBinding(SupportsShouldProcess = $true)]
param(
    [string]$Path = (Join-Path $PSScriptRoot 'people.csv')
)

# Stop before doing anything if this session has not connected (Send-LarkMessage would say so too, but only
# once the first message is on its way).
if (-not (Get-LarkConnection)) {
    throw 'Not connected to Lark: run Connect-Lark first in this PowerShell session (quickstart.ps1 shows how).'
}

if (-not (Test-Path -LiteralPath $Path -PathType Leaf)) {
    throw "Cannot find the CSV file '$Path'."
}

# Errors are collected in $failed (-ErrorVariable) instead of printed as they happen, so the summary below can
# name each failed person once, with the fix. Remove -ErrorAction SilentlyContinue to see them as they happen.
$sent = @(
    Import-Csv -LiteralPath $Path |
        ForEach-Object {
            if ($_.Notify -eq 'phone') {
                $receiveType = 'phone'; $receiveId = $_.Phone
            }
            elseif ($_.Notify -eq 'email') {
                $receiveType = 'email'; $receiveId = $_.Email
            }
            else {
                Write-Warning "Skipped $($_.Name): Notify is '$($_.Notify)', expected email or phone."
                return
            }

            [pscustomobject]@{
                Name        = $_.Name   # not a message field: Send-LarkMessage ignores it, error records keep it
                receiveType = $receiveType
                receiveId   = $receiveId
                content     = "Hi $($_.Name), the order system is down for maintenance tonight from 22:00 to 23:00 (UTC+8). Reply here if that is a problem."
            }
        } |
        Send-LarkMessage -ErrorAction SilentlyContinue -ErrorVariable failed
)

# Formatted here rather than returned, so the table prints before the summary (PowerShell would otherwise hold
# the objects back for a moment to size the columns, and the summary would come first).
if ($sent.Count -gt 0) {
    $sent | Format-Table
}

if ($failed.Count -eq 0) {
    Write-Host ('{0} sent, 0 failed.' -f $sent.Count)
    return
}

$names = @($failed | ForEach-Object { if ($_.TargetObject.Name) { $_.TargetObject.Name } else { $_.TargetObject } })
Write-Host ('{0} sent, {1} failed: {2}' -f $sent.Count, $failed.Count, ($names -join ', ')) -ForegroundColor Yellow
foreach ($record in $failed) {
    if ($record.ErrorDetails) { $reason = $record.ErrorDetails.Message } else { $reason = $record.Exception.Message }
    Write-Host ('  {0}' -f $reason)
    if ($record.ErrorDetails -and $record.ErrorDetails.RecommendedAction) {
        Write-Host ('    Fix: {0}' -f $record.ErrorDetails.RecommendedAction)
    }
}
