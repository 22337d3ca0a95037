# The SQLite cache: identical scores, warm runs from the cache, inspection and clearing, bad cache files.
. $PSScriptRoot/_Helpers.ps1
$dir = New-TestDirectory
try {
    $cachePath = Join-Path $dir 'scores.db'
    $target = Import-ZipFitDataset (Join-Path $Fixtures 'target.jsonl') | ForEach-Object { $i = 0 } { if ($i++ -lt 25) { $_ } } | New-ZipFitTarget
    $pool = @(Import-ZipFitDataset (Join-Path $Fixtures 'source.jsonl'))

    $plain = @($pool | Get-ZipFitScore -Target $target -NoCache)
    $cold = @($pool | Get-ZipFitScore -Target $target -CachePath $cachePath)
    $warmLog = $( $warm = @($pool | Get-ZipFitScore -Target $target -CachePath $cachePath -Verbose) ) 4>&1
    for ($i = 0; $i -lt $plain.Count; $i++) {
        Assert-Equal $plain[$i].Score $cold[$i].Score "cold score $i"
        Assert-Equal $plain[$i].Score $warm[$i].Score "warm score $i"
    }
    Assert-True ("$warmLog" -match '60 scores from the cache, 0 pair lengths reused, 0 computed') "warm run: $warmLog"

    $info = Get-ZipFitCache -CachePath $cachePath
    Assert-Equal 60 $info.ScoreRows 'score rows'
    Assert-Equal 60 $info.PairRows 'pair rows'
    Assert-True ($info.Compressors[0] -like 'gzip-9/*zlib-*') 'compressor recorded'

    Clear-ZipFitCache -CachePath $cachePath -WhatIf
    Assert-Equal 60 (Get-ZipFitCache -CachePath $cachePath).ScoreRows '-WhatIf clears nothing'
    Clear-ZipFitCache -CachePath $cachePath -Force
    Assert-Equal 0 (Get-ZipFitCache -CachePath $cachePath).ScoreRows 'cleared'

    # A file that is not a cache: a clear error before any work, and the file untouched.
    $notes = Join-Path $dir 'notes.txt'
    [System.IO.File]::WriteAllText($notes, 'do not touch')
    Assert-Throws { $pool | Get-ZipFitScore -Target $target -CachePath $notes } 'ZipFit.NotACache' | Out-Null
    Assert-Equal 'do not touch' ([System.IO.File]::ReadAllText($notes)) 'the user file is untouched'

    # An unusable location: a warning, and scoring goes on without the cache.
    $blocked = Join-Path $notes 'cache.db'
    $scored = @($pool | Get-ZipFitScore -Target $target -CachePath $blocked -WarningVariable warnings -WarningAction SilentlyContinue)
    Assert-Equal 60 $scored.Count 'scored without the cache'
    Assert-True ($warnings.Count -ge 1 -and "$($warnings[0])" -match 'without it') "warning: $warnings"
}
finally {
    Remove-Item -LiteralPath $dir -Recurse -Force
}
