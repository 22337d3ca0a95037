# Scores equal the Python reference (gzip.compress, levels 9 and 6) to 1e-12, in input order, with the
# managed deflate and with the machine's zlib alike.
BeforeAll { . (Join-Path $PSScriptRoot 'Common.ps1') }

Describe 'Parity with the Python reference' {
    BeforeAll {
        $target = Import-ZipFitDataset (Join-Path $Fixtures 'target.jsonl') | New-ZipFitTarget
    }

    It 'the target has 200 examples and names its compressor' {
        $target.Count | Should -Be 200
        $target.Compressor | Should -BeLike 'gzip-9/managed-zlib-1.2.13'
    }

    It 'gzip level <Level> scores equal scores-gzip<Level>.tsv to 1e-12' -ForEach @(@{ Level = 9 }, @{ Level = 6 }) {
        $reference = Read-Tsv (Join-Path $Fixtures "scores-gzip$Level.tsv")
        $scored = @(Import-ZipFitDataset (Join-Path $Fixtures 'source.jsonl') | Get-ZipFitScore -Target $target -Level $Level -ThrottleLimit 2 -NoCache)
        $scored.Count | Should -Be $reference.Count
        foreach ($s in $scored) {
            [Math]::Abs($reference[$s.Id] - $s.Score) | Should -BeLessOrEqual 1e-12 -Because $s.Id
            $s.Compressor | Should -BeLike "gzip-$Level/managed-zlib-1.2.13"
        }
    }

    It 'the -Path fast path gives the same scores in the same order as the pipeline' {
        $viaPath = @(Get-ZipFitScore -Path (Join-Path $Fixtures 'source.jsonl') -Target $target -NoCache)
        $viaPipe = @(Import-ZipFitDataset (Join-Path $Fixtures 'source.jsonl') | Get-ZipFitScore -Target $target -ThrottleLimit 1 -NoCache)
        $viaPath.Count | Should -Be $viaPipe.Count
        $viaPath.Id | Should -Be $viaPipe.Id
        $viaPath.Score | Should -Be $viaPipe.Score
    }
}

Describe 'The gzip engine does not depend on the machine''s zlib' {
    BeforeAll {
        # Engine choice is made when the module loads, so each runs in its own pwsh.
        function Get-ChildScores([hashtable] $Environment) {
            $script = "Get-ZipFitScore -Path '$Fixtures/source.jsonl' -Target (Import-ZipFitDataset '$Fixtures/target.jsonl') -Level 6 -NoCache | " +
                'ForEach-Object { $_.Id + "`t" + $_.Score.ToString(''R'') + "`t" + $_.Compressor }'
            $run = Invoke-ChildPwsh -Script $script -Environment $Environment
            $run.ExitCode | Should -Be 0 -Because $run.Err
            $rows = @($run.Out -split "`r?`n" | Where-Object { $_ -match "`t" } | ForEach-Object { , $_.Split("`t") })
            [pscustomobject]@{
                Identity = $rows[0][2]
                Scores   = $rows | ForEach-Object -Begin { $m = [ordered]@{} } -Process { $m[$_[0]] = [double]::Parse($_[1], [Globalization.CultureInfo]::InvariantCulture) } -End { $m }
            }
        }
        $managed = Get-ChildScores @{ ZIPFIT_NO_SYSTEM_ZLIB = '1' }
        $system = Get-ChildScores @{ ZIPFIT_GZIP_ENGINE = 'system' }
    }

    It 'without the system zlib, the managed engine is used' {
        $managed.Identity | Should -Be 'gzip-6/managed-zlib-1.2.13'
        $managed.Scores.Count | Should -Be 60
    }

    It 'ZIPFIT_GZIP_ENGINE=system uses the machine''s zlib' {
        $system.Identity | Should -BeLike 'gzip-6/zlib-*'
    }

    It 'both give the same scores' {
        foreach ($id in $managed.Scores.Keys) { $system.Scores[$id] | Should -Be $managed.Scores[$id] -Because $id }
    }

    It 'both equal Python''s gzip.compress' {
        $reference = Read-Tsv (Join-Path $Fixtures 'scores-gzip6.tsv')
        foreach ($id in $managed.Scores.Keys) { [Math]::Abs($reference[$id] - $managed.Scores[$id]) | Should -BeLessOrEqual 1e-12 -Because $id }
    }
}
