<#
Compares Get-ZipFitScore -Compressor lzma-<preset> with Python's lzma.compress scores (an id<TAB>score file
from bench/python/lzma_reference.py) on the pool examples the file names. Prints the count and the largest
absolute difference; exits 1 if any differs by more than 1e-12.

    dotnet pwsh -NoProfile -File bench/lzma-parity.ps1 -Pool ../shared/data/python-code/source-small.jsonl `
        -Target ../shared/data/python-code/target.jsonl -Reference tests/fixtures/python-code/scores-small-lzma0.tsv -Preset 0
#>
param(
    [Parameter(Mandatory)] [string] $Pool,
    [Parameter(Mandatory)] [string] $Target,
    [Parameter(Mandatory)] [string] $Reference,
    [Parameter(Mandatory)] [string] $Preset,
    [string] $Module = (Join-Path $PSScriptRoot '..' 'artifacts' 'ZipFit' 'ZipFit.psd1')
)
$ErrorActionPreference = 'Stop'
Import-Module $Module
$expected = @{}
foreach ($line in Get-Content -LiteralPath $Reference | Select-Object -Skip 1) {
    $p = $line.Split("`t")
    $expected[$p[0]] = [double]::Parse($p[1], [Globalization.CultureInfo]::InvariantCulture)
}
$watch = [Diagnostics.Stopwatch]::StartNew()
$examples = Import-ZipFitDataset $Pool | Where-Object { $expected.ContainsKey($_.Id) }
$scores = @($examples | Get-ZipFitScore -Target (Import-ZipFitDataset $Target) -Compressor "lzma-$Preset" -NoCache)
$max = 0.0
foreach ($s in $scores) { $max = [math]::Max($max, [math]::Abs($s.Score - $expected[$s.Id])) }
"lzma-$Preset`: $($scores.Count) of $($expected.Count) reference examples, max |diff| $max, $([math]::Round($watch.Elapsed.TotalSeconds, 1)) s"
if ($scores.Count -ne $expected.Count -or $max -gt 1e-12) { exit 1 }
