# The README's one-line pipeline: import, score against a target, keep the top K, export.
BeforeAll { . (Join-Path $PSScriptRoot 'Common.ps1') }

Describe 'The README pipeline' {
    BeforeAll {
        $pool = Join-Path $Fixtures 'source.jsonl'
        $targetPath = Join-Path $Fixtures 'target.jsonl'
        $out = Join-Path $TestDrive 'top.jsonl'
        Import-ZipFitDataset $pool | Get-ZipFitScore -Target (Import-ZipFitDataset $targetPath | New-ZipFitTarget) | Select-ZipFitTop 10 | Export-ZipFitDataset $out
        $lines = @(Get-Content -LiteralPath $out)
        $reference = Read-Tsv (Join-Path $Fixtures 'scores-gzip9.tsv')
        $expected = @($reference.GetEnumerator() | Sort-Object -Property @{ Expression = 'Value'; Descending = $true } | Select-Object -First 10 -ExpandProperty Key)
        $exported = @(Import-ZipFitDataset $out)
    }

    It 'exports ten records' {
        $out | Should -Exist
        $lines.Count | Should -Be 10
    }

    It 'exports the ten best by the Python reference, best first' {
        $exported.Id | Should -Be $expected
    }

    It 'keeps every original field' {
        foreach ($e in $exported) { $e.Record.domain | Should -Not -BeNullOrEmpty }
    }

    It 'writes no score without -IncludeScore' {
        $lines[0] | Should -Not -Match 'zipfit_score'
    }

    It 'leaves no temporary file' {
        @(Get-ChildItem -LiteralPath $TestDrive -Force -Filter '*.partial').Count | Should -Be 0
    }
}

Describe 'Pipeline binding' {
    It 'Select-ZipFitTop keeps the best K, best first' {
        $top = @(Import-ZipFitDataset (Join-Path $Fixtures 'source.jsonl') | Get-ZipFitScore -Target 'def f(x):' -NoCache | Select-ZipFitTop 3)
        $top.Count | Should -Be 3
        $top[0].Score | Should -BeGreaterOrEqual $top[1].Score
        $top[1].Score | Should -BeGreaterOrEqual $top[2].Score
    }

    It 'Import-ZipFitDataset takes paths from the pipeline, by value and by property name' {
        $byValue = @((Join-Path $Fixtures 'target.jsonl') | Import-ZipFitDataset)
        $byName = @(Get-Item (Join-Path $Fixtures 'target.jsonl') | Import-ZipFitDataset)
        $byValue.Count | Should -Be 200
        $byName.Count | Should -Be 200
        $byName[0].Id | Should -Be $byValue[0].Id
    }

    It 'Import-ZipFitDataset -LiteralPath does not expand wildcards' {
        $dir = Join-Path $TestDrive 'lit'
        New-Item -ItemType Directory -Path $dir | Out-Null
        $file = Join-Path $dir 'a[1].jsonl'
        [IO.File]::WriteAllText($file, '{"id":"x","text":"t"}' + "`n")
        @(Import-ZipFitDataset -LiteralPath $file).Id | Should -Be 'x'
    }

    It 'Import-ZipFitDataset -Path expands wildcards' {
        $dir = Join-Path $TestDrive 'glob'
        New-Item -ItemType Directory -Path $dir | Out-Null
        [IO.File]::WriteAllText((Join-Path $dir 'p1.jsonl'), '{"id":"a","text":"t"}' + "`n")
        [IO.File]::WriteAllText((Join-Path $dir 'p2.jsonl'), '{"id":"b","text":"t"}' + "`n")
        @(Import-ZipFitDataset (Join-Path $dir 'p*.jsonl')).Id | Sort-Object | Should -Be @('a', 'b')
    }

    It 'Get-ZipFitScore -Path (the fast path) is its own parameter set' {
        $viaPath = @(Get-ZipFitScore -Path (Join-Path $Fixtures 'source.jsonl') -Target 'def f(x):' -NoCache)
        $viaPath.Count | Should -Be 60
        { 'x' | Get-ZipFitScore -Path (Join-Path $Fixtures 'source.jsonl') -Target 'y' -NoCache -ErrorAction Stop } | Should -Throw
    }

    It 'Export-ZipFitDataset -PassThru passes the file on' {
        $file = 'a', 'b' | Export-ZipFitDataset (Join-Path $TestDrive 'pt.jsonl') -PassThru
        $file | Should -BeOfType [System.IO.FileInfo]
        $file.FullName | Should -Be (Join-Path $TestDrive 'pt.jsonl')
    }

    It 'New-ZipFitTarget takes strings positionally' {
        $t = New-ZipFitTarget 'def a():', 'def b():'
        $t.Count | Should -Be 2
    }
}
