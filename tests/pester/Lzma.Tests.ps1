# -Compressor lzma: the system liblzma through Get-ZipFitScore, against Python's lzma.compress
# (tests/fixtures/python-code/scores-small-lzma*.tsv, lzma-lengths.tsv from bench/python/lzma_reference.py).
BeforeAll { . (Join-Path $PSScriptRoot 'Common.ps1') }

Describe 'Get-ZipFitScore -Compressor lzma-6' {
    BeforeAll {
        $reference = Read-Tsv (Join-Path $Fixtures 'scores-small-lzma6.tsv')
        # Each lzma-6 pair clears liblzma's 16 MiB hash table: a leading slice of the fixture keeps this quick.
        $sources = @(Import-ZipFitDataset (Join-Path $Fixtures 'source.jsonl') | Select-Object -First 12)
        $target = Import-ZipFitDataset (Join-Path $Fixtures 'target.jsonl')
        $scored = @($sources | Get-ZipFitScore -Target $target -Compressor lzma-6 -NoCache -Verbose 4>&1)
        $results = @($scored | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
        $verbose = ($scored | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }) -join "`n"
    }

    It 'scores every example' {
        $results.Count | Should -Be 12
    }

    It 'gives the scores of Python''s lzma.compress to 1e-12' {
        foreach ($r in $results) {
            $reference.ContainsKey($r.Id) | Should -BeTrue
            [math]::Abs($r.Score - $reference[$r.Id]) | Should -BeLessOrEqual 1e-12 -Because $r.Id
        }
    }

    It 'names the liblzma version in the method identity' {
        $verbose | Should -Match 'ncd/lzma-6/liblzma-\d+\.\d+\.\d+'
    }
}

Describe 'lzma presets and names' {
    BeforeAll {
        $lengths = @{}
        foreach ($line in Get-Content -LiteralPath (Join-Path $Fixtures 'lzma-lengths.tsv') | Select-Object -Skip 1) {
            $p = $line.Split("`t")
            $lengths[$p[0]] = @{ '0' = [int]$p[2]; '6' = [int]$p[3]; '9' = [int]$p[4]; '6e' = [int]$p[5] }
        }
        $targets = @(Import-ZipFitDataset (Join-Path $Fixtures 'target.jsonl') | Select-Object -First 20)
    }

    It 'New-ZipFitTarget -Compressor <Name> records the lengths of Python''s lzma.compress' -ForEach @(
        @{ Name = 'lzma-0'; Preset = '0' }, @{ Name = 'lzma'; Preset = '6' }, @{ Name = 'xz-9'; Preset = '9' }, @{ Name = 'lzma-6e'; Preset = '6e' }
    ) {
        $t = New-ZipFitTarget -InputObject $targets -Compressor $Name
        $t.Compressor | Should -Match "^lzma-$Preset/liblzma-"
        $t.CompressedLengths | Should -Be @($targets | ForEach-Object { $lengths[$_.Id][$Preset] })
    }

    It '-Level replaces the preset in -Compressor' {
        (New-ZipFitTarget -InputObject 'abc' -Compressor lzma-6e -Level 9).Compressor | Should -Match '^lzma-9e/'
    }

    It 'rejects a preset above 9 with ZipFit.InvalidLevel' {
        { New-ZipFitTarget -InputObject 'abc' -Compressor lzma-10 } | Should -Throw -ErrorId 'ZipFit.InvalidLevel*'
    }

    It 'rejects an extreme preset of another compressor at binding' {
        { New-ZipFitTarget -InputObject 'abc' -Compressor gzip-6e } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
    }

    It 'completes -Compressor with lzma and its presets' {
        function Complete([string] $Line) { (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText }
        $names = Complete 'Get-ZipFitScore -Compressor l'
        $names | Should -Contain 'lzma'
        $presets = Complete 'Get-ZipFitScore -Compressor lzma-'
        $presets | Should -Contain 'lzma-0'
        $presets | Should -Contain 'lzma-9'
        $presets | Should -Contain 'lzma-6e'
        $presets.Count | Should -Be 20
        $levels = Complete 'Get-ZipFitScore -Compressor lzma -Level '
        $levels | Should -Be @('0', '1', '2', '3', '4', '5', '6', '7', '8', '9')
    }
}

Describe 'lzma without liblzma' {
    It 'stops with ZipFit.CompressorUnavailable and says how to install liblzma' {
        $run = Invoke-ChildPwsh -Environment @{ ZIPFIT_LIBLZMA = '/nonexistent/liblzma.so.5' } -Script @'
try {
    'def f(x): return x' | Get-ZipFitScore -Target 'def g(y): return y' -Compressor lzma -NoCache
    'no error'
} catch {
    $_.FullyQualifiedErrorId
    $_.CategoryInfo.Category
    $_.Exception.Message
}
'@
        $run.ExitCode | Should -Be 0 -Because $run.Err
        $lines = $run.Out -split "`r?`n"
        $lines[0] | Should -BeLike 'ZipFit.CompressorUnavailable,*'
        $lines[1] | Should -Be 'NotInstalled'
        $run.Out | Should -Match 'liblzma'
        $run.Out | Should -Match 'apt-get install liblzma5'
        $run.Out | Should -Match '/nonexistent/liblzma\.so\.5'
    }

    It 'leaves the other compressors working' {
        $run = Invoke-ChildPwsh -Environment @{ ZIPFIT_LIBLZMA = '/nonexistent/liblzma.so.5' } -Script @'
('def f(x): return x' | Get-ZipFitScore -Target 'def g(y): return y' -Compressor zstd -NoCache).Score -gt 0
'@
        $run.Out.Trim() | Should -Be 'True' -Because $run.Err
    }
}
