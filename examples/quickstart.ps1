<#
.SYNOPSIS
    The LarkPS quick start: connects to the LarkPS sandbox and runs the three examples in this folder.

.DESCRIPTION
    1. 01-seed-body.ps1          the Tapdata connector's message body, sent as is
    2. 02-notify-from-csv.ps1    a text message to everyone in a CSV file, by e-mail or phone, with a summary
    3. 03-post-and-card-alert.ps1 a rich post and an alert card to the "Ops alerts" chat, checked before sending

    Imports LarkPS from ../out/LarkPS (dotnet build LarkPS.sln puts it there) unless it is already loaded.

    Run it:  dotnet run --project tools/LarkPS.QuickStart     (starts the sandbox, then runs this script)
    or, with a sandbox already running:  ./examples/quickstart.ps1 [-BaseUri http://127.0.0.1:5300]

.PARAMETER BaseUri
    The sandbox's address.

.PARAMETER AppId
    The sandbox app's App ID.

.PARAMETER AppSecret
    The sandbox app's App Secret.
#>
param(
    [string]$BaseUri = 'http://127.0.0.1:5300',
    [string]$AppId = 'cli_sandbox',
    # A throwaway credential that only the local sandbox accepts, so it can sit here as a default. With a real
    # app never put the secret in a script: Connect-Lark -Credential (Get-Secret LarkApp) (SecretManagement),
    # -AppSecret (Read-Host -AsSecureString), or LARK_APP_ID / LARK_APP_SECRET in a CI job.
    [string]$AppSecret = 'sandbox-secret'
)

if (-not (Get-Module -Name LarkPS)) {
    $manifest = Join-Path $PSScriptRoot '../out/LarkPS/LarkPS.psd1'
    if (Test-Path -Path $manifest) {
        Import-Module $manifest -ErrorAction Stop
    }
    else {
        # Not built in this repository: use an installed LarkPS, or say how to build one.
        Import-Module LarkPS -ErrorAction SilentlyContinue
        if (-not (Get-Module -Name LarkPS)) {
            throw "LarkPS is not built: $manifest is missing. Run 'dotnet build LarkPS.sln' in the repository, then run this script again."
        }
    }
}

Write-Host "Connecting to the LarkPS sandbox at $BaseUri as $AppId"
Connect-Lark -BaseUri $BaseUri -AppId $AppId -AppSecret (ConvertTo-SecureString -String $AppSecret -AsPlainText -Force)
Get-LarkConnection | Format-Table

# Format-Table per step keeps each step's results under its own heading (left alone, PowerShell would
# gather the results of all steps into one table printed after the last heading).
Write-Host '== 1. The Tapdata message body, sent as is (01-seed-body.ps1) =='
& (Join-Path $PSScriptRoot '01-seed-body.ps1') | Format-Table

Write-Host '== 2. A message to everyone in people.csv, by e-mail or phone (02-notify-from-csv.ps1) =='
& (Join-Path $PSScriptRoot '02-notify-from-csv.ps1')     # prints its own table and summary
Write-Host ''

Write-Host '== 3. A rich post and an alert card to the "Ops alerts" chat (03-post-and-card-alert.ps1) =='
& (Join-Path $PSScriptRoot '03-post-and-card-alert.ps1') | Format-Table

Write-Host '== Next =='
Write-Host "- The sandbox's inbox page shows every message above as it arrived: $BaseUri/"
Write-Host "- Try your own messages against the sandbox in pwsh, from the repository folder (type the sandbox's App Secret at the prompt):"
Write-Host '    Import-Module ./out/LarkPS/LarkPS.psd1'
Write-Host "    Connect-Lark -BaseUri $BaseUri -AppId $AppId -AppSecret (Read-Host -AsSecureString 'App Secret')"
Write-Host "    Send-LarkMessage -ReceiveType email -ReceiveId bob@example.com -Text 'Hello from my script'"
Write-Host '- Each example is a plain script to copy and change: Get-Help ./examples/02-notify-from-csv.ps1 -Full'
Write-Host '- With a real app, keep the secret out of scripts: Connect-Lark -Credential (Get-Secret LarkApp) (SecretManagement)'
