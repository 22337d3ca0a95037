# The manifest is valid and exports exactly the cmdlets it lists, with their parameter sets and
# pipeline bindings; the views are loaded.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $manifest = Test-ModuleManifest -Path $ModuleManifest
    $module = Get-Module ZipFit
}

Describe 'The module manifest' {
    It 'names the module and its PowerShell' {
        $manifest.Name | Should -Be 'ZipFit'
        $manifest.PowerShellVersion | Should -Be ([version]'7.4')
        $manifest.CompatiblePSEditions | Should -Contain 'Core'
    }

    It 'the module is imported from the folder under test' {
        $module.ModuleBase | Should -Be (Split-Path $ModuleManifest -Parent)
    }

    It 'exports exactly the cmdlets it lists' {
        @($module.ExportedCmdlets.Keys | Sort-Object) | Should -Be @($manifest.ExportedCmdlets.Keys | Sort-Object)
        @($module.ExportedCmdlets.Keys | Sort-Object) | Should -Be @(
            'Clear-ZipFitCache', 'Export-ZipFitDataset', 'Export-ZipFitReport', 'Get-ZipFitCache', 'Get-ZipFitScore',
            'Import-ZipFitDataset', 'Measure-ZipFitAlignment', 'New-ZipFitTarget', 'Select-ZipFitTop')
        $module.ExportedFunctions.Count | Should -Be 0
        $module.ExportedAliases.Count | Should -Be 0
    }

    It '<_> declares its output type' -ForEach @('Clear-ZipFitCache', 'Export-ZipFitDataset', 'Export-ZipFitReport', 'Get-ZipFitCache', 'Get-ZipFitScore', 'Import-ZipFitDataset', 'Measure-ZipFitAlignment', 'New-ZipFitTarget', 'Select-ZipFitTop') {
        (Get-Command $_).OutputType.Count | Should -BeGreaterThan 0
    }

    It 'loads one format file with views for the ZipFit types' {
        $formatFiles = @($module.ExportedFormatFiles)
        $formatFiles.Count | Should -Be 1
        $views = ([xml](Get-Content -LiteralPath $formatFiles[0] -Raw)).Configuration.ViewDefinitions.View
        foreach ($type in 'ZipFit.ScoredExample', 'ZipFit.Example', 'ZipFit.Target') {
            @($views | Where-Object { $_.ViewSelectedBy.TypeName -eq $type }).Count | Should -Be 1 -Because "a view for $type"
        }
    }

    It 'formats a scored example as a table row' {
        $text = 'def f(): pass' | Get-ZipFitScore -Target 'def g(): pass' -NoCache | Out-String
        $text | Should -Match 'input:1'
        $text | Should -Match '\d\.\d{4}'
    }
}

