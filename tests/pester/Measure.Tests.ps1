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

Describe 'Measure-ZipFitAlignment per dataset' {
    BeforeAll {
        $target = @(Import-ZipFitDataset (Join-Path $Fixtures 'target.jsonl') | Select-Object -First 20)
        $pool = @(Import-ZipFitDataset (Join-Path $Fixtures 'source.jsonl'))
        $dir = New-TestDirectory
        $pyFile = Join-Path $dir 'python.jsonl'
        $otherFile = Join-Path $dir 'other.jsonl'
        $pool | Where-Object { $_.Record.domain -eq 'python' } | Export-ZipFitDataset $pyFile
        $pool | Where-Object { $_.Record.domain -ne 'python' } | Export-ZipFitDataset $otherFile
    }
    AfterAll { Remove-Item -LiteralPath $dir -Recurse -Force }

    It 'writes one row per source file, named by the file' {
        $rows = @(Import-ZipFitDataset $pyFile, $otherFile | Measure-ZipFitAlignment -Target $target -Method Dsir -BackgroundSize 20 -NoCache)
        $rows.Count | Should -Be 2
        $rows.Dataset | Should -Be @($pyFile, $otherFile)
        ($rows.ExampleCount | Measure-Object -Sum).Sum | Should -Be 60
    }

    It 'gives the python file the lower target bits per byte for a python target' {
        $rows = @(Import-ZipFitDataset $pyFile, $otherFile | Measure-ZipFitAlignment -Target $target -NoCache)
        $py = $rows | Where-Object Dataset -eq $pyFile
        $other = $rows | Where-Object Dataset -eq $otherFile
        $py.TargetBitsPerByte | Should -BeLessThan $other.TargetBitsPerByte
        $py.TargetBitsPerByte | Should -BeGreaterThan 0
    }

    It 'groups by a record field with -GroupBy' {
        $rows = @($pool | Measure-ZipFitAlignment -Target $target -Method DsirSmoothed -BackgroundSize 20 -GroupBy domain -NoCache)
        @($rows.Dataset | Sort-Object) | Should -Be @($pool.Record.domain | Sort-Object -Unique)
        $rows | ForEach-Object { $_.Method | Should -Match '/bg:' }
    }

    It 'gives the same mean as Get-ZipFitScore with the same method and sample' {
        $bg = $pool[0..19]
        $m = $pool | Measure-ZipFitAlignment -Target $target -Method MultiViewXent -Background $bg -NoCache
        $scores = @($pool | Get-ZipFitScore -Target $target -Method MultiViewXent -Background $bg -NoCache)
        [Math]::Abs(($scores.Score | Measure-Object -Average).Average - $m.Alignment) | Should -BeLessOrEqual 1e-9
    }

    It 'names examples without a file (input)' {
        $r = 'def f(): pass' | Measure-ZipFitAlignment -Target 'def g(): pass' -NoCache
        $r.Dataset | Should -Be '(input)'
    }
}
