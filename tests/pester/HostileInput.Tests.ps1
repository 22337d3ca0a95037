# Hostile input (issue 20): records over -MaxRecordBytes, decompression bombs, leftovers of killed exports.
# The large files are generated at test time, streaming (a 1.2 GB record is a few MB of gzip or
# ~100 KB of zstd); each large case runs in a child pwsh so that its own peak RSS can be read.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    $script:Work = Join-Path ([IO.Path]::GetTempPath()) ("zipfit-hostile-" + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $script:Work | Out-Null

    # A JSONL file: a good record, a record whose text is $TextBytes bytes of a repeated pattern, a good record.
    function script:New-BigRecordFile([string]$Name, [long]$TextBytes) {
        $path = Join-Path $script:Work $Name
        $file = [IO.File]::Create($path)
        try {
            $stream = if ($Name.EndsWith('.gz')) {
                [IO.Compression.GZipStream]::new($file, [IO.Compression.CompressionLevel]::Fastest, $true)
            } else {
                # The module's own ZstdSharp, from its private load context (one zstd score loads it).
                $type = Get-LoadedType 'ZstdSharp' 'ZstdSharp.CompressionStream'
                if (-not $type) {
                    $null = 'x' | Get-ZipFitScore -Target 'y' -Compressor zstd -NoCache
                    $type = Get-LoadedType 'ZstdSharp' 'ZstdSharp.CompressionStream'
                }
                [Activator]::CreateInstance($type, [object[]]@($file, 1, 0, $true))
            }
            $utf8 = [Text.UTF8Encoding]::new($false)
            $head = $utf8.GetBytes("{`"id`":`"first`",`"text`":`"def first(): pass`"}`n{`"id`":`"big`",`"text`":`"")
            $stream.Write($head, 0, $head.Length)
            $chunk = $utf8.GetBytes('def f(x): return x  # ' * 47663)   # ~1 MiB
            for ($left = $TextBytes; $left -gt 0; $left -= $n) {
                $n = [int][Math]::Min($left, $chunk.Length)
                $stream.Write($chunk, 0, $n)
            }
            $tail = $utf8.GetBytes("`"}`n{`"id`":`"last`",`"text`":`"def last(): pass`"}`n")
            $stream.Write($tail, 0, $tail.Length)
            $stream.Dispose()
        } finally {
            $file.Dispose()
        }
        $path
    }

    # Runs one ZipFit command in a child pwsh (Common.ps1's Invoke-ChildPwsh, ZipFit imported); returns
    # the ids read, the errors and the child's peak RSS (VmHWM).
    function script:Invoke-Child([string]$Command) {
        $r = Invoke-ChildPwsh -TimeoutSeconds 900 -Script @"
`$out = @($Command -ErrorVariable bad -ErrorAction SilentlyContinue)
`$peak = if (Test-Path /proc/self/status) { [long]((Get-Content /proc/self/status | Where-Object { `$_ -like 'VmHWM:*' }) -replace '\D', '') * 1KB } else { -1 }
[pscustomobject]@{
    Ids = @(`$out | ForEach-Object Id)
    Bytes = @(`$out | ForEach-Object Bytes)
    Errors = @(`$bad | ForEach-Object { [pscustomobject]@{ Id = `$_.FullyQualifiedErrorId; Category = "`$(`$_.CategoryInfo.Category)"; Target = "`$(`$_.TargetObject)"; Message = `$_.Exception.Message; Type = `$_.Exception.GetType().FullName } })
    PeakRss = `$peak
} | ConvertTo-Json -Depth 4 -Compress
"@
        $r.ExitCode | Should -Be 0 -Because $r.Err
        ($r.Out -split "`r?`n" | Where-Object { $_ } | Select-Object -Last 1) | ConvertFrom-Json
    }
}

AfterAll {
    Remove-Item -Recurse -Force $script:Work -ErrorAction SilentlyContinue
}

Describe 'A record over -MaxRecordBytes in a compressed file' {
    BeforeAll {
        $null = New-BigRecordFile 'huge.jsonl.zst' 1200000000    # 1.2 GB record, zstd
        $null = New-BigRecordFile 'large.jsonl.gz' 300000000     # 300 MB record, gzip
    }

    It '<Name>, Import-ZipFitDataset: both good records, one ZipFit.RecordTooLarge at file:2, peak RSS <= 500 MB' -ForEach @(
        @{ Name = '1.2 GB record (zstd)'; File = 'huge.jsonl.zst'; TextBytes = 1200000000 }
        @{ Name = '300 MB record (gzip)'; File = 'large.jsonl.gz'; TextBytes = 300000000 }
    ) {
        $path = Join-Path $script:Work $File
        $r = Invoke-Child "Import-ZipFitDataset -LiteralPath '$path'"
        $r.Ids | Should -Be @('first', 'last')
        $r.Errors.Count | Should -Be 1
        $r.Errors[0].Id | Should -BeLike 'ZipFit.RecordTooLarge,*'
        $r.Errors[0].Category | Should -Be 'LimitsExceeded'
        $r.Errors[0].Type | Should -Be 'ZipFit.Commands.ZipFitException'
        $r.Errors[0].Target | Should -Be "${path}:2"
        $r.Errors[0].Message | Should -BeLike "${path}:2: The record is *bytes, over the limit of 16,777,216 bytes*-MaxRecordBytes*"
        $lineBytes = $TextBytes + '{"id":"big","text":""}'.Length
        $r.Errors[0].Message | Should -BeLike ("*is {0:N0} bytes*" -f $lineBytes)
        if ($r.PeakRss -gt 0) { $r.PeakRss | Should -BeLessOrEqual 500MB }
        Write-Host ("      {0}: Import-ZipFitDataset peak RSS {1:N0} MB" -f $Name, ($r.PeakRss / 1MB))
    }

    It '<Name>, Get-ZipFitScore -Path: both good records scored, one ZipFit.RecordTooLarge at file:2, peak RSS <= 500 MB' -ForEach @(
        @{ Name = '1.2 GB record (zstd)'; File = 'huge.jsonl.zst' }
        @{ Name = '300 MB record (gzip)'; File = 'large.jsonl.gz' }
    ) {
        $path = Join-Path $script:Work $File
        $r = Invoke-Child "Get-ZipFitScore -Path '$path' -Target 'def target(): pass' -NoCache"
        $r.Ids | Should -Be @('first', 'last')
        $r.Errors.Count | Should -Be 1
        $r.Errors[0].Id | Should -BeLike 'ZipFit.RecordTooLarge,*'
        $r.Errors[0].Target | Should -Be "${path}:2"
        if ($r.PeakRss -gt 0) { $r.PeakRss | Should -BeLessOrEqual 500MB }
        Write-Host ("      {0}: Get-ZipFitScore -Path peak RSS {1:N0} MB" -f $Name, ($r.PeakRss / 1MB))
    }

    It '-MaxRecordBytes 400MB accepts the 300 MB record (<Cmdlet>)' -ForEach @(
        @{ Cmdlet = 'Import-ZipFitDataset'; Command = "Import-ZipFitDataset -LiteralPath '{0}' -MaxRecordBytes 400MB" }
        @{ Cmdlet = 'Get-ZipFitScore -Path'; Command = "Get-ZipFitScore -Path '{0}' -Target 'def target(): pass' -NoCache -MaxRecordBytes 400MB" }
    ) {
        $r = Invoke-Child ($Command -f (Join-Path $script:Work 'large.jsonl.gz'))
        $r.Ids | Should -Be @('first', 'big', 'last')
        $r.Bytes[1] | Should -Be 300000000
        $r.Errors.Count | Should -Be 0
        Write-Host ("      300 MB record accepted by {0}: peak RSS {1:N0} MB" -f $Cmdlet, ($r.PeakRss / 1MB))
    }
}

Describe '-MaxRecordBytes on small inputs' {
    BeforeAll {
        $script:Small = Join-Path $script:Work 'small.jsonl'
        $lines = @(
            '{"id":"a","text":"short"}'
            '{"id":"b","text":"' + ('x' * 200) + '"}'
            '{"id":"c","text":"also short"}'
        )
        Set-Content -LiteralPath $script:Small -Value $lines -Encoding utf8NoBOM
    }

    It 'is on every reading cmdlet, defaults to 16 MiB and is documented' -ForEach @(
        @{ Cmdlet = 'Import-ZipFitDataset' }, @{ Cmdlet = 'Get-ZipFitScore' }, @{ Cmdlet = 'Measure-ZipFitAlignment' }, @{ Cmdlet = 'New-ZipFitTarget' }
    ) {
        (Get-Command $Cmdlet).Parameters['MaxRecordBytes'].ParameterType | Should -Be ([long])
        $help = Get-Help $Cmdlet -Parameter MaxRecordBytes
        ($help.description | Out-String) | Should -Match '16 MiB'
        $help.defaultValue | Should -Be '16MB'
    }

    It 'about_ZipFit tells how to raise it' {
        (Get-Help about_ZipFit | Out-String) | Should -Match 'MaxRecordBytes'
        (Get-Help about_ZipFit | Out-String) | Should -Match 'ZipFit.RecordTooLarge'
    }

    It 'a line just over the limit is reported, one at the limit is read' {
        $over = '{"id":"b","text":"' + ('x' * 200) + '"}'
        $records = Import-ZipFitDataset -LiteralPath $script:Small -MaxRecordBytes ($over.Length - 1) -ErrorVariable bad -ErrorAction SilentlyContinue
        $records.Id | Should -Be @('a', 'c')
        $bad.Count | Should -Be 1
        $bad[0].FullyQualifiedErrorId | Should -BeLike 'ZipFit.RecordTooLarge,*'
        $bad[0].TargetObject | Should -Be "$($script:Small):2"
        $records = Import-ZipFitDataset -LiteralPath $script:Small -MaxRecordBytes $over.Length -ErrorVariable bad2
        $records.Id | Should -Be @('a', 'b', 'c')
        $bad2.Count | Should -Be 0
    }

    It 'pipeline objects whose text is over the limit are skipped with ZipFit.RecordTooLarge' {
        $inputs = @('short one', ('y' * 300), [pscustomobject]@{ id = 'obj'; text = 'é' * 60 }, 'short two')
        $scores = $inputs | Get-ZipFitScore -Target 'short' -NoCache -MaxRecordBytes 100 -ErrorVariable bad -ErrorAction SilentlyContinue
        $scores.Text | Should -Be @('short one', 'short two')
        $bad.Count | Should -Be 2
        $bad.ForEach({ $_.FullyQualifiedErrorId -replace ',.*' }) | Should -Be @('ZipFit.RecordTooLarge', 'ZipFit.RecordTooLarge')
        $bad[0].TargetObject | Should -Be 'input:2'
        $bad[1].TargetObject | Should -Be 'obj'
        $bad[1].Exception.Message | Should -BeLike '*120 bytes*'   # 60 two-byte characters
    }

    It 'examples imported with a higher limit still meet the scorer''s own limit' {
        $examples = Import-ZipFitDataset -LiteralPath $script:Small
        $scores = $examples | Get-ZipFitScore -Target 'short' -NoCache -MaxRecordBytes 100 -ErrorVariable bad -ErrorAction SilentlyContinue
        $scores.Id | Should -Be @('a', 'c')
        $bad.Count | Should -Be 1
        $bad[0].TargetObject | Should -Be "$($script:Small):2"
    }

    It 'New-ZipFitTarget skips a target text over the limit' {
        $target = 'short', ('z' * 500) | New-ZipFitTarget -MaxRecordBytes 100 -ErrorVariable bad -ErrorAction SilentlyContinue
        $target.Count | Should -Be 1
        $bad[0].FullyQualifiedErrorId | Should -BeLike 'ZipFit.RecordTooLarge,*'
    }

    It 'rejects a limit outside 1 byte to 1 GiB' {
        { Import-ZipFitDataset -LiteralPath $script:Small -MaxRecordBytes 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,ZipFit.Commands.ImportZipFitDatasetCommand'
        { Import-ZipFitDataset -LiteralPath $script:Small -MaxRecordBytes 2GB } | Should -Throw -ErrorId 'ParameterArgumentValidationError,ZipFit.Commands.ImportZipFitDatasetCommand'
    }
}

Describe 'Decompression bombs and damaged compressed files' {
    It 'a 1 GB run of zeros in a tiny .gz is read in bounded memory: the line is reported, the record after it kept' {
        # 1 GB of one byte with no end of line: ~1 MB of gzip.
        $path = Join-Path $script:Work 'zeros.jsonl.gz'
        $file = [IO.File]::Create($path)
        $gz = [IO.Compression.GZipStream]::new($file, [IO.Compression.CompressionLevel]::Optimal)
        $zeros = [byte[]]::new(1MB)
        for ($i = 0; $i -lt 1024; $i++) { $gz.Write($zeros, 0, $zeros.Length) }
        $tail = [Text.Encoding]::UTF8.GetBytes("`n{`"id`":`"after`",`"text`":`"ok`"}`n")
        $gz.Write($tail, 0, $tail.Length)
        $gz.Dispose(); $file.Dispose()
        $r = Invoke-Child "Import-ZipFitDataset -LiteralPath '$path'"
        $r.Ids | Should -Be @('after')
        $r.Errors.Count | Should -Be 1
        $r.Errors[0].Id | Should -BeLike 'ZipFit.RecordTooLarge,*'
        if ($r.PeakRss -gt 0) { $r.PeakRss | Should -BeLessOrEqual 500MB }
    }

    It 'random bytes named .gz, .zst or .parquet give a ZipFit error with an id, never an internal exception' -ForEach @(
        @{ Ext = 'jsonl.gz' }, @{ Ext = 'jsonl.zst' }, @{ Ext = 'parquet' }
    ) {
        $path = Join-Path $script:Work "noise.$Ext"
        $bytes = [byte[]]::new(4096)
        [Random]::new(7).NextBytes($bytes)
        if ($Ext -eq 'parquet') {
            $magic = [Text.Encoding]::ASCII.GetBytes('PAR1')
            [Array]::Copy($magic, 0, $bytes, 0, 4)
            [Array]::Copy($magic, 0, $bytes, $bytes.Length - 4, 4)
        }
        [IO.File]::WriteAllBytes($path, $bytes)
        $records = Import-ZipFitDataset -LiteralPath $path -ErrorVariable bad -ErrorAction SilentlyContinue
        $records | Should -BeNullOrEmpty
        $bad.Count | Should -BeGreaterThan 0
        $bad | ForEach-Object { $_.FullyQualifiedErrorId | Should -Match '^ZipFit\.\w+,' }
        # Each error's exception is ZipFit's own or the documented I/O or format failure behind it
        # (about_ZipFit, Errors.Tests.ps1), never an internal one (a cast, an index, a null reference).
        foreach ($e in $bad) {
            $kinds = for ($t = $e.Exception.GetType(); $t; $t = $t.BaseType) { $t.FullName }
            $kinds | Where-Object { $_ -in 'ZipFit.Commands.ZipFitException', 'System.IO.IOException', 'System.IO.InvalidDataException', 'Parquet.ParquetException', 'ZstdSharp.ZstdException' } |
                Should -Not -BeNullOrEmpty -Because "$($e.FullyQualifiedErrorId) carries $($e.Exception.GetType().FullName)"
        }
    }
}

Describe 'Leftovers of a killed export' {
    It 'the next export to the same path removes a dead .partial and leaves a live one' {
        $dir = Join-Path $script:Work 'export'
        New-Item -ItemType Directory -Path $dir | Out-Null
        $out = Join-Path $dir 'top.jsonl'
        $dead = Join-Path $dir ".top.jsonl.$([guid]::NewGuid().ToString('N')).partial"
        $live = Join-Path $dir ".top.jsonl.$([guid]::NewGuid().ToString('N')).partial"
        Set-Content -LiteralPath $dead -Value '{"text":"half a rec'
        # A live export holds its temporary open exclusively.
        $held = [IO.FileStream]::new($live, [IO.FileMode]::CreateNew, [IO.FileAccess]::Write, [IO.FileShare]::None)
        try {
            $verbose = 'one', 'two' | Export-ZipFitDataset $out -Verbose 4>&1
            ($verbose | Out-String) | Should -Match ([regex]::Escape($dead))
            Test-Path -LiteralPath $dead | Should -BeFalse
            Test-Path -LiteralPath $live | Should -BeTrue
            (Import-ZipFitDataset -LiteralPath $out).Text | Should -Be @('one', 'two')
        } finally {
            $held.Dispose()
        }
        # Once nobody holds it, the next export cleans it up too.
        'three' | Export-ZipFitDataset $out -Force
        Test-Path -LiteralPath $live | Should -BeFalse
        @(Get-ChildItem -LiteralPath $dir -Force -Filter '*.partial').Count | Should -Be 0
    }
}
