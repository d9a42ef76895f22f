# Get-Help as users read it, for every cmdlet the module exports (a new cmdlet is covered by being exported):
# the MAML help and about_LarkPS that the build generates into out/LarkPS/en-US from docs/help/*.md
# (tools/LarkPS.HelpGen), checked against the cmdlets themselves, so a parameter, parameter set, default or error id
# that changes without its help fails here; and every cmdlet class in LarkPS.dll must have its markdown.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/LarkPS.TestSupport.psm1')
    Import-LarkPSUnderTest
    $cmdlets = @(Get-Command -Module LarkPS -CommandType Cmdlet | Sort-Object Name | ForEach-Object { @{ Name = $_.Name } })
    $cultures = @(@{ Culture = 'invariant' }, @{ Culture = 'en-US' })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport/LarkPS.TestSupport.psm1')
    Import-LarkPSUnderTest
    $docs = Join-Path (Get-LarkRepoRoot) 'docs/help'

    # Help text as Get-Help prints it at -Width, in a culture: invariant (a C locale: PowerShell then cuts long lines
    # by characters) or en-US (it wraps them by words).
    function Out-LarkHelpText([object] $Help, [string] $Culture, [int] $Width) {
        $before = [System.Globalization.CultureInfo]::CurrentCulture
        try {
            [System.Globalization.CultureInfo]::CurrentCulture = if ($Culture -eq 'invariant') { [System.Globalization.CultureInfo]::InvariantCulture } else { [System.Globalization.CultureInfo]::GetCultureInfo($Culture) }
            $Help | Out-String -Width $Width
        }
        finally { [System.Globalization.CultureInfo]::CurrentCulture = $before }
    }

    # The words of the text at 80 columns that are not the words of the same text at 1000: each is a word broken
    # across two lines (both halves are named).
    function Get-BrokenWord([scriptblock] $Help, [string] $Culture) {
        $narrow = @((Out-LarkHelpText (& $Help) $Culture 80).Trim() -split '\s+')
        $wide = @((Out-LarkHelpText (& $Help) $Culture 1000).Trim() -split '\s+')
        for ($i = 0; $i -lt [Math]::Min($narrow.Count, $wide.Count); $i++) {
            if ($narrow[$i] -ne $wide[$i]) { "'$($narrow[$i])' + '$($narrow[$i + 1])' (for '$($wide[$i])')"; return }
        }
        if ($narrow.Count -ne $wide.Count) { "$($narrow.Count) words at 80 columns, $($wide.Count) at 1000" }
    }

    # Every difference between a cmdlet's metadata and its help, so one failure names them all.
    function Get-HelpProblem([string] $Name) {
        $common = [System.Management.Automation.Cmdlet]::CommonParameters
        $command = Get-Command $Name
        $help = Get-Help $Name -Full
        # Without MAML, Get-Help makes up parameter entries from the metadata, but never a description.
        if ($help -is [string] -or -not $help.description) { return "no MAML help was found for $Name" }

        $documented = @{}
        foreach ($p in @($help.parameters.parameter)) { if ($p) { $documented[[string]$p.name] = $p } }

        foreach ($meta in $command.Parameters.Values) {
            if ($common -contains $meta.Name) { continue }
            $p = $documented[$meta.Name]
            if (-not $p) { "-$($meta.Name) is not in the help"; continue }
            if ([string]::IsNullOrWhiteSpace(($p.description | ForEach-Object Text) -join '')) { "-$($meta.Name) has no description" }

            $sets = @($meta.ParameterSets.Values)
            $required = [bool]($sets | Where-Object IsMandatory)
            if ([string]$p.required -ne $required.ToString()) { "-$($meta.Name): help says required=$($p.required), the cmdlet $required" }
            $positions = @($sets | ForEach-Object { if ($_.Position -lt 0) { 'named' } else { [string]$_.Position } } | Select-Object -Unique)
            if ($positions.Count -ne 1 -or $p.position -ne $positions[0]) { "-$($meta.Name): help says position=$($p.position), the cmdlet $($positions -join '/')" }
            $byValue = [bool]($sets | Where-Object ValueFromPipeline)
            $byName = [bool]($sets | Where-Object ValueFromPipelineByPropertyName)
            $pipeline = [string]$p.pipelineInput
            if (($pipeline -like 'True*') -ne ($byValue -or $byName) -or ($pipeline -like '*ByValue*') -ne $byValue -or ($pipeline -like '*ByPropertyName*') -ne $byName) {
                "-$($meta.Name): help says pipelineInput=$pipeline, the cmdlet ByValue=$byValue ByPropertyName=$byName"
            }
            $helpAliases = @(([string]$p.aliases -split ',\s*') | Where-Object { $_ -and $_ -ne 'none' } | Sort-Object)
            $aliases = @($meta.Aliases | Sort-Object)
            if (($helpAliases -join ',') -ne ($aliases -join ',')) { "-$($meta.Name): help says aliases '$($helpAliases -join ',')', the cmdlet '$($aliases -join ',')'" }
            if (@($meta.ParameterType.FullName, $meta.ParameterType.Name) -notcontains [string]$p.type.name) { "-$($meta.Name): help says type $($p.type.name), the cmdlet $($meta.ParameterType.FullName)" }
        }
        foreach ($helpName in $documented.Keys) {
            if (-not $command.Parameters.ContainsKey($helpName)) { "the help documents -$helpName, which $Name does not have" }
        }

        # SYNTAX: one syntax item per parameter set, with that set's parameters, mandatory and positions.
        $items = @($help.syntax.syntaxItem | Where-Object { $_ })
        if ($items.Count -ne $command.ParameterSets.Count) { "the help has $($items.Count) syntax item(s), the cmdlet $($command.ParameterSets.Count) parameter set(s)" }
        foreach ($set in $command.ParameterSets) {
            $own = @($set.Parameters | Where-Object { $common -notcontains $_.Name })
            $key = ($own.Name | Sort-Object) -join ','
            $item = $items | Where-Object { ((@($_.parameter | Where-Object { $_ }).name | Sort-Object) -join ',') -eq $key } | Select-Object -First 1
            if (-not $item) { "no syntax item has exactly the parameters of set '$($set.Name)': $key"; continue }
            foreach ($meta in $own) {
                $p = @($item.parameter) | Where-Object name -eq $meta.Name
                $position = if ($meta.Position -lt 0) { 'named' } else { [string]$meta.Position }
                if ([string]$p.required -ne $meta.IsMandatory.ToString() -or $p.position -ne $position) {
                    "syntax of set '$($set.Name)': -$($meta.Name) required=$($p.required) position=$($p.position), the cmdlet $($meta.IsMandatory)/$position"
                }
            }
        }
    }
}

