# Parquet input (streamed by row group) and compressed JSONL output round-trip with the same scores.
. $PSScriptRoot/_Helpers.ps1
$dir = New-TestDirectory
try {
    $parquet = Join-Path $Fixtures 'source-30.parquet'
    $rows = @(Import-ZipFitDataset $parquet)
    Assert-Equal 30 $rows.Count 'every row of every row group'
    Assert-True ($rows[0].Source -like '*source-30.parquet:1') "row location: $($rows[0].Source)"
    Assert-Equal 12 $rows[12].Record.n 'typed columns travel with the record'
    Assert-True ($null -ne $rows[5].Record.domain) 'string columns travel with the record'

    $target = Import-ZipFitDataset (Join-Path $Fixtures 'target.jsonl') | ForEach-Object { $i = 0 } { if ($i++ -lt 20) { $_ } } | New-ZipFitTarget
    $fromJsonl = @{}
    foreach ($s in (Import-ZipFitDataset (Join-Path $Fixtures 'source.jsonl') | Get-ZipFitScore -Target $target -NoCache)) { $fromJsonl[$s.Id] = $s.Score }
    $fromParquet = @(Get-ZipFitScore -Path $parquet -Target $target -NoCache)
    Assert-Equal 30 $fromParquet.Count 'the -Path fast path reads Parquet'
    foreach ($s in $fromParquet) { Assert-Equal $fromJsonl[$s.Id] $s.Score "same score for $($s.Id)" }

    foreach ($ext in 'jsonl.zst', 'jsonl.gz') {
        $out = Join-Path $dir "top.$ext"
        $fromParquet | Select-ZipFitTop 7 | Export-ZipFitDataset $out -IncludeScore
        $back = @(Import-ZipFitDataset $out)
        Assert-Equal 7 $back.Count "round trip through .$ext"
        Assert-True ($null -ne $back[0].Record.n -and $null -ne $back[0].Record.zipfit_score) 'fields and score survive'
    }

    Import-ZipFitDataset $parquet -TextProperty body -ErrorVariable missing -ErrorAction SilentlyContinue | Out-Null
    Assert-True ($missing[0].FullyQualifiedErrorId -like 'ZipFit.MissingTextProperty,*') 'a missing text column is reported'
}
finally {
    Remove-Item -LiteralPath $dir -Recurse -Force
}
