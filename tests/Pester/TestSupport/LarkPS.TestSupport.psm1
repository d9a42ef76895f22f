# What every LarkPS Pester file shares: the built module, a sandbox of its own on a free 127.0.0.1 port (the
# sandbox's own command line, `dotnet LarkPS.Sandbox.dll --urls http://127.0.0.1:0`), the sandbox's control API
# (/_sandbox/*: what it received), and a new PowerShell process for what one session cannot show.
# Windows PowerShell 5.1 syntax only: this module runs wherever the suite runs.
#
# A test file starts with:
#     BeforeAll {
#         Import-Module (Join-Path $PSScriptRoot 'TestSupport/LarkPS.TestSupport.psm1')
#         $sandbox = Start-LarkTestSandbox -Connect
#     }
#     AfterAll { Stop-LarkTestSandbox }
#     Describe 'Send-LarkMessage ...' {
#         BeforeEach { Reset-LarkSandbox }
#         It '...' { ...; Get-LarkSandboxInbox | Should ... }
#     }

Set-StrictMode -Version Latest

$script:RepoRoot = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../..'))
$script:Current = $null

function Get-LarkRepoRoot { $script:RepoRoot }

# The module exactly as users import it: out/LarkPS, left there by `dotnet build LarkPS.sln` or ./build.ps1.
function Import-LarkPSUnderTest {
    $manifest = Join-Path $script:RepoRoot 'out/LarkPS/LarkPS.psd1'
    if (-not (Test-Path $manifest)) {
        throw "The module is not built: $manifest is missing. Run ./build.ps1 -Task Build (or dotnet build LarkPS.sln -c Release)."
    }
    if (-not (Get-Module LarkPS)) {
        Import-Module $manifest -Global -ErrorAction Stop
    }
}

# The built sandbox: $env:LARKPS_SANDBOX_DLL, else the configuration build.ps1 built ($env:LARKPS_CONFIGURATION),
# else the newest of Release and Debug.
function Get-LarkSandboxAssembly {
    if ($env:LARKPS_SANDBOX_DLL) { return $env:LARKPS_SANDBOX_DLL }
    $configurations = if ($env:LARKPS_CONFIGURATION) { @($env:LARKPS_CONFIGURATION) } else { @('Release', 'Debug') }
    $found = foreach ($configuration in $configurations) {
        $path = Join-Path $script:RepoRoot "src/LarkPS.Sandbox/bin/$configuration/net10.0/LarkPS.Sandbox.dll"
        if (Test-Path $path) { Get-Item $path }
    }
    if (-not $found) { throw 'The sandbox is not built (src/LarkPS.Sandbox/bin/<configuration>/net10.0/LarkPS.Sandbox.dll). Run ./build.ps1 -Task Build.' }
    ($found | Sort-Object LastWriteTimeUtc -Descending | Select-Object -First 1).FullName
}

function Start-LarkTestSandbox {
    <#
    .SYNOPSIS
        Imports the built LarkPS, starts a sandbox on a free 127.0.0.1 port and, with -Connect, connects to it.
        Returns the sandbox: Url, AppId, AppSecret, Users (by name), Chats (by name), Process.
    #>
    [CmdletBinding()]
    param(
        [switch] $Connect,
        # More sandbox options, e.g. '--no-quotas' or '--latency-ms', '100'.
        [string[]] $Arguments = @()
    )

    Import-LarkPSUnderTest
    $dll = Get-LarkSandboxAssembly
    $log = Join-Path ([System.IO.Path]::GetTempPath()) ('larkps-sandbox-' + [guid]::NewGuid().ToString('N'))
    $startArguments = @('"' + $dll + '"', '--urls', 'http://127.0.0.1:0') + $Arguments
    $process = Start-Process -FilePath 'dotnet' -ArgumentList $startArguments -RedirectStandardOutput "$log.out" -RedirectStandardError "$log.err" -NoNewWindow -PassThru

    # The sandbox prints "LarkPS Sandbox listening on http://127.0.0.1:PORT" once it is bound.
    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    $url = $null
    while (-not $url) {
        if (Test-Path "$log.out") {
            $line = Get-Content "$log.out" -ErrorAction SilentlyContinue | Where-Object { $_ -match 'listening on (http://\S+)' } | Select-Object -First 1
            if ($line -and $line -match 'listening on (http://\S+)') { $url = $Matches[1].TrimEnd('/') }
        }
        if (-not $url) {
            if ($process.HasExited -or [DateTime]::UtcNow -gt $deadline) {
                $err = if (Test-Path "$log.err") { Get-Content "$log.err" -Raw } else { '' }
                if (-not $process.HasExited) { Stop-Process -Id $process.Id -Force }
                throw "The sandbox ($dll) did not start: $err"
            }
            Start-Sleep -Milliseconds 100
        }
    }

    $directory = Invoke-RestMethod -Uri "$url/_sandbox/directory"
    $users = @{}
    foreach ($user in $directory.users) { $users[$user.name] = $user }
    $chats = @{}
    foreach ($chat in $directory.chats) { $chats[$chat.name] = $chat }

    $script:Current = [pscustomobject]@{
        Url       = $url
        AppId     = 'cli_sandbox'
        AppSecret = 'sandbox-secret'
        Users     = $users
        Chats     = $chats
        Process   = $process
        Log       = $log
    }
    if ($Connect) { Connect-LarkSandbox | Out-Null }
    $script:Current
}

