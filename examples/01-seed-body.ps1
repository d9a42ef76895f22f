<#
.SYNOPSIS
    Sends a message body in the Tapdata Lark connector's format, as is.

.DESCRIPTION
    seed-body.json is the body the Tapdata Lark connector takes: a JSON array with one object per message,
    each with receiveType (user, email, phone or chat), receiveId, contentType and content (the message
    content as a JSON string). Send-LarkMessage reads that text directly, so a body that works with the
    connector works here unchanged. The one in this folder uses the LarkPS sandbox's people and chats:
    alice by open_id, bob by e-mail, and the "General" chat.

    Returns one SentMessage per message delivered. Assumes Connect-Lark was run in this PowerShell session.

    Run it:  ./examples/01-seed-body.ps1            (add -WhatIf to see what would be sent)

.PARAMETER Path
    The message body file. Default: seed-body.json beside this script.
#>
[CmdletBinding(SupportsShouldProcess = $true)]
param(
    [string]$Path = (Join-Path $PSScriptRoot 'seed-body.json')
)

# -Raw reads the file as one string, which is what Send-LarkMessage parses as a message body.
# -Encoding UTF8 keeps non-ASCII text intact on Windows PowerShell 5.1 too.
Get-Content -Path $Path -Raw -Encoding UTF8 | Send-LarkMessage
