# Shards of a pool, scored separately and concatenated, give the same global top-K as one run.
. $PSScriptRoot/_Helpers.ps1
$pool = Join-Path $Fixtures 'source.jsonl'
$target = Import-ZipFitDataset (Join-Path $Fixtures 'target.jsonl') | ForEach-Object { $i = 0 } { if ($i++ -lt 20) { $_ } } | New-ZipFitTarget

$single = @(Get-ZipFitScore -Path $pool -Target $target -NoCache | Select-ZipFitTop 15)
$parts = foreach ($i in 0..2) { Get-ZipFitScore -Path $pool -Target $target -Shard "$i/3" -NoCache }
$parts = @($parts)
Assert-Equal 60 $parts.Count 'the shards partition the pool'
$seen = @{}
foreach ($p in $parts) { Assert-True (-not $seen.ContainsKey($p.Id)) "$($p.Id) is in one shard only"; $seen[$p.Id] = 1 }
$merged = @($parts | Select-ZipFitTop 15)
for ($i = 0; $i -lt 15; $i++) {
    Assert-Equal $single[$i].Id $merged[$i].Id "rank $i"
    Assert-Equal $single[$i].Score $merged[$i].Score "score $i"
}

# Merging from files: each shard exported with its scores, read back, selected.
$dir = New-TestDirectory
try {
    foreach ($i in 0..2) {
        Get-ZipFitScore -Path $pool -Target $target -Shard "$i/3" -NoCache | Export-ZipFitDataset (Join-Path $dir "scored-$i.jsonl.zst") -IncludeScore
    }
    $fromFiles = @(Import-ZipFitDataset (Join-Path $dir 'scored-*.jsonl.zst') | Select-ZipFitTop 15)
    for ($i = 0; $i -lt 15; $i++) {
        Assert-Equal $single[$i].Id $fromFiles[$i].Id "rank $i from the shard files"
    }
}
finally {
    Remove-Item -LiteralPath $dir -Recurse -Force
}

$viaImport = @(foreach ($i in 0..2) { Import-ZipFitDataset $pool -Shard "$i/3" })
Assert-Equal 60 $viaImport.Count 'Import-ZipFitDataset -Shard partitions the same way'
Assert-Throws { Import-ZipFitDataset $pool -Shard '3/3' } 'ZipFit.InvalidShard' | Out-Null
