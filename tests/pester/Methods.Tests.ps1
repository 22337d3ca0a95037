# Every -Method runs through the same cmdlets; the method travels with each result, into the cache and the export.
BeforeAll { . (Join-Path $PSScriptRoot 'Common.ps1') }

Describe 'Get-ZipFitScore -Method <Method>' -ForEach @(
    @{ Method = 'ContextXent' }, @{ Method = 'MixtureXent' }, @{ Method = 'MultiViewXent' },
    @{ Method = 'ZstdXent' }, @{ Method = 'Dsir' }, @{ Method = 'DsirSmoothed' }
) {
    BeforeAll {
        $target = Import-ZipFitDataset (Join-Path $Fixtures 'target.jsonl') | New-ZipFitTarget
        $pool = @(Import-ZipFitDataset (Join-Path $Fixtures 'source.jsonl'))
        $cachePath = Join-Path $TestDrive 'cache.db'
        $scored = @($pool | Get-ZipFitScore -Target $target -Method $Method -BackgroundSize 40 -CachePath $cachePath)
    }

    It 'scores every example, the background sample included, in input order' {
        $scored.Count | Should -Be 60
        $scored.Id | Should -Be $pool.Id
    }

    It 'names its background sample' {
        $scored[0].Method | Should -Match '/bg:[0-9a-f]+$'
        @($scored.Method | Sort-Object -Unique).Count | Should -Be 1
    }

    It 'scores python above the rest on average' {
        $py = ($scored | Where-Object { $_.Record.domain -eq 'python' } | Measure-Object Score -Average).Average
        $other = ($scored | Where-Object { $_.Record.domain -ne 'python' } | Measure-Object Score -Average).Average
        $py | Should -BeGreaterThan $other
    }

    It 'gives the same scores from the cache' {
        $again = @($pool | Get-ZipFitScore -Target $target -Method $Method -BackgroundSize 40 -CachePath $cachePath)
        $again.Score | Should -Be $scored.Score
        (Get-ZipFitCache -CachePath $cachePath).Methods | Should -HaveCount 1
    }

    It 'exports its top 10 with scores' {
        $out = Join-Path $TestDrive "$Method.jsonl"
        $scored | Select-ZipFitTop 10 | Export-ZipFitDataset $out -IncludeScore
        @(Get-Content -LiteralPath $out).Count | Should -Be 10
        @(Import-ZipFitDataset $out)[0].Record.zipfit_score | Should -Be ($scored | Select-ZipFitTop 1).Score
    }
}

Describe 'Methods share one cache' {
    It 'six methods are cached separately' {
        $cachePath = Join-Path $TestDrive 'shared.db'
        $pool = @(Import-ZipFitDataset (Join-Path $Fixtures 'source.jsonl'))
        foreach ($m in 'ContextXent', 'MixtureXent', 'MultiViewXent', 'ZstdXent', 'Dsir', 'DsirSmoothed') {
            $pool | Get-ZipFitScore -Target (Import-ZipFitDataset (Join-Path $Fixtures 'target.jsonl') | Select-Object -First 20) -Method $m -BackgroundSize 40 -CachePath $cachePath | Out-Null
        }
        $methods = @((Get-ZipFitCache -CachePath $cachePath).Methods)
        $methods.Count | Should -Be 6
        @($methods | Sort-Object -Unique).Count | Should -Be 6
    }

    It 'an unknown method is refused at binding' {
        { 'x' | Get-ZipFitScore -Target 'y' -Method Bogus } | Should -Throw -ErrorId 'CannotConvertArgument*'
    }
}

Describe 'ZstdXent with too few examples to train a dictionary' {
    BeforeAll { $sample = 1..50 | ForEach-Object { "def f$_(x): return x + $_ and some more text $_" } }

    It 'a target of <Count> example(s) is ZipFit.TooFewExamples naming the target, not a zstd exception' -ForEach @(@{ Count = 1 }, @{ Count = 6 }) {
        $target = 1..$Count | ForEach-Object { "def t$_(y): return y * $_" }
        $err = { 'def g(): pass' | Get-ZipFitScore -Target $target -Method ZstdXent -Background $sample -NoCache } | Should -Throw -ErrorId 'ZipFit.TooFewExamples*' -PassThru
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -Match 'target examples'
        $err.Exception.Message | Should -Match 'at least 7'
    }

    It 'a pool sample of 3 examples is ZipFit.TooFewExamples naming the background; 7 of each score' {
        $target = 1..10 | ForEach-Object { "def t$_(y): return y * $_ with a longer line" }
        $err = { 'def g(): pass' | Get-ZipFitScore -Target $target -Method ZstdXent -Background ($sample | Select-Object -First 3) -NoCache } |
            Should -Throw -ErrorId 'ZipFit.TooFewExamples*' -PassThru
        $err.Exception.Message | Should -Match 'background examples'
        $scored = 'def g(): pass' | Get-ZipFitScore -Target ($target | Select-Object -First 7) -Method ZstdXent -Background ($sample | Select-Object -First 7) -NoCache
        [double]::IsFinite($scored.Score) | Should -BeTrue
    }
}