Describe 'Help for <Name>' -ForEach $cmdlets {
    It 'has a synopsis, a description and examples, each with code and remarks' {
        $help = Get-Help $Name -Full
        $text = $help | Out-String -Width 200

        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match ([regex]::Escape($Name) + ' \[') -Because 'a synopsis that repeats the syntax means no MAML help was found'
        $text | Should -Match 'DESCRIPTION'
        $examples = @($help.examples.example)
        $examples.Count | Should -BeGreaterThan 0
        foreach ($example in $examples) {
            [string]$example.code | Should -Not -BeNullOrEmpty
            ($example.remarks.Text -join '') | Should -Not -BeNullOrEmpty
        }
    }

    It 'documents every parameter as the cmdlet declares it' {
        Get-HelpProblem $Name | Should -BeNullOrEmpty
    }
}

Describe 'Help for <Name> at 80 columns' -ForEach $cmdlets {
    It 'breaks no word across lines in Get-Help -Full (<Culture> culture)' -ForEach $cultures {
        Get-BrokenWord { Get-Help $Name -Full } $Culture | Should -BeNullOrEmpty
        (Out-LarkHelpText (Get-Help $Name -Full) $Culture 80) -split "`r?`n" | Where-Object { $_.Length -gt 80 } | Should -BeNullOrEmpty
    }

    It 'breaks no word in Get-Help and Get-Help -Detailed either (invariant culture)' {
        Get-BrokenWord { Get-Help $Name } 'invariant' | Should -BeNullOrEmpty
        Get-BrokenWord { Get-Help $Name -Detailed } 'invariant' | Should -BeNullOrEmpty
    }

    It 'shows a switch as [-Name] in SYNTAX, never with <SwitchParameter>' {
        $text = Out-LarkHelpText (Get-Help $Name -Full) 'en-US' 1000
        $text | Should -Not -Match '<SwitchParameter>'
        $switches = @((Get-Command $Name).Parameters.Values | Where-Object { $_.SwitchParameter -and [System.Management.Automation.Cmdlet]::CommonParameters -notcontains $_.Name -and [System.Management.Automation.Cmdlet]::OptionalCommonParameters -notcontains $_.Name })
        $syntax = ($text -split 'DESCRIPTION')[0]
        foreach ($switch in $switches) {
            $syntax | Should -Match ('\[-' + $switch.Name + '\]') -Because "-$($switch.Name) is a switch"
        }
    }

    It 'offers no online help: no URI anywhere, no "-Online" in REMARKS' {
        $help = Get-Help $Name -Full
        @($help.relatedLinks.navigationLink | Where-Object { $_.uri }) | Should -BeNullOrEmpty
        (Get-Command $Name).HelpUri | Should -BeNullOrEmpty
        Get-Help $Name | Out-String -Width 200 | Should -Not -Match '-Online'
    }

    It 'has its docs/help/<Name>.md, whose parameter sets are the cmdlet''s' {
        $path = Join-Path $docs "$Name.md"
        $path | Should -Exist
        $lines = @(Get-Content $path)
        $start = [array]::IndexOf($lines, '## SYNTAX')
        $end = [array]::IndexOf($lines, '## DESCRIPTION')
        $headings = @($lines[$start..$end] | Where-Object { $_ -match '^### ' } | ForEach-Object { $_.Substring(4).Trim() })
        $command = Get-Command $Name
        if ($command.ParameterSets.Count -eq 1 -and $command.ParameterSets[0].Name -eq '__AllParameterSets') {
            $headings | Should -BeNullOrEmpty
        }
        else {
            $expected = @($command.ParameterSets | ForEach-Object { if ($_.IsDefault) { "$($_.Name) (Default)" } else { $_.Name } } | Sort-Object)
            @($headings | Sort-Object) | Should -Be $expected
        }
    }
}

