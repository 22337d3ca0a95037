# Times ZipFit end to end on the small shared pool (2,000 × 200, exact gzip-9, no cache), to compare with
# bench/python/reference_zipfit.py on the same machine, in the pinned pwsh (after a Release build):
#   dotnet pwsh -NoProfile -File bench/score-small-pool.ps1 [-Data ../shared/data/python-code]
param([string] $Data = '../shared/data/python-code')
$ErrorActionPreference = 'Stop'
if (-not (Get-Command Get-ZipFitScore -ErrorAction Ignore)) { Import-Module (Join-Path $PSScriptRoot '..' 'artifacts' 'ZipFit' 'ZipFit.psd1') }
$sw = [Diagnostics.Stopwatch]::StartNew()
$target = Import-ZipFitDataset ([IO.Path]::Combine($Data, 'target.jsonl'))
$n = @(Get-ZipFitScore -Path ([IO.Path]::Combine($Data, 'source-small.jsonl')) -Target $target -NoCache).Count
$pairs = $n * @($target).Count
"$n examples x $(@($target).Count) targets: $($sw.Elapsed.TotalSeconds.ToString('F2')) s, $([int]($pairs / $sw.Elapsed.TotalSeconds)) pairs/s"
