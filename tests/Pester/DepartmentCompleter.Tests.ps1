# Tab completion of -Department (issue 23) in real pwsh, through TabExpansion2 as the console calls it, against a
# sandbox whose tree has a name with a space and a name two departments share: names, quoting, paths for shared names,
# and the completed text resolving to the department it named when sent.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/LarkPS.TestSupport.psm1')

    # The default directory, plus "Site Reliability" under the root and an "Ops" under Engineering and under Sales.
    $default = Start-LarkTestSandbox
    $directory = Invoke-RestMethod -Uri "$($default.Url)/_sandbox/directory"
    Stop-LarkTestSandbox
    $engineering = ($directory.departments | Where-Object name -eq 'Engineering').openDepartmentId
    $sales = ($directory.departments | Where-Object name -eq 'Sales').openDepartmentId
    $ids = @{
        Site     = 'od-51e0000000000000000000000000000a'
        EngOps   = 'od-e0900000000000000000000000000001'
        SalesOps = 'od-5a0900000000000000000000000000b2'
    }
    $directory.departments = @($directory.departments) + @(
        [pscustomobject]@{ openDepartmentId = $ids.Site; departmentId = 'D400'; name = 'Site Reliability'; parentOpenDepartmentId = '0' },
        [pscustomobject]@{ openDepartmentId = $ids.EngOps; departmentId = 'D120'; name = 'Ops'; parentOpenDepartmentId = $engineering },
        [pscustomobject]@{ openDepartmentId = $ids.SalesOps; departmentId = 'D210'; name = 'Ops'; parentOpenDepartmentId = $sales })
    $file = Join-Path ([System.IO.Path]::GetTempPath()) ('larkps-departments-' + [guid]::NewGuid().ToString('N') + '.json')
    $directory | ConvertTo-Json -Depth 10 | Set-Content -Path $file -Encoding UTF8
    $sandbox = Start-LarkTestSandbox -Connect -Arguments '--directory', $file

    function Complete([string] $Line) {
        @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches)
    }
    function Get-Batches { Invoke-RestMethod -Uri "$($sandbox.Url)/_sandbox/batch_messages" | ForEach-Object { $_ } }
}

AfterAll {
    Stop-LarkTestSandbox
    Remove-Item $file -ErrorAction SilentlyContinue
}

Describe 'Tab completion of -Department' {
    BeforeEach { Reset-LarkSandbox }

    It 'completes a name from its start, bare where PowerShell reads it so' {
        $found = Complete 'Send-LarkBroadcast -Department Eng'

        $found.CompletionText | Should -Be @('Engineering')
        (Complete 'Send-LarkBroadcast -Department pla').CompletionText | Should -Be @('Platform')
        (Complete 'Send-LarkBroadcast -Department Eng').ToolTip | Should -Be @("Engineering ($engineering)")
    }

    It 'quotes a name with a space, also when the quote is typed, and the completed line sends to it' {
        (Complete 'Send-LarkBroadcast -Department Site').CompletionText | Should -Be @("'Site Reliability'")
        (Complete "Send-LarkBroadcast -Department 'Site R").CompletionText | Should -Be @("'Site Reliability'")

        $line = 'Send-LarkBroadcast -Department ' + (Complete 'Send-LarkBroadcast -Department Site')[0].CompletionText + " -Text 'Hi'"
        $b = Invoke-Expression $line
        $b.Accepted | Should -Be 1
        (Get-Batches)[0].department_ids | Should -Be @($ids.Site)
    }

    It 'completes a name two departments share as each one''s path, found by the name or the path' {
        (Complete 'Send-LarkBroadcast -Department Op').CompletionText | Should -Be @("'Engineering/Ops'", "'Sales/Ops'")
        (Complete 'Send-LarkBroadcast -Department Sales/').CompletionText | Should -Be @("'Sales/Ops'")
        (Complete 'Send-LarkBroadcast -Department engineering/').CompletionText | Should -Be @("'Engineering/Ops'", "'Engineering/Platform'")
        @(Complete 'Send-LarkBroadcast -Department Op').ListItemText | Should -Be @('Engineering/Ops', 'Sales/Ops')

        $b = Invoke-Expression ('Send-LarkBroadcast -Department ' + (Complete 'Send-LarkBroadcast -Department Sales/')[0].CompletionText + " -Text 'Hi'")
        $b.Accepted | Should -Be 1
        (Get-Batches)[0].department_ids | Should -Be @($ids.SalesOps)
    }

    It 'completes Get-LarkUser -Department from the same tree, and offers nothing for no match' {
        (Complete 'Get-LarkUser -Department Sal').CompletionText | Should -Be @('Sales')
        @(Complete 'Send-LarkBroadcast -Department Nothing').Count | Should -Be 0
    }
    It 'offers nothing when the app may not read departments, and asks Lark once however often Tab is pressed' {
        $fresh = Connect-Lark -BaseUri $sandbox.Url -AppId cli_sandbox -AppSecret (Get-LarkSandboxSecret) -PassThru
        try {
            Invoke-RestMethod -Method Post -Uri "$($sandbox.Url)/_sandbox/scopes" -ContentType 'application/json' -Body '{"revoke":["contact:department.base:readonly"]}' | Out-Null
            $before = @(Get-LarkSandboxRequest -Path '/open-apis/contact/v3/departments/0/children').Count
            $started = [Diagnostics.Stopwatch]::StartNew()
            $tabs = foreach ($i in 1..3) { @(Complete 'Send-LarkBroadcast -Department Eng').Count }
            $started.Stop()

            $tabs | Should -Be @(0, 0, 0)
            @(Get-LarkSandboxRequest -Path '/open-apis/contact/v3/departments/0/children').Count - $before | Should -Be 1
            $started.Elapsed.TotalSeconds | Should -BeLessThan 6
        } finally {
            Invoke-RestMethod -Method Post -Uri "$($sandbox.Url)/_sandbox/scopes" -ContentType 'application/json' -Body '{"grant":["contact:department.base:readonly"]}' | Out-Null
            Disconnect-Lark
        }
    }
}
