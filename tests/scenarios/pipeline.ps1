# The README's one-line pipeline: import, score against a target, keep the top K, export.
. $PSScriptRoot/_Helpers.ps1
$dir = New-TestDirectory
try {
    $pool = Join-Path $Fixtures 'source.jsonl'
    $target = Join-Path $Fixtures 'target.jsonl'
    $out = Join-Path $dir 'top.jsonl'

    Import-ZipFitDataset $pool | Get-ZipFitScore -Target (Import-ZipFitDataset $target | New-ZipFitTarget) | Select-ZipFitTop 10 | Export-ZipFitDataset $out

    Assert-True (Test-Path $out) 'the export exists'
    $lines = [System.IO.File]::ReadAllLines($out)
    Assert-Equal 10 $lines.Count 'ten records exported'

    # The exported records are the ten best by the Python reference, best first, with every original field.
    $reference = Read-Tsv (Join-Path $Fixtures 'scores-gzip9.tsv')
    $expected = @($reference.GetEnumerator() | ForEach-Object { [pscustomobject]@{ Id = $_.Key; Score = $_.Value } })
    [array]::Sort([double[]]@($expected.Score)) # sanity: scores are numbers
    $top = [System.Collections.Generic.List[object]]::new()
    foreach ($e in $expected) { $top.Add($e) }
    $top.Sort([Comparison[object]] { param($a, $b) $b.Score.CompareTo($a.Score) })
    $exported = Import-ZipFitDataset $out
    for ($i = 0; $i -lt 10; $i++) {
        Assert-Equal $top[$i].Id $exported[$i].Id "rank $i"
        Assert-True ($null -ne $exported[$i].Record.domain) 'the domain field is kept'
    }
    Assert-True (-not ($lines[0] -match 'zipfit_score')) 'no score without -IncludeScore'
    Assert-Equal 0 @([System.IO.Directory]::GetFiles($dir, '*.partial')).Count 'no temporary file left'
}
finally {
    Remove-Item -LiteralPath $dir -Recurse -Force
}