Describe 'Parameter sets and pipeline binding' {
    # name, set, mandatory, from pipeline by value, by property name, position
    It '<Cmdlet> -<Parameter> in <Set>' -ForEach @(
        @{ Cmdlet = 'Import-ZipFitDataset'; Set = 'Path'; Parameter = 'Path'; Mandatory = $true; ByValue = $true; ByName = $true; Position = 0 }
        @{ Cmdlet = 'Import-ZipFitDataset'; Set = 'LiteralPath'; Parameter = 'LiteralPath'; Mandatory = $true; ByValue = $false; ByName = $true; Position = -2147483648 }
        @{ Cmdlet = 'Import-ZipFitDataset'; Set = 'Path'; Parameter = 'Shard'; Mandatory = $false; ByValue = $false; ByName = $false; Position = -2147483648 }
        @{ Cmdlet = 'New-ZipFitTarget'; Set = '__AllParameterSets'; Parameter = 'InputObject'; Mandatory = $true; ByValue = $true; ByName = $false; Position = 0 }
        @{ Cmdlet = 'Get-ZipFitScore'; Set = 'InputObject'; Parameter = 'InputObject'; Mandatory = $true; ByValue = $true; ByName = $false; Position = -2147483648 }
        @{ Cmdlet = 'Get-ZipFitScore'; Set = 'InputObject'; Parameter = 'Target'; Mandatory = $true; ByValue = $false; ByName = $false; Position = -2147483648 }
        @{ Cmdlet = 'Get-ZipFitScore'; Set = 'Path'; Parameter = 'Path'; Mandatory = $true; ByValue = $false; ByName = $false; Position = -2147483648 }
        @{ Cmdlet = 'Get-ZipFitScore'; Set = 'Path'; Parameter = 'Shard'; Mandatory = $false; ByValue = $false; ByName = $false; Position = -2147483648 }
        @{ Cmdlet = 'Select-ZipFitTop'; Set = '__AllParameterSets'; Parameter = 'Top'; Mandatory = $false; ByValue = $false; ByName = $false; Position = 0 }
        @{ Cmdlet = 'Select-ZipFitTop'; Set = '__AllParameterSets'; Parameter = 'InputObject'; Mandatory = $true; ByValue = $true; ByName = $false; Position = -2147483648 }
        @{ Cmdlet = 'Export-ZipFitReport'; Set = '__AllParameterSets'; Parameter = 'Path'; Mandatory = $true; ByValue = $false; ByName = $false; Position = 0 }
        @{ Cmdlet = 'Export-ZipFitReport'; Set = '__AllParameterSets'; Parameter = 'InputObject'; Mandatory = $true; ByValue = $true; ByName = $false; Position = -2147483648 }
        @{ Cmdlet = 'Export-ZipFitDataset'; Set = '__AllParameterSets'; Parameter = 'Path'; Mandatory = $true; ByValue = $false; ByName = $false; Position = 0 }
        @{ Cmdlet = 'Export-ZipFitDataset'; Set = '__AllParameterSets'; Parameter = 'InputObject'; Mandatory = $true; ByValue = $true; ByName = $false; Position = -2147483648 }
        @{ Cmdlet = 'Measure-ZipFitAlignment'; Set = 'InputObject'; Parameter = 'InputObject'; Mandatory = $true; ByValue = $true; ByName = $false; Position = -2147483648 }
        @{ Cmdlet = 'Get-ZipFitCache'; Set = '__AllParameterSets'; Parameter = 'CachePath'; Mandatory = $false; ByValue = $false; ByName = $true; Position = 0 }
        @{ Cmdlet = 'Clear-ZipFitCache'; Set = '__AllParameterSets'; Parameter = 'CachePath'; Mandatory = $false; ByValue = $false; ByName = $true; Position = 0 }
    ) {
        $set = (Get-Command $Cmdlet).ParameterSets | Where-Object Name -EQ $Set
        $set | Should -Not -BeNullOrEmpty
        $p = $set.Parameters | Where-Object Name -EQ $Parameter
        $p | Should -Not -BeNullOrEmpty
        $p.IsMandatory | Should -Be $Mandatory
        $p.ValueFromPipeline | Should -Be $ByValue
        $p.ValueFromPipelineByPropertyName | Should -Be $ByName
        $p.Position | Should -Be $Position
    }

    It '<_[0]> has the parameter sets <_[1]>' -ForEach @(
        , @('Import-ZipFitDataset', 'LiteralPath,Path')
        , @('Get-ZipFitScore', 'InputObject,LiteralPath,Path')
        , @('Measure-ZipFitAlignment', 'InputObject')
    ) {
        ((Get-Command $_[0]).ParameterSets.Name | Sort-Object) -join ',' | Should -Be $_[1]
    }

    It 'Clear-ZipFitCache supports -WhatIf and -Confirm' {
        $c = Get-Command Clear-ZipFitCache
        $c.Parameters.Keys | Should -Contain 'WhatIf'
        $c.Parameters.Keys | Should -Contain 'Confirm'
    }

    It 'Get-ZipFitScore -Method accepts the seven methods' {
        [enum]::GetNames((Get-Command Get-ZipFitScore).Parameters['Method'].ParameterType) | Sort-Object |
            Should -Be @('ContextXent', 'Dsir', 'DsirSmoothed', 'MixtureXent', 'MultiViewXent', 'Ncd', 'ZstdXent')
    }
}