function Stop-LarkTestSandbox {
    $sandbox = $script:Current
    $script:Current = $null
    if (Get-Command Disconnect-Lark -ErrorAction SilentlyContinue) { Disconnect-Lark }
    if ($sandbox) {
        if (-not $sandbox.Process.HasExited) {
            Stop-Process -Id $sandbox.Process.Id -Force
            $sandbox.Process.WaitForExit(10000) | Out-Null
        }
        Remove-Item "$($sandbox.Log).out", "$($sandbox.Log).err" -ErrorAction SilentlyContinue
    }
}

function Get-LarkTestSandbox {
    if (-not $script:Current) { throw 'No sandbox is running: call Start-LarkTestSandbox in BeforeAll.' }
    $script:Current
}

# The sandbox's own App Secret as a SecureString (a throwaway credential only the sandbox accepts).
function Get-LarkSandboxSecret {
    ConvertTo-SecureString (Get-LarkTestSandbox).AppSecret -AsPlainText -Force
}

# The quick start's Connect-Lark line, against this file's sandbox.
function Connect-LarkSandbox {
    [CmdletBinding()]
    param([switch] $PassThru)
    $sandbox = Get-LarkTestSandbox
    Connect-Lark -BaseUri $sandbox.Url -AppId $sandbox.AppId -AppSecret (Get-LarkSandboxSecret) -PassThru:$PassThru -ErrorAction Stop
}

# Forgets what the sandbox received (inbox, request log, stats, faults, quota windows, uuids); issued tokens stay valid.
function Reset-LarkSandbox {
    Invoke-RestMethod -Method Delete -Uri "$((Get-LarkTestSandbox).Url)/_sandbox/inbox" | Out-Null
}

# Every message the sandbox delivered, oldest first (message_id, receive_id_type, receive_id, msg_type, content, uuid, chat_id).
function Get-LarkSandboxInbox {
    @(Invoke-RestMethod -Uri "$((Get-LarkTestSandbox).Url)/_sandbox/inbox") | ForEach-Object { $_ }
}

# Every request the sandbox received (method, path_and_query, headers, body, status_code, code), oldest first,
# without the tests' own calls to /_sandbox/*; -Path keeps those whose path starts with it.
function Get-LarkSandboxRequest {
    param([string] $Path)
    $all = @(Invoke-RestMethod -Uri "$((Get-LarkTestSandbox).Url)/_sandbox/requests") | ForEach-Object { $_ } |
        Where-Object { -not $_.path_and_query.StartsWith('/_sandbox/') }
    if ($Path) { $all | Where-Object { $_.path_and_query.StartsWith($Path) } } else { $all }
}

# The message sends among the requests (POST /open-apis/im/v1/messages).
function Get-LarkSandboxSend {
    Get-LarkSandboxRequest -Path '/open-apis/im/v1/messages' | Where-Object method -eq 'POST'
}

function Get-LarkSandboxStat {
    Invoke-RestMethod -Uri "$((Get-LarkTestSandbox).Url)/_sandbox/stats"
}

# Sets sandbox faults: @{ latencyMs = 30; failBeforeStore = 3; failAfterStore = 1; dropConnections = 2; revokeTokenAfterUses = 5 }.
function Set-LarkSandboxFault {
    param([Parameter(Mandatory)] [hashtable] $Fault)
    Invoke-RestMethod -Method Post -Uri "$((Get-LarkTestSandbox).Url)/_sandbox/faults" -ContentType 'application/json' -Body ($Fault | ConvertTo-Json -Compress)
}

# The tenant token the sandbox hands this app now: like Lark, it hands out the same token while more than 30
# minutes remain, so this is the module's token too.
function Get-LarkSandboxToken {
    $sandbox = Get-LarkTestSandbox
    $body = @{ app_id = $sandbox.AppId; app_secret = $sandbox.AppSecret } | ConvertTo-Json -Compress
    (Invoke-RestMethod -Method Post -Uri "$($sandbox.Url)/open-apis/auth/v3/tenant_access_token/internal" -ContentType 'application/json' -Body $body).tenant_access_token
}

function Find-LarkSecret {
    <#
    .SYNOPSIS
        Names each secret found in -Text: the App Secret, the current tenant token, or any token the sandbox saw
        in an Authorization header since its last reset. Nothing means no secret.
    #>
    param([AllowEmptyString()] [AllowNull()] [string] $Text, [string[]] $AlsoSecret = @())
    if (-not $Text) { return }
    $sandbox = Get-LarkTestSandbox
    $secrets = @{ 'the App Secret' = $sandbox.AppSecret; 'the tenant token' = (Get-LarkSandboxToken) }
    foreach ($request in Get-LarkSandboxRequest) {
        $authorization = $request.headers.PSObject.Properties | Where-Object Name -eq 'Authorization' | Select-Object -First 1
        if ($authorization) { $secrets["the token sent to $($request.path_and_query)"] = ([string]$authorization.Value) -replace '^Bearer ', '' }
    }
    foreach ($other in $AlsoSecret) { $secrets["'$other'"] = $other }
    foreach ($name in $secrets.Keys) {
        $value = $secrets[$name]
        if ($value -and $Text.Contains($value)) { $name }
    }
}

