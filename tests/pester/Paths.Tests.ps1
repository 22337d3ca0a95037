# -Path (wildcards) and -LiteralPath (as written) read dataset files the same way in Import-ZipFitDataset and
# Get-ZipFitScore: a file name with wildcard characters is read only through -LiteralPath.
BeforeAll { . (Join-Path $PSScriptRoot 'Common.ps1') }

Describe 'Dataset paths' {
    BeforeAll {
        $source = Join-Path $Fixtures 'source.jsonl'
        $target = Import-ZipFitDataset (Join-Path $Fixtures 'target.jsonl') | Select-Object -First 20 | New-ZipFitTarget
        # 'pool[a].jsonl' as a wildcard matches 'poola.jsonl' (a decoy with 5 records), not itself.
        $literal = Join-Path $TestDrive 'pool[a].jsonl'
        [IO.File]::Copy($source, $literal)
        [IO.File]::WriteAllLines((Join-Path $TestDrive 'poola.jsonl'), [string[]](Get-Content -LiteralPath $source -TotalCount 5))
        $expected = @(Get-ZipFitScore -Path $source -Target $target -NoCache)
    }

    It 'Get-ZipFitScore -LiteralPath reads a file whose name has wildcard characters' {
        $scored = @(Get-ZipFitScore -LiteralPath $literal -Target $target -NoCache)
        $scored.Count | Should -Be 60
        $scored.Id | Should -Be $expected.Id
        $scored.Score | Should -Be $expected.Score
    }

    It 'Get-ZipFitScore -Path expands the same name as a wildcard' {
        @(Get-ZipFitScore -Path $literal -Target $target -NoCache).Count | Should -Be 5
    }

    It 'Import-ZipFitDataset -LiteralPath reads the same records as Get-ZipFitScore -LiteralPath' {
        @(Import-ZipFitDataset -LiteralPath $literal).Id | Should -Be $expected.Id
        @(Import-ZipFitDataset -Path $literal).Count | Should -Be 5
    }

    It 'Get-ZipFitScore -LP (alias) takes -Shard like -Path' {
        $viaPath = @(Get-ZipFitScore -Path $source -Target $target -Shard '1/3' -NoCache)
        $viaLiteral = @(Get-ZipFitScore -LP $literal -Target $target -Shard '1/3' -NoCache)
        $viaLiteral.Count | Should -BeLessThan 60
        $viaLiteral.Id | Should -Be $viaPath.Id
        $viaLiteral.Score | Should -Be $viaPath.Score
    }

    It 'a -LiteralPath that does not exist is ZipFit.PathNotFound, and the other files are still read' {
        $missing = Join-Path $TestDrive 'missing[1].jsonl'
        $scored = @(Get-ZipFitScore -LiteralPath $missing, $literal -Target $target -NoCache -ErrorVariable errs -ErrorAction SilentlyContinue)
        $scored.Count | Should -Be 60
        @($errs).Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'ZipFit.PathNotFound,ZipFit.Commands.GetZipFitScoreCommand'
        $errs[0].TargetObject | Should -Be $missing
    }
}
