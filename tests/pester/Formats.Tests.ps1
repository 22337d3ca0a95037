# Parquet input (streamed by row group) and compressed JSONL output round-trip with the same scores.
BeforeAll { . (Join-Path $PSScriptRoot 'Common.ps1') }

Describe 'Parquet input' {
    BeforeAll {
        $parquet = Join-Path $Fixtures 'source-30.parquet'
        $rows = @(Import-ZipFitDataset $parquet)
        $target = Import-ZipFitDataset (Join-Path $Fixtures 'target.jsonl') | Select-Object -First 20 | New-ZipFitTarget
        $fromParquet = @(Get-ZipFitScore -Path $parquet -Target $target -NoCache)
    }

    It 'reads every row of every row group with its location' {
        $rows.Count | Should -Be 30
        $rows[0].Source | Should -BeLike '*source-30.parquet:1'
        $rows[0] | Should -BeOfType 'ZipFit.Example'
    }

    It 'typed and string columns travel with the record' {
        $rows[12].Record.n | Should -Be 12
        $rows[5].Record.domain | Should -Not -BeNullOrEmpty
    }

    It 'the -Path fast path reads Parquet with the same scores as JSONL' {
        $fromJsonl = @{}
        foreach ($s in (Import-ZipFitDataset (Join-Path $Fixtures 'source.jsonl') | Get-ZipFitScore -Target $target -NoCache)) { $fromJsonl[$s.Id] = $s.Score }
        $fromParquet.Count | Should -Be 30
        foreach ($s in $fromParquet) { $s.Score | Should -Be $fromJsonl[$s.Id] -Because $s.Id }
    }

    It 'round-trips the top 7 through .<Ext> with fields and score' -ForEach @(@{ Ext = 'jsonl.zst' }, @{ Ext = 'jsonl.gz' }) {
        $out = Join-Path $TestDrive "top.$Ext"
        $fromParquet | Select-ZipFitTop 7 | Export-ZipFitDataset $out -IncludeScore
        $back = @(Import-ZipFitDataset $out)
        $back.Count | Should -Be 7
        $back[0].Record.n | Should -Not -BeNullOrEmpty
        $back[0].Record.zipfit_score | Should -Not -BeNullOrEmpty
    }

    It 'a missing text column is ZipFit.MissingTextProperty' {
        Import-ZipFitDataset $parquet -TextProperty body -ErrorVariable missing -ErrorAction SilentlyContinue | Out-Null
        Get-ErrorId $missing[0] | Should -Be 'ZipFit.MissingTextProperty'
    }
}

Describe 'Text formats' {
    It 'reads .txt one example per line' {
        $txt = Join-Path $TestDrive 'lines.txt'
        [IO.File]::WriteAllLines($txt, [string[]]@('first line', 'second line'))
        $r = @(Import-ZipFitDataset $txt)
        $r.Text | Should -Be @('first line', 'second line')
    }

    It 'reads .jsonl.gz and .jsonl.zst written by Export-ZipFitDataset' -ForEach @(@{ Ext = 'jsonl.gz' }, @{ Ext = 'jsonl.zst' }) {
        $path = Join-Path $TestDrive "in.$Ext"
        Import-ZipFitDataset (Join-Path $Fixtures 'source.jsonl') | Export-ZipFitDataset $path
        $back = @(Import-ZipFitDataset $path)
        $back.Count | Should -Be 60
        $back[0].Text | Should -Be @(Import-ZipFitDataset (Join-Path $Fixtures 'source.jsonl'))[0].Text
    }
}

Describe '.zst pools through either decoder' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'ChildProcess.ps1')
        # Several frames' worth, whole and cut in half (the second half's records are lost with the damaged block).
        $full = Join-Path $TestDrive 'pool.jsonl.zst'
        0..19999 | ForEach-Object { [pscustomobject]@{ id = "r$_"; text = "def f$_(x):`n    return x * $_ + " + ('y' * ($_ % 90)) } } |
            Export-ZipFitDataset $full -Force
        $bytes = [IO.File]::ReadAllBytes($full)
        $cut = Join-Path $TestDrive 'cut.jsonl.zst'
        [IO.File]::WriteAllBytes($cut, $bytes[0..($bytes.Length / 2 - 1)])
        $read = {
            param($Module, $Paths)
            Import-Module $Module
            foreach ($p in $Paths) {
                $errors = @()
                $scores = @(Get-ZipFitScore -Path $p -Target 'def g(x):' -Method Dsir -NoCache -ErrorVariable +errors -ErrorAction SilentlyContinue)
                [pscustomobject]@{ Path = $p; Scores = @($scores | ForEach-Object { "$($_.Id)=$($_.Score.ToString('R'))" }); Errors = @($errors | ForEach-Object { $_.FullyQualifiedErrorId -replace ',.*' }) }
            }
        }
    }

    It 'the system libzstd and the managed decoder give the same records, scores and errors' {
        $system = @(Invoke-ChildScript -Script $read -Arguments @{ Module = $ModuleManifest; Paths = @($full, $cut) } -Environment @{ ZIPFIT_NO_SYSTEM_ZSTD = $null })
        $managed = @(Invoke-ChildScript -Script $read -Arguments @{ Module = $ModuleManifest; Paths = @($full, $cut) } -Environment @{ ZIPFIT_NO_SYSTEM_ZSTD = '1' })
        $system[0].Scores.Count | Should -Be 20000
        $system[0].Errors.Count | Should -Be 0
        $system[1].Scores.Count | Should -BeGreaterThan 100
        $system[1].Scores.Count | Should -BeLessThan 20000
        $system[1].Errors[-1] | Should -Be 'ZipFit.TruncatedFile'
        for ($i = 0; $i -lt 2; $i++) {
            $managed[$i].Scores | Should -Be $system[$i].Scores
            $managed[$i].Errors | Should -Be $system[$i].Errors
        }
    }
}
