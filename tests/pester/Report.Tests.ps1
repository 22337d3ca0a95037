# Export-ZipFitReport: one self-contained HTML file (inline SVG plots, tables, no script, no external
# resource), hostile texts escaped, empty and single inputs, bad scores as non-terminating errors,
# -Force/OutputExists; and, where Debian's chromium is installed, a headless render with no external
# request and no console error.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    $script:Dir = New-TestDirectory
    $script:Target = Import-ZipFitDataset (Join-Path $ExampleData 'target.jsonl') | New-ZipFitTarget
    $script:Pool = Join-Path $ExampleData 'pool.jsonl'

    # The rows of the table with this id: one string per <tr> (the header row excluded).
    function Get-TableRows([string] $Html, [string] $Id) {
        $m = [regex]::Match($Html, "<table[^>]*id=""$Id""[^>]*>(.*?)</table>", 'Singleline')
        if (-not $m.Success) { return $null }
        @([regex]::Matches($m.Groups[1].Value, '<tr[^>]*>(.*?)</tr>', 'Singleline') | ForEach-Object { $_.Value } | Where-Object { $_ -notmatch '<th>' })
    }

    # The text of each cell of a row, HTML entities decoded.
    function Get-Cells([string] $Row) {
        @([regex]::Matches($Row, '<td[^>]*>(.*?)</td>', 'Singleline') | ForEach-Object { [Net.WebUtility]::HtmlDecode($_.Groups[1].Value) })
    }

    # References that would make the browser fetch something: src/href/url()/@import/srcset pointing off the page.
    function Get-ExternalReferences([string] $Html) {
        @([regex]::Matches($Html, '(?i)(\b(src|href|srcset|action|data|poster|xlink:href)\s*=\s*["'']?\s*(https?:|//|ftp:|ws:))|(url\(\s*["'']?\s*(https?:|//))|(@import)') | ForEach-Object { $_.Value })
    }

    $script:Chromium = (Get-Command chromium, chromium-browser -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source

    # Renders a file in headless chromium: the dumped DOM, the URLs the browser asked the network for
    # (from its net log), and the console messages.
    function Invoke-Chromium([string] $File) {
        $profileDir = New-TestDirectory
        $netLog = Join-Path $profileDir 'netlog.json'
        $stderrFile = Join-Path $profileDir 'stderr.txt'
        $chromiumArgs = @('--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
            '--disable-sync', '--no-first-run', "--user-data-dir=$profileDir", '--enable-logging=stderr', '--v=0',
            "--log-net-log=$netLog", '--dump-dom', [Uri]::new($File, [UriKind]::Absolute).AbsoluteUri)
        $dom = & $Chromium @chromiumArgs 2> $stderrFile | Out-String
        $log = if (Test-Path $netLog) { Get-Content -LiteralPath $netLog -Raw } else { '' }
        # The browser's own background calls (clock, updates, account probe) are not the page's.
        $browserOwn = '^https?://(clients2\.google\.com|update\.googleapis\.com|accounts\.google\.com)/'
        $urls = @([regex]::Matches($log, '"url":"([^"]+)"') | ForEach-Object { $_.Groups[1].Value } | Sort-Object -Unique |
            Where-Object { $_ -match '^(https?|wss?|ftp):' -and $_ -notmatch $browserOwn })
        $console = @(Get-Content -LiteralPath $stderrFile | Where-Object { $_ -match 'CONSOLE|Uncaught|Refused to' })
        Remove-Item -LiteralPath $profileDir -Recurse -Force -ErrorAction SilentlyContinue
        [pscustomobject]@{ Dom = $dom; Requests = $urls; Console = $console }
    }
}

