# Shards of a pool, scored separately and concatenated, give the same global top-K as one run.
BeforeAll { . (Join-Path $PSScriptRoot 'Common.ps1') }

Describe 'Shards' {
    BeforeAll {
        $pool = Join-Path $Fixtures 'source.jsonl'
        $target = Import-ZipFitDataset (Join-Path $Fixtures 'target.jsonl') | Select-Object -First 20 | New-ZipFitTarget
        $single = @(Get-ZipFitScore -Path $pool -Target $target -NoCache | Select-ZipFitTop 15)
        $parts = @(foreach ($i in 0..2) { Get-ZipFitScore -Path $pool -Target $target -Shard "$i/3" -NoCache })
    }

    It 'partition the pool: every example in exactly one shard' {
        $parts.Count | Should -Be 60
        @($parts.Id | Sort-Object -Unique).Count | Should -Be 60
    }

    It 'merged, give the single run''s top 15 with the same scores' {
        $merged = @($parts | Select-ZipFitTop 15)
        $merged.Id | Should -Be $single.Id
        $merged.Score | Should -Be $single.Score
    }

    It 'merge from scored shard files (.jsonl.zst) read back with their scores' {
        foreach ($i in 0..2) {
            Get-ZipFitScore -Path $pool -Target $target -Shard "$i/3" -NoCache | Export-ZipFitDataset (Join-Path $TestDrive "scored-$i.jsonl.zst") -IncludeScore
        }
        $fromFiles = @(Import-ZipFitDataset (Join-Path $TestDrive 'scored-*.jsonl.zst') | Select-ZipFitTop 15)
        $fromFiles.Id | Should -Be $single.Id
    }

    It 'Import-ZipFitDataset -Shard partitions the same way' {
        $viaImport = @(foreach ($i in 0..2) { Import-ZipFitDataset $pool -Shard "$i/3" })
        $viaImport.Count | Should -Be 60
        $shard1 = @(Import-ZipFitDataset $pool -Shard '1/3').Id
        $shard1 | Should -Be @(Get-ZipFitScore -Path $pool -Target $target -Shard '1/3' -NoCache).Id
    }

    It 'an index outside 0..n-1 is ZipFit.InvalidShard (<Shard>)' -ForEach @(@{ Shard = '3/3' }, @{ Shard = '0/0' }) {
        { Import-ZipFitDataset $pool -Shard $Shard } | Should -Throw -ErrorId 'ZipFit.InvalidShard*'
        { Get-ZipFitScore -Path $pool -Target 'x' -Shard $Shard -NoCache } | Should -Throw -ErrorId 'ZipFit.InvalidShard*'
    }

    It 'a shard that is not i/n is refused at binding' {
        { Import-ZipFitDataset $pool -Shard 'x' } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
    }
}
