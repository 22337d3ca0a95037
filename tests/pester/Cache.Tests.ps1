# The SQLite cache: identical scores, warm runs from the cache, inspection and clearing, bad cache files;
# and under real processes: killed mid-run, shared by concurrent processes, full or read-only disks.
BeforeAll { . (Join-Path $PSScriptRoot 'Common.ps1') }

Describe 'The cache in one session' {
    BeforeAll {
        $cachePath = Join-Path $TestDrive 'scores.db'
        $target = Import-ZipFitDataset (Join-Path $Fixtures 'target.jsonl') | Select-Object -First 25 | New-ZipFitTarget
        $pool = @(Import-ZipFitDataset (Join-Path $Fixtures 'source.jsonl'))
        $plain = @($pool | Get-ZipFitScore -Target $target -NoCache)
        $cold = @($pool | Get-ZipFitScore -Target $target -CachePath $cachePath)
        $warmLog = $($warm = @($pool | Get-ZipFitScore -Target $target -CachePath $cachePath -Verbose)) 4>&1
    }

    It 'cold and warm runs give the uncached scores' {
        $cold.Score | Should -Be $plain.Score
        $warm.Score | Should -Be $plain.Score
    }

    It 'the warm run comes from the cache' {
        "$warmLog" | Should -Match '60 scores from the cache, 0 pair lengths reused, 0 computed'
    }

    It 'Get-ZipFitCache shows what it holds' {
        $info = Get-ZipFitCache -CachePath $cachePath
        $info.ScoreRows | Should -Be 60
        $info.PairRows | Should -Be 60
        $info.Compressors[0] | Should -BeLike 'gzip-9/*zlib-*'
        $info.Path | Should -Be $cachePath
        $info.SchemaVersion | Should -Be 5
        $info.ContentHash | Should -Be 'xxh3-128'
    }

    It 'Get-ZipFitCache takes the path from the pipeline by property name' {
        (Get-Item $cachePath | Select-Object @{ n = 'CachePath'; e = { $_.FullName } } | Get-ZipFitCache).ScoreRows | Should -Be 60
    }

    It 'Clear-ZipFitCache -WhatIf clears nothing; -Force clears' {
        Clear-ZipFitCache -CachePath $cachePath -WhatIf 6>$null
        (Get-ZipFitCache -CachePath $cachePath).ScoreRows | Should -Be 60
        Clear-ZipFitCache -CachePath $cachePath -Force
        (Get-ZipFitCache -CachePath $cachePath).ScoreRows | Should -Be 0
    }

    It 'Clear-ZipFitCache -Compressor clears one compressor only' {
        $path = Join-Path $TestDrive 'two.db'
        $pool | Get-ZipFitScore -Target $target -CachePath $path | Out-Null
        $pool | Get-ZipFitScore -Target $target -Compressor zstd -CachePath $path | Out-Null
        (Get-ZipFitCache -CachePath $path).ScoreRows | Should -Be 120
        Clear-ZipFitCache -CachePath $path -Compressor gzip-9 -Force
        $info = Get-ZipFitCache -CachePath $path
        $info.ScoreRows | Should -Be 60
        @($info.Compressors | Where-Object { $_ -like 'zstd*' }).Count | Should -Be 1
    }

    It 'a missing cache file is ZipFit.CacheNotFound' {
        { Get-ZipFitCache -CachePath (Join-Path $TestDrive 'none.db') -ErrorAction Stop } | Should -Throw -ErrorId 'ZipFit.CacheNotFound*'
    }

    It 'a file that is not a cache: ZipFit.NotACache before any work, and the file untouched' {
        $notes = Join-Path $TestDrive 'notes.txt'
        [IO.File]::WriteAllText($notes, 'do not touch')
        { $pool | Get-ZipFitScore -Target $target -CachePath $notes } | Should -Throw -ErrorId 'ZipFit.NotACache*'
        [IO.File]::ReadAllText($notes) | Should -Be 'do not touch'
    }

    It 'an unusable location: a warning, and scoring goes on without the cache' {
        $notes = Join-Path $TestDrive 'notes2.txt'
        [IO.File]::WriteAllText($notes, 'x')
        $scored = @($pool | Get-ZipFitScore -Target $target -CachePath (Join-Path $notes 'cache.db') -WarningVariable warnings -WarningAction SilentlyContinue)
        $scored.Count | Should -Be 60
        $warnings.Count | Should -BeGreaterOrEqual 1
        "$($warnings[0])" | Should -Match 'without it'
    }

    It 'the default location is $env:ZIPFIT_CACHE_DIR/cache.db' {
        'x' | Get-ZipFitScore -Target 'y' | Out-Null
        (Get-ZipFitCache).Path | Should -Be (Join-Path $env:ZIPFIT_CACHE_DIR 'cache.db')
    }
}

