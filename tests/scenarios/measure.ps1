# Dataset-level alignment is the mean of 1 - NCD over all pairs (the mean of the per-example scores).
. $PSScriptRoot/_Helpers.ps1
$target = Import-ZipFitDataset (Join-Path $Fixtures 'target.jsonl') | ForEach-Object { $i = 0 } { if ($i++ -lt 20) { $_ } } | New-ZipFitTarget
$pool = @(Import-ZipFitDataset (Join-Path $Fixtures 'source.jsonl'))
$m = $pool | Measure-ZipFitAlignment -Target $target
Assert-Equal 60 $m.ExampleCount 'examples'
Assert-Equal 1200 $m.PairCount 'pairs'
$sum = 0.0
foreach ($s in ($pool | Get-ZipFitScore -Target $target)) { $sum += $s.Score }
Assert-Close ($sum / 60) $m.Alignment 1e-12 'mean alignment'

$python = @($pool | Where-Object { $_.Record.domain -eq 'python' } | Measure-ZipFitAlignment -Target $target)
$other = @($pool | Where-Object { $_.Record.domain -ne 'python' } | Measure-ZipFitAlignment -Target $target)
Assert-True ($python[0].Alignment -gt $other[0].Alignment) 'python code aligns better with a python target'
