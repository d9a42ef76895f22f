<#
.SYNOPSIS
    A chat-ops bot: answers "status" with a status card and "help" with what it understands, until Ctrl+C.

.DESCRIPTION
    Listens on Lark's long connection (Receive-LarkEvent: no public URL, no firewall change) for messages users send
    to the bot, in a p2p chat or in a group where they @mention it. Each message is acknowledged to Lark at once;
    the answer is a reply to that message (piping the event into Send-LarkMessage makes it one):
    - "status": a card with this machine's name, the time, the PowerShell version and the free space of its drives;
    - "help":   the commands it understands;
    - anything else is left alone.

    Assumes Connect-Lark was run in this PowerShell session, with an app whose bot receives messages
    (Events & Callbacks: persistent connection, im.message.receive_v1).

    Run it:  ./examples/04-chat-ops-loop.ps1 [-Verbose]          (Ctrl+C stops it and closes the connection)
             ./examples/04-chat-ops-loop.ps1 -Count 1 -Timeout 60  (answer one message, wait at most a minute)

.PARAMETER Count
    Stop after this many messages (0, the default: run until Ctrl+C).

.PARAMETER Timeout
    Stop after this many seconds (0, the default: no limit).
#>
[CmdletBinding()]
param(
    [int]$Count = 0,
    [int]$Timeout = 0
)

if (-not (Get-LarkConnection)) {
    throw 'Not connected to Lark: run Connect-Lark first (see examples/quickstart.ps1).'
}

function New-StatusCard {
    $drives = Get-PSDrive -PSProvider FileSystem | Where-Object { $null -ne $_.Free } | ForEach-Object {
        '{0} {1:N1} GB free' -f $_.Name, ($_.Free / 1GB)
    }
    @{
        schema = '2.0'
        header = @{ title = @{ tag = 'plain_text'; content = "Status of $([Environment]::MachineName)" }; template = 'green' }
        body   = @{ elements = @(
                @{ tag = 'markdown'; content = ("**Time** {0}`n**PowerShell** {1}`n**Drives** {2}" -f (Get-Date -Format 'yyyy-MM-dd HH:mm:ss'), $PSVersionTable.PSVersion, ($drives -join ', ')) }
            ) }
    }
}

Receive-LarkEvent -EventType im.message.receive_v1 -Count $Count -Timeout $Timeout | ForEach-Object {
    $text = "$($_.Text)" -replace '@\S+', ''
    if ($text -match '^\s*status\b') {
        Write-Verbose "status asked by $($_.SenderId) in $($_.ChatId)"
        $_ | Send-LarkMessage -ContentType interactive -Content (New-StatusCard)
    }
    elseif ($text -match '^\s*help\b') {
        $_ | Send-LarkMessage -Text 'I understand: status (a status card of this machine), help (this text).'
    }
}
