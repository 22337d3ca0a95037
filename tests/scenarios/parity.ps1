# Scores equal the Python reference (gzip.compress, levels 9 and 6) to 1e-12, in input order.
. $PSScriptRoot/_Helpers.ps1
$target = Import-ZipFitDataset (Join-Path $Fixtures 'target.jsonl') | New-ZipFitTarget
Assert-Equal 200 $target.Count 'target size'
Assert-True ($target.Compressor -like 'gzip-9/managed-zlib-1.2.13') "compressor identity: $($target.Compressor)"

foreach ($level in 9, 6) {
    $reference = Read-Tsv (Join-Path $Fixtures "scores-gzip$level.tsv")
    $scored = @(Import-ZipFitDataset (Join-Path $Fixtures 'source.jsonl') | Get-ZipFitScore -Target $target -Level $level -ThrottleLimit 2)
    Assert-Equal $reference.Count $scored.Count "every example scored at level $level"
    foreach ($s in $scored) {
        Assert-Close $reference[$s.Id] $s.Score 1e-12 "$($s.Id) at level $level"
        Assert-True ($s.Compressor -like "gzip-$level/managed-zlib-1.2.13") "compressor on each result: $($s.Compressor)"
    }
}

# The fast path reads the file in the core and gives the same scores in the same order.
$viaPath = @(Get-ZipFitScore -Path (Join-Path $Fixtures 'source.jsonl') -Target $target)
$viaPipe = @(Import-ZipFitDataset (Join-Path $Fixtures 'source.jsonl') | Get-ZipFitScore -Target $target -ThrottleLimit 1)
Assert-Equal $viaPipe.Count $viaPath.Count 'same count'
for ($i = 0; $i -lt $viaPath.Count; $i++) {
    Assert-Equal $viaPipe[$i].Id $viaPath[$i].Id "order at $i"
    Assert-Equal $viaPipe[$i].Score $viaPath[$i].Score "score at $i"
}