AfterAll {
    Remove-Item -LiteralPath $Dir -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'A report of a scored pool' {
    BeforeAll {
        $script:Scored = @(Import-ZipFitDataset $Pool | Get-ZipFitScore -Target $Target -NoCache)
        $script:ReportFile = Join-Path $Dir 'report.html'
        $script:File = $Scored | Export-ZipFitReport $ReportFile -Top 25 -GroupBy domain -Title 'Pool report' -PassThru
        $script:Html = Get-Content -LiteralPath $ReportFile -Raw
    }

    It 'writes one HTML file and outputs it with -PassThru' {
        $File | Should -BeOfType System.IO.FileInfo
        $File.FullName | Should -Be $ReportFile
        $Html | Should -Match '^<!DOCTYPE html>'
        @(Get-ChildItem -LiteralPath $Dir -Force | Where-Object Name -like '*zipfit-tmp*').Count | Should -Be 0
    }

    It 'has the histogram and the length plot as inline SVG' {
        $Html | Should -Match '<figure id="histogram"[^>]*><svg'
        $Html | Should -Match '<figure id="scatter"[^>]*><svg'
        ([regex]::Matches($Html, '<svg')).Count | Should -Be 2
        # The histogram's bars and the scatter's points are drawn, not just axes.
        ([regex]::Matches($Html, '<polygon|<path|<rect')).Count | Should -BeGreaterThan 50
    }

    It 'prints the correlation of the score with log length, as computed here' {
        $x = $Scored | ForEach-Object { [math]::Log10([math]::Max(1, $_.Bytes)) }
        $y = $Scored | ForEach-Object { $_.Score }
        $mx = ($x | Measure-Object -Average).Average; $my = ($y | Measure-Object -Average).Average
        $sxy = 0.0; $sxx = 0.0; $syy = 0.0
        for ($i = 0; $i -lt $x.Count; $i++) { $sxy += ($x[$i] - $mx) * ($y[$i] - $my); $sxx += ($x[$i] - $mx) * ($x[$i] - $mx); $syy += ($y[$i] - $my) * ($y[$i] - $my) }
        $r = $sxy / [math]::Sqrt($sxx * $syy)
        $Html | Should -Match ('r = ' + [regex]::Escape($r.ToString('F3', [cultureinfo]::InvariantCulture)))
    }

    It 'shows the best 20 in the order Select-ZipFitTop picks them' {
        $rows = @(Get-TableRows $Html 'best')
        $rows.Count | Should -Be 20
        $expected = @($Scored | Select-ZipFitTop 20)
        for ($i = 0; $i -lt 20; $i++) {
            $cells = Get-Cells $rows[$i]
            $cells[0] | Should -Be $expected[$i].Id
            $cells[1] | Should -Be $expected[$i].Source
            $cells[2] | Should -Be $expected[$i].Score.ToString('F6', [cultureinfo]::InvariantCulture)
        }
    }

    It 'shows the worst 20, worst last' {
        $rows = @(Get-TableRows $Html 'worst')
        $rows.Count | Should -Be 20
        $worst = @($Scored | Sort-Object Score | Select-Object -First 20)
        (Get-Cells $rows[19])[0] | Should -Be $worst[0].Id
    }

    It 'shows the 10 above and the 10 below the cut, with the line after the 25th' {
        $rows = @(Get-TableRows $Html 'at-cut')
        $rows.Count | Should -Be 20
        $ranked = @($Scored | Select-ZipFitTop 35)
        for ($i = 0; $i -lt 20; $i++) { (Get-Cells $rows[$i])[0] | Should -Be $ranked[15 + $i].Id }
        $rows[10] | Should -Match '^<tr class="cut">'
        @($rows | Where-Object { $_ -match 'class="cut"' }).Count | Should -Be 1
    }

    It 'counts each group in the pool and in the selection' {
        $rows = @(Get-TableRows $Html 'group-table')
        $selected = @($Scored | Select-ZipFitTop 25)
        foreach ($g in ($Scored | Group-Object { $_.Record.domain })) {
            $row = $rows | Where-Object { (Get-Cells $_)[0] -eq $g.Name }
            $row | Should -Not -BeNullOrEmpty -Because "group $($g.Name)"
            $cells = Get-Cells $row
            $cells[1] | Should -Be $g.Count
            $cells[3] | Should -Be @($selected | Where-Object { $_.Record.domain -eq $g.Name }).Count
        }
    }

    It 'names the method identity with its count, and the cut' {
        $rows = @(Get-TableRows $Html 'method-table')
        $rows.Count | Should -Be 1
        (Get-Cells $rows[0]) | Should -Be @($Scored[0].Method, '400')
        $Html | Should -Match 'the best 25; 25 selected'
    }

    It 'needs no script and references nothing outside the file' {
        $Html | Should -Not -Match '<script'
        $Html | Should -Not -Match '(?i)\son[a-z]+\s*='
        Get-ExternalReferences $Html | Should -BeNullOrEmpty
        $Html | Should -Match "Content-Security-Policy"
    }

    It 'the reference check finds an external image or stylesheet' {
        Get-ExternalReferences '<img src="https://cdn.example.com/x.png">' | Should -Not -BeNullOrEmpty
        Get-ExternalReferences '<link rel="stylesheet" href="//cdn.example.com/x.css">' | Should -Not -BeNullOrEmpty
        Get-ExternalReferences '<div style="background:url(http://x/y.png)">' | Should -Not -BeNullOrEmpty
    }
}

Describe 'A -MinScore cut' {
    It 'keeps the scores at or above it and shows 10 on each side' {
        $scored = @(Import-ZipFitDataset $Pool | Get-ZipFitScore -Target $Target -NoCache)
        $min = 0.1
        $kept = @($scored | Select-ZipFitTop -MinScore $min)
        $path = Join-Path $Dir 'min.html'
        $scored | Export-ZipFitReport $path -MinScore $min
        $html = Get-Content -LiteralPath $path -Raw
        $html | Should -Match "score ≥ 0\.1; $($kept.Count) selected"
        $rows = @(Get-TableRows $html 'at-cut')
        $rows.Count | Should -Be 20
        (Get-Cells $rows[9])[0] | Should -Be $kept[-1].Id
        [double](Get-Cells $rows[10])[2] | Should -BeLessThan $min
        $rows[10] | Should -Match 'class="cut"'
    }
}

Describe '-Top and -MinScore together' {
    It 'cuts where the minimum binds and shows the scores below it after the line' {
        $scored = @(Import-ZipFitDataset $Pool | Get-ZipFitScore -Target $Target -NoCache)
        $min = 0.1
        $kept = @($scored | Select-ZipFitTop 1000 -MinScore $min)
        $kept.Count | Should -BeLessThan 1000
        $path = Join-Path $Dir 'top-min.html'
        $scored | Export-ZipFitReport $path -Top 1000 -MinScore $min
        $html = Get-Content -LiteralPath $path -Raw
        $html | Should -Match "the best 1,000, score ≥ 0\.1; $($kept.Count) selected"
        $rows = @(Get-TableRows $html 'at-cut')
        $rows.Count | Should -Be 20
        $ranked = @($scored | Select-ZipFitTop ($kept.Count + 10))
        for ($i = 0; $i -lt 20; $i++) { (Get-Cells $rows[$i])[0] | Should -Be $ranked[$kept.Count - 10 + $i].Id }
        $rows[10] | Should -Match '^<tr class="cut">'
    }
}

Describe 'Several methods given together' {
    It 'reports the overlap of their best K' {
        $examples = @(Import-ZipFitDataset $Pool)
        $a = @($examples | Get-ZipFitScore -Target $Target -NoCache)
        $b = @($examples | Get-ZipFitScore -Target $Target -NoCache -Method Dsir)
        $a[0].Method | Should -Not -Be $b[0].Method
        $path = Join-Path $Dir 'methods.html'
        @($a) + @($b) | Export-ZipFitReport $path -Top 30
        $html = Get-Content -LiteralPath $path -Raw
        $topA = @($a | Select-ZipFitTop 30).Id
        $topB = @($b | Select-ZipFitTop 30).Id
        $shared = @($topA | Where-Object { $topB -contains $_ }).Count
        $rows = @(Get-TableRows $html 'overlap')
        $rows.Count | Should -Be 1
        $cells = Get-Cells $rows[0]
        @($cells[0], $cells[1]) | Should -Be @(@($a[0].Method, $b[0].Method) | Sort-Object -Culture '')
        $cells[2] | Should -Be $shared
        @(Get-TableRows $html 'method-table').Count | Should -Be 2
    }
}

Describe 'Hostile texts' {
    It 'escapes ids, texts, sources, group values and the title' {
        $evil = '<script>alert(1)</script>'
        $file = Join-Path $Dir 'evil.jsonl'
        Write-Jsonl $file @(
            [ordered]@{ id = $evil; text = "$evil & <img src=x onerror=alert(2)>"; domain = $evil; zipfit_score = 0.5 }
            [ordered]@{ id = 'plain'; text = 'x = 1'; domain = '"quoted" & ''single'''; zipfit_score = 0.25 }
        )
        $path = Join-Path $Dir 'evil.html'
        Import-ZipFitDataset $file | Export-ZipFitReport $path -Top 1 -GroupBy domain -Title "Report $evil"
        $html = Get-Content -LiteralPath $path -Raw
        $html | Should -Not -Match '<script'
        $html | Should -Not -Match '<img'
        $html | Should -Match '&lt;script&gt;alert\(1\)&lt;/script&gt;'
        $html | Should -Match '<title>Report &lt;script&gt;'
        (Get-Cells @(Get-TableRows $html 'best')[0])[0] | Should -Be $evil
        (Get-Cells @(Get-TableRows $html 'best')[0])[4] | Should -Be "$evil & <img src=x onerror=alert(2)>"
        @(Get-TableRows $html 'group-table' | ForEach-Object { (Get-Cells $_)[0] }) | Sort-Object | Should -Be (@($evil, '"quoted" & ''single''') | Sort-Object)
    }
}

Describe 'Empty and tiny inputs' {
    It 'writes a report that says there is nothing to show, with a warning, for no input' {
        $path = Join-Path $Dir 'empty.html'
        @() | Export-ZipFitReport $path -Top 10 -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -Match 'nothing to show'
        $html = Get-Content -LiteralPath $path -Raw
        $html | Should -Match 'id="empty"'
        $html | Should -Not -Match '<svg'
        $html | Should -Not -Match '<script'
    }

    It 'reports a single example' {
        $path = Join-Path $Dir 'one.html'
        'def f(x): return x + 1' | Get-ZipFitScore -Target $Target -NoCache | Export-ZipFitReport $path -Top 1
        $html = Get-Content -LiteralPath $path -Raw
        ([regex]::Matches($html, '<svg')).Count | Should -Be 2
        @(Get-TableRows $html 'best').Count | Should -Be 1
        @(Get-TableRows $html 'worst').Count | Should -Be 1
        $html | Should -Match 'r = n/a'
        $html | Should -Match 'the best 1; 1 selected'
    }
}

Describe 'Bad scores in re-imported files' {
    It 'writes ZipFit.InvalidScore for a score that is not a number, naming file:line, and reports the rest' {
        $file = Join-Path $Dir 'bad-scores.jsonl'
        Write-Jsonl $file @(
            [ordered]@{ id = 'a'; text = 'alpha'; zipfit_score = 0.5 }
            [ordered]@{ id = 'b'; text = 'beta'; zipfit_score = 'high' }
            [ordered]@{ id = 'c'; text = 'gamma'; zipfit_score = 0.1 }
            [ordered]@{ id = 'd'; text = 'delta' }
            [ordered]@{ id = 'e'; text = 'epsilon'; zipfit_score = $true }
        )
        $path = Join-Path $Dir 'bad.html'
        Import-ZipFitDataset $file | Export-ZipFitReport $path -ErrorVariable errs -ErrorAction SilentlyContinue
        @($errs | ForEach-Object { Get-ErrorId $_ }) | Should -Be @('ZipFit.InvalidScore', 'ZipFit.NoScore', 'ZipFit.InvalidScore')
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidData'
        "$($errs[0])" | Should -Match ([regex]::Escape('bad-scores.jsonl:2'))
        "$($errs[0])" | Should -Match "'high' is not a number"
        "$($errs[1])" | Should -Match 'bad-scores.jsonl:4'
        $errs[0].TargetObject.Id | Should -Be 'b'
        $html = Get-Content -LiteralPath $path -Raw
        @(Get-TableRows $html 'best' | ForEach-Object { (Get-Cells $_)[0] }) | Should -Be @('a', 'c')
    }

    It 'stops the pipeline with the same id under -ErrorAction Stop' {
        $file = Join-Path $Dir 'bad-one.jsonl'
        Write-Jsonl $file @([ordered]@{ id = 'b'; text = 'beta'; zipfit_score = 'x' })
        { Import-ZipFitDataset $file | Export-ZipFitReport (Join-Path $Dir 'stop.html') -ErrorAction Stop } | Should -Throw -ErrorId 'ZipFit.InvalidScore,ZipFit.Commands.ExportZipFitReportCommand'
    }
}

Describe 'Existing files' {
    It 'refuses to overwrite without -Force (ZipFit.OutputExists) and replaces with it' {
        $path = Join-Path $Dir 'exists.html'
        Set-Content -LiteralPath $path -Value 'keep me'
        $scored = 'def f(): pass' | Get-ZipFitScore -Target $Target -NoCache
        { $scored | Export-ZipFitReport $path } | Should -Throw -ErrorId 'ZipFit.OutputExists,ZipFit.Commands.ExportZipFitReportCommand'
        (Get-Content -LiteralPath $path -Raw).Trim() | Should -Be 'keep me'
        $scored | Export-ZipFitReport $path -Force
        Get-Content -LiteralPath $path -Raw | Should -Match '^<!DOCTYPE html>'
        @(Get-ChildItem -LiteralPath $Dir -Force | Where-Object Name -like '*zipfit-tmp*').Count | Should -Be 0
    }

    It '-WhatIf writes nothing' {
        $path = Join-Path $Dir 'whatif.html'
        'x' | Get-ZipFitScore -Target $Target -NoCache | Export-ZipFitReport $path -WhatIf
        Test-Path -LiteralPath $path | Should -BeFalse
    }
}

Describe 'Rendered by headless chromium' {
    BeforeAll {
        $script:Rendered = $null
        if ($Chromium) {
            $path = Join-Path $Dir 'chromium.html'
            Import-ZipFitDataset $Pool | Get-ZipFitScore -Target $Target -NoCache | Export-ZipFitReport $path -Top 50 -GroupBy domain
            $script:Rendered = Invoke-Chromium $path
        }
    }

    It 'the net-log and console checks catch an external request and a script error' {
        if (-not $Chromium) { Set-ItResult -Skipped -Because 'chromium is not installed (apt-get install chromium); CI does not install it' ; return }
        $control = Join-Path $Dir 'control.html'
        Set-Content -LiteralPath $control -Value '<!DOCTYPE html><html><body><img src="http://example.invalid/x.png"><script>notDefined()</script></body></html>'
        $r = Invoke-Chromium $control
        $r.Requests | Should -Contain 'http://example.invalid/x.png'
        ($r.Console -join "`n") | Should -Match 'notDefined'
    }

    It 'renders the plots and tables with no external request and no console message' {
        if (-not $Chromium) { Set-ItResult -Skipped -Because 'chromium is not installed (apt-get install chromium); CI does not install it' ; return }
        $Rendered.Requests | Should -BeNullOrEmpty
        $Rendered.Console | Should -BeNullOrEmpty
        $Rendered.Dom | Should -Match '<svg'
        $Rendered.Dom | Should -Match 'id="best"'
        $Rendered.Dom | Should -Match 'id="at-cut"'
        $Rendered.Dom | Should -Match 'id="group-table"'
        $Rendered.Dom | Should -Not -Match '<script'
    }
}
