# Selection that covers a target with several modes: Get-ZipFitScore -Coverage / -TargetGroupProperty and
# Select-ZipFitTop -Balanced, on a real four-mode slice (tests/fixtures/mixed-target).
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $mixed = Join-Path $RepoRoot 'tests' 'fixtures' 'mixed-target'
    $target = @(Import-ZipFitDataset (Join-Path $mixed 'target.jsonl'))
    $pool = @(Import-ZipFitDataset (Join-Path $mixed 'pool.jsonl'))
    $modes = 'python', 'rust', 'latex', 'perl'
}

Describe 'Get-ZipFitScore -Coverage' {
    BeforeAll {
        $scored = @($pool | Get-ZipFitScore -Target $target -Method MultiViewXent -BackgroundSize 300 -Coverage -NoCache)
    }

    It 'scores every example in input order, each with its mode, share and key' {
        $scored.Count | Should -Be $pool.Count
        $scored.Id | Should -Be $pool.Id
        $scored | ForEach-Object {
            $_.Mode | Should -Match '^mode \d+$'
            $_.ModeShare | Should -BeGreaterThan 0
            [double]::IsNaN($_.CoverageKey) | Should -BeFalse
        }
    }

    It 'finds the target''s modes without labels, each mostly one language' {
        $found = @($scored | Group-Object Mode)
        $found.Count | Should -BeGreaterOrEqual 3
        ($found | ForEach-Object { $_.Group[0].ModeShare } | Measure-Object -Sum).Sum | Should -BeGreaterThan 0.99
        $languages = foreach ($m in $found) {
            ($m.Group | Where-Object { $_.Record.domain -in $modes } | Group-Object { $_.Record.domain } | Sort-Object Count -Descending | Select-Object -First 1).Name
        }
        @($languages | Sort-Object -Unique).Count | Should -BeGreaterOrEqual 3
    }

    It 'keeps a single-language target as one mode' {
        $python = @($target | Where-Object { $_.Record.domain -eq 'python' }) + @($pool | Where-Object { $_.Record.domain -eq 'python' } | Select-Object -First 30)
        $r = @($pool[0..49] | Get-ZipFitScore -Target $python -Method Dsir -Background $pool[0..299] -Coverage -NoCache)
        @($r.Mode | Sort-Object -Unique) | Should -Be 'target'
    }

    It 'gives the same scores as without -Coverage' {
        $plain = @($pool | Get-ZipFitScore -Target $target -Method MultiViewXent -BackgroundSize 300 -NoCache)
        $scored.Score | Should -Be $plain.Score
        [double]::IsNaN($plain[0].CoverageKey) | Should -BeTrue
        $plain[0].Mode | Should -BeNullOrEmpty
    }

    It 'is deterministic' {
        $again = @($pool | Get-ZipFitScore -Target $target -Method MultiViewXent -BackgroundSize 300 -Coverage -NoCache)
        $again.CoverageKey | Should -Be $scored.CoverageKey
    }

    It 'covers every mode of the target' {
        $balanced = @($scored | Select-ZipFitTop 80 -Balanced)
        $balanced.Count | Should -Be 80
        foreach ($m in $modes) {
            @($balanced | Where-Object { $_.Record.domain -eq $m }).Count | Should -BeGreaterOrEqual 8 -Because "$m is a quarter of the target"
        }
    }

    It 'hands back the selection best key first' {
        $balanced = @($scored | Select-ZipFitTop 50 -Balanced)
        $keys = $balanced.CoverageKey
        $keys | Should -Be ($keys | Sort-Object -Descending)
    }

    It 'works for the faithful method, whose scores stay exact' {
        $few = $pool[0..59]
        $ncd = @($few | Get-ZipFitScore -Target $target[0..7] -BackgroundSize 30 -Coverage -NoCache)
        $exact = @($few | Get-ZipFitScore -Target $target[0..7] -NoCache)
        $ncd.Score | Should -Be $exact.Score
        @($ncd | Select-ZipFitTop 10 -Balanced).Count | Should -Be 10
    }

    It 'takes the sample from -Background, also for Ncd' {
        $r = @($pool[0..19] | Get-ZipFitScore -Target $target[0..3] -Background $pool[100..199] -Coverage -NoCache)
        $r.Count | Should -Be 20
        $r[0].Mode | Should -Be 'target'
    }
}

Describe 'Get-ZipFitScore -TargetGroupProperty' {
    BeforeAll {
        $grouped = @($pool | Get-ZipFitScore -Target $target -Method Dsir -BackgroundSize 300 -TargetGroupProperty domain -NoCache)
    }

    It 'matches each example to one of the given modes, with the target''s shares' {
        @($grouped.Mode | Sort-Object -Unique) | Should -Be ($modes | Sort-Object)
        $grouped | ForEach-Object { $_.ModeShare | Should -Be 0.25 }
    }

    It 'shares K among the modes in the target''s proportions' {
        $balanced = @($grouped | Select-ZipFitTop 40 -Balanced)
        $balanced.Count | Should -Be 40
        foreach ($m in $modes) { @($balanced | Where-Object Mode -eq $m).Count | Should -Be 10 }
    }

    It 'gives K smaller than the number of modes to the largest remainders, earliest mode first' {
        @($grouped | Select-ZipFitTop 2 -Balanced).Count | Should -Be 2
    }

    It 'refuses a target item without the property' {
        $bad = @($target[0..2]) + [pscustomobject]@{ text = 'fn main() {}' }
        { $pool[0..5] | Get-ZipFitScore -Target $bad -Method Dsir -BackgroundSize 3 -TargetGroupProperty domain -NoCache } |
            Should -Throw -ErrorId 'ZipFit.InvalidTargetGroup*'
    }

    It 'refuses a ZipFit.Target, which keeps no fields' {
        $t = $target | New-ZipFitTarget
        { $pool[0..5] | Get-ZipFitScore -Target $t -Method Dsir -BackgroundSize 3 -TargetGroupProperty domain -NoCache } |
            Should -Throw -ErrorId 'ZipFit.TargetGroupsUnavailable*'
    }
}

Describe 'Select-ZipFitTop -Balanced' {
    It 'needs -Top' {
        { [pscustomobject]@{ Score = 1 } | Select-ZipFitTop -MinScore 0 -Balanced } | Should -Throw -ErrorId 'ZipFit.NoSelection*'
    }

    It 'writes a non-terminating ZipFit.NoCoverage for input scored without -Coverage and keeps the rest' {
        $plain = @($pool[0..9] | Get-ZipFitScore -Target $target[0..3] -Method Dsir -BackgroundSize 5 -NoCache)
        $covered = @($pool[0..9] | Get-ZipFitScore -Target $target[0..3] -Method Dsir -BackgroundSize 5 -Coverage -NoCache)
        $out = @(@($plain[0]) + $covered | Select-ZipFitTop 3 -Balanced -ErrorVariable errs -ErrorAction SilentlyContinue)
        $out.Count | Should -Be 3
        $errs.Count | Should -Be 1
        Get-ErrorId $errs[0] | Should -Be 'ZipFit.NoCoverage'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $errs[0].TargetObject.Id | Should -Be $plain[0].Id
    }
}
