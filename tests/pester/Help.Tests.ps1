# The help a user gets from Get-Help in real pwsh: every exported cmdlet has full MAML help that matches
# its actual parameters, the markdown sources match it, and about_ZipFit covers the module.
BeforeDiscovery {
    $cmdletNames = 'Clear-ZipFitCache', 'Export-ZipFitDataset', 'Export-ZipFitReport', 'Get-ZipFitCache', 'Get-ZipFitScore',
        'Import-ZipFitDataset', 'Measure-ZipFitAlignment', 'New-ZipFitTarget', 'Select-ZipFitTop'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    function Get-Text($Node) { if ($null -eq $Node) { '' } else { (@($Node) | ForEach-Object { if ($_.PSObject.Properties['Text']) { $_.Text } else { "$_" } }) -join "`n" } }
}

Describe 'Get-Help <_> -Full' -ForEach $cmdletNames {
    BeforeAll {
        $name = $_
        $command = Get-Command $name
        $help = Get-Help $name -Full
        # -WhatIf and -Confirm are documented like the cmdlet's own; the common parameters are not.
        $common = [System.Management.Automation.Cmdlet]::CommonParameters
    }

    It 'has a synopsis from the MAML file' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match '<CommonParameters>'
        $help.Synopsis | Should -Not -BeLike "$name *"
    }

    It 'has a description' {
        (Get-Text $help.description).Length | Should -BeGreaterOrEqual 40
    }

    It 'has at least two examples that use it, parse, and are explained' {
        $examples = @($help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($e in $examples) {
            $e.code | Should -Match ([regex]::Escape($name))
            (Get-Text $e.remarks).Trim() | Should -Not -BeNullOrEmpty
            $errors = $null
            [System.Management.Automation.Language.Parser]::ParseInput($e.code, [ref]$null, [ref]$errors) | Out-Null
            $errors.Count | Should -Be 0 -Because "example '$($e.title)' must parse"
        }
    }

    It 'documents inputs and outputs' {
        @($help.inputTypes.inputType).Count | Should -BeGreaterThan 0
        @($help.returnValues.returnValue).Count | Should -BeGreaterThan 0
    }

    It 'links about_ZipFit and another cmdlet' {
        $links = @($help.relatedLinks.navigationLink | ForEach-Object linkText)
        $links | Should -Contain 'about_ZipFit'
        $links.Count | Should -BeGreaterOrEqual 2
    }

    It 'has one syntax item per parameter set' {
        @($help.syntax.syntaxItem).Count | Should -Be $command.ParameterSets.Count
    }

    It 'documents every parameter, and no other' {
        $actual = @($command.Parameters.Keys | Where-Object { $_ -notin $common } | Sort-Object)
        $documented = @($help.parameters.parameter | ForEach-Object name | Sort-Object)
        $documented | Should -Be $actual
    }

    It 'documents each parameter as the cmdlet declares it' {
        $problems = foreach ($p in $help.parameters.parameter) {
            $meta = $command.Parameters[$p.name]
            $sets = @($meta.ParameterSets.Values)
            $type = [Nullable]::GetUnderlyingType($meta.ParameterType) ?? $meta.ParameterType
            if ($p.type.name -ne $type.Name) { "-$($p.name): type '$($p.type.name)', the cmdlet's is $($type.Name)" }
            if ((Get-Text $p.description).Length -lt 10) { "-$($p.name): no description" }
            $all = -not ($sets | Where-Object { -not $_.IsMandatory }); $any = [bool]($sets | Where-Object IsMandatory)
            if ($all -eq $any -and $p.required -ne "$all".ToLower()) { "-$($p.name): required '$($p.required)', the cmdlet's is $all" }
            $positions = @($sets | ForEach-Object { if ($_.Position -eq [int]::MinValue) { 'named' } else { "$($_.Position)" } } | Sort-Object -Unique)
            if ($positions -notcontains $p.position) { "-$($p.name): position '$($p.position)', the cmdlet's is $($positions -join ' or ')" }
            $byValue = [bool]($sets | Where-Object ValueFromPipeline); $byName = [bool]($sets | Where-Object ValueFromPipelineByPropertyName)
            $pipeline = "$($p.pipelineInput)"
            if ($pipeline.StartsWith('True', 'OrdinalIgnoreCase') -ne ($byValue -or $byName) -or
                $pipeline.Contains('ByValue') -ne $byValue -or $pipeline.Contains('ByPropertyName') -ne $byName) {
                "-$($p.name): pipeline input '$pipeline', the cmdlet's is ByValue=$byValue ByPropertyName=$byName"
            }
            $helpAliases = @("$($p.aliases)".Split(',') | ForEach-Object Trim | Where-Object { $_ -and $_ -ne 'none' } | Sort-Object)
            if (($helpAliases -join ',') -ne (@($meta.Aliases | Sort-Object) -join ',')) { "-$($p.name): aliases '$($helpAliases -join ',')', the cmdlet's are '$($meta.Aliases -join ',')'" }
            if ($meta.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }) {
                if ("$($p.globbing)" -ne 'true') { "-$($p.name): supports wildcards, the help says it does not" }
            }
            $accepted = if ($type.IsEnum) { [enum]::GetNames($type) } else { ($meta.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] }).ValidValues }
            if ($accepted) {
                $values = @($p.parameterValueGroup.parameterValue | ForEach-Object { Get-Text $_ })
                if (($values -join ',') -ne ($accepted -join ',')) { "-$($p.name): accepted values '$($values -join ',')', the cmdlet's are '$($accepted -join ',')'" }
            }
            if ($type -ne [switch] -and ($sets | Where-Object { -not $_.IsMandatory }) -and -not (Get-Text $p.defaultValue)) { "-$($p.name): optional, but no default value is documented" }
        }
        $problems | Should -BeNullOrEmpty
    }

    It 'the markdown source in docs/help matches the MAML' {
        $file = Join-Path $RepoRoot 'docs' 'help' "$name.md"
        $file | Should -Exist
        $lines = @(Get-Content -LiteralPath $file)
        $at = [array]::IndexOf($lines, '## SYNOPSIS')
        $synopsis = (($lines | Select-Object -Skip ($at + 1)) | ForEach-Object -Begin { $stop = $false } -Process { if ($_ -like '## *') { $stop = $true }; if (-not $stop) { $_.Trim() } } | Where-Object { $_ }) -join ' '
        $synopsis | Should -Be $help.Synopsis -Because 'run tools/help/md2maml.py after editing docs/help'
        @($lines | Where-Object { $_ -like '### -*' } | ForEach-Object { $_.Substring(5).Trim() }) | Should -Be @($help.parameters.parameter | ForEach-Object name)
    }
}

