# Selects the Python functions out of a mixed pool of 400 real examples (examples/data),
# scoring each against 40 target examples with exact ZIP-FIT (gzip-9), and prints the best.
#   dotnet run --project src/ZipFit.Host -c Release -- -File examples/select-top.ps1 [-Top 10] [-OutFile top.jsonl]
param(
    [int] $Top = 10,
    [string] $OutFile
)
$ErrorActionPreference = 'Stop'
$data = [System.IO.Path]::Combine($PSScriptRoot, 'data')

$target = Import-ZipFitDataset ([System.IO.Path]::Combine($data, 'target.jsonl')) | New-ZipFitTarget
"Target: $target"

$best = Import-ZipFitDataset ([System.IO.Path]::Combine($data, 'pool.jsonl')) |
    Get-ZipFitScore -Target $target |
    Select-ZipFitTop $Top

$python = 0
foreach ($example in $best) {
    if ($example.Record.domain -eq 'python') { $python++ }
    '{0,9:F6}  {1,-11} {2}' -f $example.Score, $example.Record.domain, $example.Id
}
"Top $Top`: $python are Python (the pool has 20 of 400)."

if ($OutFile) {
    $best | Export-ZipFitDataset $OutFile -IncludeScore -Force
    "Wrote $OutFile"
}