Describe 'The cache under real processes' {
    BeforeAll {
        $dir = New-TestDirectory
        $poolPath = New-BigPool (Join-Path $dir 'pool.jsonl') 8
        $targetPath = Join-Path $Fixtures 'target.jsonl'
        $poolSize = 480
        function Get-ScoreCommand([string] $CacheArgument) {
            "Get-ZipFitScore -Path '$poolPath' -Target (Import-ZipFitDataset '$targetPath') -ThrottleLimit 1 $CacheArgument -Verbose | " +
            'ForEach-Object { $_.Id + "`t" + $_.Score.ToString(''R'') }'
        }
        function ConvertFrom-ScoreLines([string] $Text) {
            $map = @{}
            foreach ($line in $Text -split "`r?`n") {
                $p = $line.Split("`t")
                if ($p.Count -eq 2) { $map[$p[0]] = [double]::Parse($p[1], [Globalization.CultureInfo]::InvariantCulture) }
            }
            $map
        }
        function Assert-SameScores([hashtable] $Expected, [hashtable] $Actual) {
            $Actual.Count | Should -Be $Expected.Count
            foreach ($k in $Expected.Keys) { $Actual[$k] | Should -Be $Expected[$k] -Because $k }
        }
        # Committed scores: merged, or staged by a run that had not reached its end (the next open merges them).
        function Get-ScoreRows([string] $Path) {
            try { [long](Invoke-SqliteScalar -Path $Path -Sql 'SELECT (SELECT count(*) FROM scores) + (SELECT count(*) FROM staged_scores)' -ReadOnly) } catch { 0 }
        }
        $run = Invoke-ChildPwsh (Get-ScoreCommand '-NoCache')
        $run.ExitCode | Should -Be 0 -Because $run.Err
        $reference = ConvertFrom-ScoreLines $run.Out
        $reference.Count | Should -Be $poolSize
    }
    AfterAll {
        Remove-Item -LiteralPath $dir -Recurse -Force -ErrorAction SilentlyContinue
    }

    # SIGTERM is what scancel and a requeue send first; Slurm's KillWait later brings SIGKILL.
    It 'a run ended by SIG<Signal> leaves a consistent cache and the next run computes only what is missing' -ForEach @(
        @{ Signal = 'KILL' }, @{ Signal = 'TERM' }
    ) {
        if ($Signal -eq 'TERM' -and $IsWindows) { Set-ItResult -Skipped -Because 'no SIGTERM on Windows'; return }
        $cachePath = Join-Path $dir "ended-by-$Signal.db"
        $victim = Start-ChildPwsh (Get-ScoreCommand "-CachePath '$cachePath'")
        $deadline = [DateTime]::UtcNow.AddMinutes(3)
        while ([DateTime]::UtcNow -lt $deadline -and -not $victim.HasExited) {
            if ((Test-Path -LiteralPath $cachePath) -and (Get-ScoreRows $cachePath) -gt 0) { break }
            Start-Sleep -Milliseconds 20
        }
        $victim.HasExited | Should -BeFalse -Because 'the run must still be going when it is ended'
        if ($Signal -eq 'KILL') { Stop-ChildPwsh $victim }
        else {
            & kill -s TERM $victim.Id
            $victim.WaitForExit(30000) | Should -BeTrue -Because 'SIGTERM must end the run'
            $victim.ExitCode | Should -Not -Be 0
        }
        Invoke-SqliteScalar -Path $cachePath -Sql 'PRAGMA integrity_check' | Should -Be 'ok'
        $kept = Get-ScoreRows $cachePath
        $kept | Should -BeGreaterOrEqual 1
        $kept | Should -BeLessThan $poolSize

        $rerun = Invoke-ChildPwsh (Get-ScoreCommand "-CachePath '$cachePath'")
        $rerun.ExitCode | Should -Be 0 -Because $rerun.Err
        Assert-SameScores $reference (ConvertFrom-ScoreLines $rerun.Out)
        $rerun.Out | Should -Match "$kept scores from the cache"
        Get-ScoreRows $cachePath | Should -Be $poolSize
    }

    It 'repeated kills never damage the cache and nothing committed is lost' {
        $cachePath = Join-Path $dir 'repeated.db'
        $previous = 0
        foreach ($delayMs in 900, 1500, 2200) {
            $victim = Start-ChildPwsh (Get-ScoreCommand "-CachePath '$cachePath'")
            Start-Sleep -Milliseconds $delayMs
            Stop-ChildPwsh $victim
            if (Test-Path -LiteralPath $cachePath) {
                Invoke-SqliteScalar -Path $cachePath -Sql 'PRAGMA integrity_check' | Should -Be 'ok'
            }
            # A kill before the schema's first commit leaves an empty database: no rows committed yet.
            $rows = if (Test-Path -LiteralPath $cachePath) { Get-ScoreRows $cachePath } else { 0 }
            $rows | Should -BeGreaterOrEqual $previous
            $previous = $rows
        }
        $last = Invoke-ChildPwsh (Get-ScoreCommand "-CachePath '$cachePath'")
        $last.ExitCode | Should -Be 0 -Because $last.Err
        Assert-SameScores $reference (ConvertFrom-ScoreLines $last.Out)
        Get-ScoreRows $cachePath | Should -Be $poolSize
    }

    It '<Processes> processes share one cache' -ForEach @(@{ Processes = 2 }, @{ Processes = 4 }) {
        $cachePath = Join-Path $dir "shared-$Processes.db"
        $children = @(1..$Processes | ForEach-Object { Start-ChildPwsh (Get-ScoreCommand "-CachePath '$cachePath'") })
        try {
            foreach ($child in $children) {
                $r = Wait-ChildPwsh $child
                $r.ExitCode | Should -Be 0 -Because $r.Err
                $r.Out | Should -Not -Match 'WARNING'
                Assert-SameScores $reference (ConvertFrom-ScoreLines $r.Out)
            }
        }
        finally {
            $children | ForEach-Object { Stop-ChildPwsh $_ }
        }
        Invoke-SqliteScalar -Path $cachePath -Sql 'PRAGMA integrity_check' | Should -Be 'ok'
        Get-ScoreRows $cachePath | Should -Be $poolSize
    }

    Context 'Full and read-only disks (a small tmpfs: needs root and mount)' {
        BeforeAll {
            function New-Tmpfs([string] $SizeKb) {
                $path = New-TestDirectory
                & mount -t tmpfs -o "size=${SizeKb}k" tmpfs $path 2>$null
                if ($LASTEXITCODE -ne 0) { Remove-Item -LiteralPath $path; return $null }
                $path
            }
            function Remove-Tmpfs([string] $Path) {
                & umount -l $Path 2>$null
                Remove-Item -LiteralPath $Path -Recurse -Force -ErrorAction SilentlyContinue
            }
            $probe = if ($IsLinux -and (Get-Command mount -ErrorAction Ignore)) { New-Tmpfs 64 }
            $canMount = [bool]$probe
            if ($probe) { Remove-Tmpfs $probe }
        }

        It 'a full disk: a warning for the cache, ZipFit.WriteFailed for the export, the old output kept' {
            if (-not $canMount) { Set-ItResult -Skipped -Because 'mounting a tmpfs needs root'; return }
            $disk = New-Tmpfs 256
            try {
                $output = Join-Path $disk 'top.jsonl'
                [IO.File]::WriteAllText($output, "{`"kept`":true}`n")
                $r = Invoke-ChildPwsh (Get-ScoreCommand "-CachePath '$disk/cache.db'")
                $r.ExitCode | Should -Be 0 -Because $r.Err
                $r.Out | Should -Match 'WARNING'
                Assert-SameScores $reference (ConvertFrom-ScoreLines $r.Out)

                # Fill the disk so the export cannot fit.
                $filler = [IO.FileStream]::new((Join-Path $disk 'filler'), 'Create')
                try { $filler.Write([byte[]]::new(1MB), 0, 1MB) } catch { } finally { try { $filler.Dispose() } catch { } }
                $export = Invoke-ChildPwsh "Get-ZipFitScore -Path '$poolPath' -Target 'def f(): pass' -NoCache | Export-ZipFitDataset '$output' -Force"
                $export.ExitCode | Should -Not -Be 0
                $export.Err | Should -Match 'ZipFit.WriteFailed'
                [IO.File]::ReadAllText($output) | Should -Be "{`"kept`":true}`n"
                @(Get-ChildItem -LiteralPath $disk -Force -Filter '*.partial').Count | Should -Be 0
            }
            finally { Remove-Tmpfs $disk }
        }

        It 'a read-only cache location: a warning, and scores anyway' {
            if (-not $canMount) { Set-ItResult -Skipped -Because 'mounting a tmpfs needs root'; return }
            $disk = New-Tmpfs 1024
            try {
                & mount -o remount, ro $disk
                $LASTEXITCODE | Should -Be 0
                $r = Invoke-ChildPwsh (Get-ScoreCommand "-CachePath '$disk/cache.db'")
                $r.ExitCode | Should -Be 0 -Because $r.Err
                $r.Out | Should -Match 'WARNING'
                Assert-SameScores $reference (ConvertFrom-ScoreLines $r.Out)
            }
            finally { Remove-Tmpfs $disk }
        }
    }
}

Describe 'An O(N) method through the cache, and where the time went' {
    BeforeAll {
        $cachePath = Join-Path $TestDrive 'on.db'
        $poolPath = Join-Path $Fixtures 'source.jsonl'
        $target = Import-ZipFitDataset (Join-Path $Fixtures 'target.jsonl') | Select-Object -First 25
        $plain = @(Get-ZipFitScore -Path $poolPath -Target $target -Method MultiViewXent -NoCache)
        $coldLog = $($cold = @(Get-ZipFitScore -Path $poolPath -Target $target -Method MultiViewXent -CachePath $cachePath -Verbose)) 4>&1
        $warmLog = $($warm = @(Get-ZipFitScore -Path $poolPath -Target $target -Method MultiViewXent -CachePath $cachePath -Verbose)) 4>&1
    }

    It 'a first run stores every score and a second run takes them all from the cache' {
        $cold.Score | Should -Be $plain.Score
        $warm.Score | Should -Be $plain.Score
        "$coldLog" | Should -Match '60 examples, 0 scores from the cache'
        "$warmLog" | Should -Match '60 examples, 60 scores from the cache'
        (Get-ZipFitCache -CachePath $cachePath).ScoreRows | Should -Be 60
    }

    It 'the first run''s scores (kept as sorted blocks) are cleared like any other' {
        $path = Join-Path $TestDrive 'on-clear.db'
        Get-ZipFitScore -Path $poolPath -Target $target -Method MultiViewXent -CachePath $path | Out-Null
        Invoke-SqliteScalar -Path $path -Sql 'SELECT count(*) FROM score_blocks' -ReadOnly | Should -BeGreaterThan 0
        Clear-ZipFitCache -CachePath $path -OlderThan ([datetime]::Now.AddDays(-1)) -Force
        (Get-ZipFitCache -CachePath $path).ScoreRows | Should -Be 60
        Clear-ZipFitCache -CachePath $path -Force
        (Get-ZipFitCache -CachePath $path).ScoreRows | Should -Be 0
        $log = $(Get-ZipFitScore -Path $poolPath -Target $target -Method MultiViewXent -CachePath $path -Verbose | Out-Null) 4>&1
        "$log" | Should -Match '60 examples, 0 scores from the cache'
    }

    It '-Verbose says where the time went' {
        $line = @($coldLog | Where-Object { "$_" -like 'Time:*' })
        $line.Count | Should -Be 1
        "$line" | Should -Match '^Time: on the pipeline thread, reading \d+\.\d s, scoring calls \d+\.\d s \(waiting for the scorers \d+\.\d s of it\), downstream commands \d+\.\d s; the scoring threads busy \d+\.\d s in all \(\d+ threads\)\.$'
    }
}
