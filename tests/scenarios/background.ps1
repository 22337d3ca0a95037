# -Background: the O(N) methods' sample given up front, so that shards of one pool score alike.
. $PSScriptRoot/_Helpers.ps1
$poolPath = Join-Path $Fixtures 'source.jsonl'
$target = Import-ZipFitDataset (Join-Path $Fixtures 'target.jsonl') | New-ZipFitTarget
$pool = @(Import-ZipFitDataset $poolPath)
$sample = $pool[0..39]

# The same sample given explicitly or taken from the head of the stream: the same method, the same scores.
$fromHead = @($pool | Get-ZipFitScore -Target $target -Method MultiViewXent -BackgroundSize 40 -NoCache)
$given = @($pool | Get-ZipFitScore -Target $target -Method MultiViewXent -Background $sample -NoCache)
Assert-Equal 60 $given.Count 'every example is scored'
Assert-Equal $fromHead[0].Method $given[0].Method 'the method names the same sample'
for ($i = 0; $i -lt 60; $i++) {
    Assert-Equal $pool[$i].Id $given[$i].Id "input order $i"
    Assert-Equal $fromHead[$i].Score $given[$i].Score "score $i"
}

# Shards scored with one shared sample give each example the score of the whole-pool run.
$byId = @{}
foreach ($s in $given) { $byId[$s.Id] = $s.Score }
$shards = foreach ($i in 0..2) {
    Get-ZipFitScore -Path $poolPath -Shard "$i/3" -Target $target -Method MultiViewXent -Background $sample -NoCache
}
$shards = @($shards)
Assert-Equal 60 $shards.Count 'the shards cover the pool'
foreach ($s in $shards) { Assert-Equal $byId[$s.Id] $s.Score "shard score of $($s.Id)" }
# Without it, a shard's sample is its own head, and the scores differ.
$own = @(Get-ZipFitScore -Path $poolPath -Shard '0/3' -Target $target -Method MultiViewXent -NoCache)
Assert-True ($own[0].Method -ne $given[0].Method) 'a shard alone samples its own head'

# Strings and objects with a text property serve as a sample too; a pipeline shorter than the sample is fine.
$texts = @($sample | ForEach-Object { $_.Text })
$fromStrings = @($pool[50..59] | Get-ZipFitScore -Target $target -Method Dsir -Background $texts -NoCache)
Assert-Equal 10 $fromStrings.Count 'a short stream is scored against the given sample'
$fromObjects = @($pool[50..59] | Get-ZipFitScore -Target $target -Method Dsir -Background ($texts | ForEach-Object { [pscustomobject]@{ text = $_ } }) -NoCache)
for ($i = 0; $i -lt 10; $i++) { Assert-Equal $fromStrings[$i].Score $fromObjects[$i].Score "strings and objects, $i" }

# Argument errors stop before any work.
Assert-Throws { 'x' | Get-ZipFitScore -Target 'y' -Background 'z' } 'ZipFit.BackgroundNotUsed' | Out-Null
Assert-Throws { 'x' | Get-ZipFitScore -Target 'y' -Method Dsir -Background 'z' -BackgroundSize 10 } 'ZipFit.BackgroundConflict' | Out-Null
Assert-Throws { 'x' | Get-ZipFitScore -Target 'y' -Method Dsir -Background @() } 'ZipFit.EmptyBackground' | Out-Null
$err = Assert-Throws { 'x' | Get-ZipFitScore -Target 'y' -Method Dsir -Background 'a', ([pscustomobject]@{ body = 'b' }) } 'ZipFit.InvalidBackgroundItem'
Assert-Equal 'InvalidArgument' $err.CategoryInfo.Category.ToString() 'category'
Assert-Equal 'b' $err.TargetObject.body 'the offending item is the target object'
Assert-True ($err.Exception.Message -match 'item 2') "the message names the item: $($err.Exception.Message)"
