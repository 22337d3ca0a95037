# Very large and very many records, run as users run them: a separate pwsh process per run.
# Each prints the child's peak working set for docs/reliability.md; memory is reported, not asserted.
BeforeAll { . (Join-Path $PSScriptRoot 'Common.ps1') }

Describe 'Large input' {
    BeforeAll { $dir = New-TestDirectory }
    AfterAll { Remove-Item -LiteralPath $dir -Recurse -Force -ErrorAction SilentlyContinue }

    It 'a 50 MB text is scored between its neighbours (-MaxRecordBytes 64MB, over the 16 MiB default)' {
        $path = Join-Path $dir 'big.jsonl'
        $random = [Random]::new(5)
        $words = 'alpha', 'beta', 'gamma', 'delta', 'def', 'return', 'class', 'import'
        $writer = [IO.StreamWriter]::new($path, $false, [Text.UTF8Encoding]::new($false))
        try {
            $writer.Write("{`"id`":`"small`",`"text`":`"def f(): pass`"}`n{`"id`":`"big`",`"text`":`"")
            $chunk = [Text.StringBuilder]::new()
            for ($i = 0; $i -lt 200000; $i++) { [void]$chunk.Append($words[$random.Next(8)]).Append($(if ($random.Next(10) -eq 0) { '\n' } else { ' ' })) }
            $piece = $chunk.ToString()
            for ($written = 0L; $written -lt 50MB; $written += $piece.Length) { $writer.Write($piece) }
            $writer.Write("`"}`n{`"id`":`"after`",`"text`":`"x = 1`"}`n")
        }
        finally { $writer.Dispose() }
        $r = Invoke-ChildPwsh "Get-ZipFitScore -Path '$path' -Target 'def g(): return 1' -NoCache -MaxRecordBytes 64MB | ForEach-Object { `$_.Id + ' ' + `$_.Bytes }; 'PEAK_MB ' + [int]((Get-Process -Id `$PID).PeakWorkingSet64 / 1MB)"
        $r.ExitCode | Should -Be 0 -Because $r.Err
        $lines = @($r.Out -split "`r?`n" | Where-Object { $_ -and $_ -notlike 'PEAK_MB*' } | ForEach-Object { , $_.Trim().Split(' ') })
        Write-Host "    50 MB text: peak working set $(($r.Out -split "`r?`n" | Where-Object { $_ -like 'PEAK_MB*' }).Substring(8)) MB (child pwsh)"
        $lines | ForEach-Object { $_[0] } | Should -Be @('small', 'big', 'after')
        [long]$lines[1][1] | Should -BeGreaterThan 45MB
    }

    It 'a million tiny records stream through to the top 5' {
        $path = Join-Path $dir 'tiny.jsonl'
        $writer = [IO.StreamWriter]::new($path, $false, [Text.UTF8Encoding]::new($false))
        try { for ($i = 0; $i -lt 1000000; $i++) { $writer.Write("{`"id`":`"t$i`",`"text`":`"x$($i % 977)`"}`n") } }
        finally { $writer.Dispose() }
        $output = Join-Path $dir 'top.jsonl'
        $r = Invoke-ChildPwsh "Get-ZipFitScore -Path '$path' -Target 'x12' -NoCache -Verbose | Select-ZipFitTop 5 | Export-ZipFitDataset '$output' -IncludeScore -PassThru | ForEach-Object Length; 'PEAK_MB ' + [int]((Get-Process -Id `$PID).PeakWorkingSet64 / 1MB)" -TimeoutSeconds 600
        $r.ExitCode | Should -Be 0 -Because $r.Err
        $r.Out | Should -Match '1000000 examples'
        Write-Host "    1,000,000 records: peak working set $(($r.Out -split "`r?`n" | Where-Object { $_ -like 'PEAK_MB*' }).Substring(8)) MB (child pwsh)"
        $top = @(Get-Content -LiteralPath $output)
        $top.Count | Should -Be 5
        foreach ($line in $top) { $line | Should -Match '"zipfit_score":' }
    }
}
