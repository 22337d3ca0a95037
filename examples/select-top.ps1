# Selects the Python functions out of a mixed pool of 400 real examples (examples/data),
# scoring each against 40 target examples with exact ZIP-FIT (gzip-9), and prints the best.
#   dotnet tool restore && dotnet pwsh -NoProfile -File ./build.ps1 -Task Example      (builds, then runs this)
#   pwsh -NoProfile -File examples/select-top.ps1 [-Top 10] [-OutFile top.jsonl]    (after a build)
param(
    [int] $Top = 10,
    [string] $OutFile
)
$ErrorActionPreference = 'Stop'

# ZipFit as already imported, or installed on $env:PSModulePath, or else the build's own copy.
if (-not (Get-Command Get-ZipFitScore -ErrorAction Ignore)) {
    $module = if ($env:ZIPFIT_EXAMPLE_MODULE) { $env:ZIPFIT_EXAMPLE_MODULE } else { Join-Path $PSScriptRoot '..' 'artifacts' 'ZipFit' 'ZipFit.psd1' }
    Import-Module $module
}
$data = Join-Path $PSScriptRoot 'data'

$target = Import-ZipFitDataset (Join-Path $data 'target.jsonl') | New-ZipFitTarget
"Target: $target"

$best = Import-ZipFitDataset (Join-Path $data 'pool.jsonl') |
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
