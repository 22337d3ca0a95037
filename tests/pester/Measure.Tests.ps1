# Dataset-level alignment is the mean of 1 - NCD over all pairs (the mean of the per-example scores).
BeforeAll { . (Join-Path $PSScriptRoot 'Common.ps1') }

Describe 'Measure-ZipFitAlignment' {
    BeforeAll {
        $target = Import-ZipFitDataset (Join-Path $Fixtures 'target.jsonl') | Select-Object -First 20 | New-ZipFitTarget
        $pool = @(Import-ZipFitDataset (Join-Path $Fixtures 'source.jsonl'))
        $m = $pool | Measure-ZipFitAlignment -Target $target -NoCache
    }

    It 'counts examples and pairs' {
        $m.ExampleCount | Should -Be 60
        $m.PairCount | Should -Be 1200
    }

    It 'is the mean of the per-example scores' {
        $sum = 0.0
        foreach ($s in ($pool | Get-ZipFitScore -Target $target -NoCache)) { $sum += $s.Score }
        $m.Alignment | Should -BeGreaterThan 0
        [Math]::Abs($sum / 60 - $m.Alignment) | Should -BeLessOrEqual 1e-12
    }

    It 'python code aligns better with a python target' {
        $python = $pool | Where-Object { $_.Record.domain -eq 'python' } | Measure-ZipFitAlignment -Target $target -NoCache
        $other = $pool | Where-Object { $_.Record.domain -ne 'python' } | Measure-ZipFitAlignment -Target $target -NoCache
        $python.Alignment | Should -BeGreaterThan $other.Alignment
    }

    It 'takes strings and a target given inline' {
        $r = 'def f(): pass', 'print(1)' | Measure-ZipFitAlignment -Target 'def g(): pass' -NoCache
        $r.ExampleCount | Should -Be 2
        $r.PairCount | Should -Be 2
    }

    It 'reports missing text as a non-terminating error and measures the rest' {
        $r = 'def f(): pass', [pscustomobject]@{ other = 1 } | Measure-ZipFitAlignment -Target 'def g(): pass' -NoCache -ErrorVariable errs -ErrorAction SilentlyContinue
        $r.ExampleCount | Should -Be 1
        Get-ErrorId $errs[0] | Should -Be 'ZipFit.MissingTextProperty'
    }
}
