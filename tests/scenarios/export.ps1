# Export keeps original fields, adds scores on request, writes .gz/.zst, and never overwrites silently.
. $PSScriptRoot/_Helpers.ps1
$dir = New-TestDirectory
try {
    $out = Join-Path $dir 'out.jsonl'
    $scored = @(Import-ZipFitDataset (Join-Path $Fixtures 'source.jsonl') | Get-ZipFitScore -Target 'def f(x):\n    return x' -Compressor zstd)
    $scored | Export-ZipFitDataset $out -IncludeScore
    $back = @(Import-ZipFitDataset $out)
    Assert-Equal $scored.Count $back.Count 'all records exported'
    Assert-Close $scored[3].Score $back[3].Record.zipfit_score 0 'the score is written exactly'
    Assert-Equal $scored[3].Record.domain $back[3].Record.domain 'original fields are kept'

    # An existing file is refused without -Force and left untouched.
    [System.IO.File]::WriteAllText($out, 'precious')
    Assert-Throws { $scored | Export-ZipFitDataset $out } 'ZipFit.OutputExists' | Out-Null
    Assert-Equal 'precious' ([System.IO.File]::ReadAllText($out)) 'the existing file is untouched'
    $scored | Export-ZipFitDataset $out -Force
    Assert-Equal $scored.Count ([System.IO.File]::ReadAllLines($out).Count) '-Force overwrites'

    foreach ($ext in 'jsonl.gz', 'jsonl.zst') {
        $path = Join-Path $dir "out.$ext"
        $scored | Select-ZipFitTop 5 | Export-ZipFitDataset $path -IncludeScore
        $round = @(Import-ZipFitDataset $path)
        Assert-Equal 5 $round.Count "round trip through .$ext"
    }

    # Strings and plain objects export too.
    'just text' | Export-ZipFitDataset (Join-Path $dir 'strings.jsonl')
    Assert-Equal '{"text":"just text"}' ([System.IO.File]::ReadAllText((Join-Path $dir 'strings.jsonl')).Trim()) 'a string becomes a text record'
    [pscustomobject]@{ name = 'n1'; text = 'hello'; n = 3 } | Export-ZipFitDataset (Join-Path $dir 'objects.jsonl')
    Assert-Equal '{"name":"n1","text":"hello","n":3}' ([System.IO.File]::ReadAllText((Join-Path $dir 'objects.jsonl')).Trim()) 'object properties are kept'
    Assert-Equal 0 @([System.IO.Directory]::GetFiles($dir, '*.partial')).Count 'no temporary files left'
}
finally {
    Remove-Item -LiteralPath $dir -Recurse -Force
}