Describe 'Help from markdown' {
    It 'has one docs/help/Verb-Noun.md for each cmdlet class in LarkPS.dll, and no other' {
        $classes = @([LarkPS.Session.LarkConnection].Assembly.GetTypes() |
            ForEach-Object { $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) } |
            ForEach-Object { $_.VerbName + '-' + $_.NounName } | Sort-Object)
        $files = @(Get-ChildItem $docs -Filter '*-*.md' | ForEach-Object { $_.BaseName } | Sort-Object)

        $classes.Count | Should -BeGreaterThan 8
        $files | Should -Be $classes
        @(Get-Command -Module LarkPS | ForEach-Object Name | Sort-Object) | Should -Be $classes
    }

    It 'is what Get-Help reads: the MAML in out/LarkPS is generated, and no hand-written help is left in src' {
        $maml = Join-Path (Get-LarkRepoRoot) 'out/LarkPS/en-US/LarkPS.dll-Help.xml'
        (Get-Content $maml -TotalCount 3) -join "`n" | Should -Match 'Generated by tools/LarkPS.HelpGen'
        Join-Path (Get-LarkRepoRoot) 'src/LarkPS/en-US' | Should -Not -Exist
        Get-Help about_LarkPS | Out-String | Should -Match 'Every command has full help'
    }

    It 'lists every cmdlet with its synopsis in about_LarkPS' {
        $text = Get-Help about_LarkPS | Out-String -Width 200
        foreach ($command in Get-Command -Module LarkPS) {
            $synopsis = (Get-Help $command.Name).Synopsis
            ($text -split '\s+') -join ' ' | Should -Match ([regex]::Escape($command.Name + ' ' + ((($synopsis -split '\s+') -join ' '))))
        }
    }

    It 'breaks no word of about_LarkPS at 80 columns (<Culture> culture)' -ForEach $cultures {
        Get-BrokenWord { Get-Help about_LarkPS } $Culture | Should -BeNullOrEmpty
        (Out-LarkHelpText (Get-Help about_LarkPS) $Culture 80) -split "`r?`n" | Where-Object { $_.Length -gt 80 } | Should -BeNullOrEmpty
    }
}