Describe 'about_ZipFit' {
    BeforeAll { $about = Get-Help about_ZipFit | Out-String }

    It 'is found and substantial' {
        $about.Length | Should -BeGreaterThan 2000
    }

    It 'mentions <_>' -ForEach @(
        'NCD(x,y)', 'align(x)', 'gzip.compress', 'zlib', 'cache.db', 'ZIPFIT_CACHE_DIR', 'XDG_CACHE_HOME', 'LocalApplicationData',
        '-CachePath', '-NoCache', '-Shard', '-TextProperty', '-IdProperty', '-BackgroundSize', 'Import-Csv', 'file:line',
        'gzip', 'zstd', 'brotli', 'lz4', '1-22', '0-11', '0 and 3-12') {
        $about | Should -Match ([regex]::Escape($_))
    }

    It 'names every cmdlet, every -Method value and every dataset error id' {
        foreach ($n in (Get-Module ZipFit).ExportedCmdlets.Keys) { $about | Should -Match ([regex]::Escape($n)) }
        foreach ($m in [enum]::GetNames((Get-Command Get-ZipFitScore).Parameters['Method'].ParameterType)) { $about | Should -Match ([regex]::Escape($m)) }
        $datasetIds = Get-LoadedType 'ZipFit.Core' 'ZipFit.Core.Data.DatasetErrorIds'
        $datasetIds | Should -Not -BeNullOrEmpty
        $ids = $datasetIds.GetFields([Reflection.BindingFlags]'Public,Static') | Where-Object IsLiteral | ForEach-Object { 'ZipFit.' + $_.GetRawConstantValue() }
        $ids.Count | Should -BeGreaterThan 3
        foreach ($id in $ids) { $about | Should -Match ([regex]::Escape($id)) }
    }
}

Describe 'Help from the self-contained module copy in a fresh pwsh' {
    It 'finds the MAML help and about_ZipFit from artifacts/ZipFit' {
        $manifest = Join-Path $RepoRoot 'artifacts' 'ZipFit' 'ZipFit.psd1'
        $manifest | Should -Exist
        $script = @'
"BASE=" + (Get-Module ZipFit).ModuleBase
foreach ($name in (Get-Module ZipFit).ExportedCmdlets.Keys) {
    $h = Get-Help $name -Full
    "CMDLET=" + $name + "|" + @($h.examples.example).Count + "|" + $h.Synopsis
}
"ABOUT=" + [bool]((Get-Help about_ZipFit | Out-String) -match 'NCD' -and (Get-Help about_ZipFit | Out-String) -match 'ContextXent')
'@
        $r = Invoke-ChildPwsh -Script $script -Module $manifest
        $r.ExitCode | Should -Be 0 -Because $r.Err
        $lines = @($r.Out -split "`r?`n" | ForEach-Object Trim)
        $lines | Should -Contain ('BASE=' + (Split-Path $manifest -Parent))
        $lines | Should -Contain 'ABOUT=True'
        $cmdlets = @($lines | Where-Object { $_ -like 'CMDLET=*' } | ForEach-Object { , $_.Substring(7).Split('|') })
        $cmdlets.Count | Should -Be (Get-Module ZipFit).ExportedCmdlets.Count
        foreach ($c in $cmdlets) {
            [int]$c[1] | Should -BeGreaterOrEqual 2 -Because "$($c[0]) examples"
            $c[2] | Should -Not -Match '<CommonParameters>'
        }
    }
}