# Every word an invocation left: output (each property), error records with their details, fixes and exceptions,
# and the other streams, as a secret would show in any of them.
function ConvertTo-LarkAllText {
    param([object[]] $InputObject)
    $text = New-Object System.Text.StringBuilder
    foreach ($item in $InputObject) {
        if ($null -eq $item) { continue }
        if ($item -is [System.Management.Automation.ErrorRecord]) {
            [void]$text.AppendLine($item.ToString()).AppendLine($item.FullyQualifiedErrorId).AppendLine([string]$item.Exception).AppendLine([string]$item.TargetObject)
            if ($item.ErrorDetails) { [void]$text.AppendLine($item.ErrorDetails.Message).AppendLine($item.ErrorDetails.RecommendedAction) }
            continue
        }
        [void]$text.AppendLine([string]$item)
        foreach ($property in $item.PSObject.Properties) {
            try { [void]$text.AppendLine($property.Name + '=' + [string]$property.Value) } catch { }
        }
    }
    $text.ToString()
}

# JSON text with object keys sorted at every level, so two JSON texts can be compared whatever their key order.
function ConvertTo-LarkCanonicalJson {
    param([Parameter(Mandatory)] [string] $Json)
    function Sort-Node($node) {
        if ($node -is [System.Management.Automation.PSCustomObject]) {
            $sorted = [ordered]@{}
            foreach ($name in ($node.PSObject.Properties.Name | Sort-Object)) { $sorted[$name] = Sort-Node $node.$name }
            return $sorted
        }
        if ($node -is [System.Collections.IList]) { return , @($node | ForEach-Object { Sort-Node $_ }) }
        return $node
    }
    $parsed = ConvertFrom-Json -InputObject $Json
    ConvertTo-Json -InputObject (Sort-Node $parsed) -Depth 50 -Compress
}

function Invoke-LarkChildPowerShell {
    <#
    .SYNOPSIS
        Runs -Script in a new PowerShell process of this edition (pwsh, or powershell.exe on 5.1) with the built
        LarkPS imported (unless -NoModule), typing -InputLine answers into its console. Returns Output (stdout),
        Errors (stderr) and ExitCode.
    #>
    param(
        [Parameter(Mandatory)] [string] $Script,
        [switch] $NoModule,
        [string[]] $InputLine = @(),
        [hashtable] $Environment = @{},
        [int] $TimeoutSeconds = 120
    )
    $file = Join-Path ([System.IO.Path]::GetTempPath()) ('larkps-child-' + [guid]::NewGuid().ToString('N') + '.ps1')
    $manifest = Join-Path $script:RepoRoot 'out/LarkPS/LarkPS.psd1'
    $import = if ($NoModule) { '' } else { "Import-Module '$manifest'`n" }
    Set-Content -Path $file -Encoding UTF8 -Value ("`$ErrorActionPreference = 'Stop'`n" + $import + $Script)
    try {
        $psi = New-Object System.Diagnostics.ProcessStartInfo
        $exe, $prefix = Get-LarkPowerShellCommand
        $psi.FileName = $exe
        $psi.Arguments = (@($prefix) + @('-NoProfile', '-ExecutionPolicy', 'Bypass', '-File', "`"$file`"") | Where-Object { $_ }) -join ' '
        $psi.UseShellExecute = $false
        $psi.RedirectStandardInput = $true
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        foreach ($name in $Environment.Keys) { $psi.EnvironmentVariables[$name] = [string]$Environment[$name] }
        $process = [System.Diagnostics.Process]::Start($psi)
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        foreach ($line in $InputLine) { $process.StandardInput.WriteLine($line) }
        $process.StandardInput.Close()
        if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
            $process.Kill()
            throw "The child PowerShell did not finish within $TimeoutSeconds s: $($stdout.Result)"
        }
        [pscustomobject]@{ Output = $stdout.Result; Errors = $stderr.Result; ExitCode = $process.ExitCode }
    }
    finally {
        Remove-Item $file -ErrorAction SilentlyContinue
    }
}

# This PowerShell's executable, and what goes before its arguments: pwsh run as a .NET tool is `dotnet pwsh.dll`.
function Get-LarkPowerShellCommand {
    if ($PSVersionTable.PSEdition -ne 'Core') { return (Join-Path $PSHOME 'powershell.exe'), '' }
    $self = [System.Diagnostics.Process]::GetCurrentProcess().MainModule.FileName
    if ([System.IO.Path]::GetFileNameWithoutExtension($self) -eq 'dotnet') { return $self, ('"' + (Join-Path $PSHOME 'pwsh.dll') + '"') }
    return $self, ''
}

Export-ModuleMember -Function *-Lark*