Describe 'Help across the module' {
    It 'documents the defaults the code uses' {
        # DeliveryOptions is internal: read its defaults by reflection, as nothing public exposes the type.
        $optionsType = [LarkPS.Session.LarkConnection].Assembly.GetType('LarkPS.Delivery.DeliveryOptions', $true)
        $defaults = [Activator]::CreateInstance($optionsType)
        $default = { param($name) [string]$optionsType.GetProperty($name).GetValue($defaults, $null) }
        $expected = [ordered]@{
            'Connect-Lark TimeoutSec'                = [string][LarkPS.Session.LarkConnection]::DefaultTimeout.TotalSeconds
            'Connect-Lark QuotaPerSecond'            = & $default AppPerSecond
            'Connect-Lark QuotaPerMinute'            = & $default AppPerMinute
            'Connect-Lark QuotaPerReceiverPerSecond' = & $default ReceiverPerSecond
            'Connect-Lark Region'                    = [string][LarkPS.Session.LarkRegion]::Feishu
            'Send-LarkMessage ThrottleLimit'         = & $default ThrottleLimit
        }
        $problems = foreach ($key in $expected.Keys) {
            $cmdlet, $parameter = $key -split ' '
            $documented = (Get-Help $cmdlet -Parameter $parameter).defaultValue
            if ($documented -ne $expected[$key]) { "$key is documented as '$documented', the code uses '$($expected[$key])'" }
        }
        $problems | Should -BeNullOrEmpty
    }

    It 'explains every error id somewhere in the help' {
        $text = (Get-Command -Module LarkPS | ForEach-Object { Get-Help $_.Name -Full | Out-String -Width 200 }) -join "`n"
        $text += Get-Help about_LarkPS | Out-String -Width 200
        # InvalidMessageBody is declared in ErrorIds but no cmdlet writes it (an unreadable body is an InvalidMessage).
        $missing = [LarkPS.Session.LarkConnection].Assembly.GetType('LarkPS.Api.ErrorIds', $true).GetFields() |
            Where-Object { $_.IsLiteral -and $_.Name -ne 'InvalidMessageBody' } |
            Where-Object { $text -notmatch "\b$($_.GetRawConstantValue())\b" } |
            ForEach-Object { $_.GetRawConstantValue() }
        $missing | Should -BeNullOrEmpty
    }

    It 'finds about_LarkPS in the module folder, with its sections' {
        $topic = @(Get-Help about_Lark*)
        $topic.Count | Should -Be 1
        [string]$topic[0].Name | Should -Be 'about_LarkPS'
        [string]$topic[0].Category | Should -Be 'HelpFile'
        $text = Get-Help about_LarkPS | Out-String -Width 200
        foreach ($section in 'SHORT DESCRIPTION', 'QUICK START AGAINST THE SANDBOX', 'DELIVERY GUARANTEES', 'SECURITY NOTES', 'WINDOWS POWERSHELL 5.1', 'TROUBLESHOOTING') {
            $text | Should -Match $section
        }
        $text | Should -Match 'Connect-Lark -BaseUri http://127.0.0.1:5300 -AppId cli_sandbox'
        Join-Path (Get-LarkRepoRoot) 'out/LarkPS/en-US/about_LarkPS.help.txt' | Should -Exist
    }
}
