# Peak RSS of Export-ZipFitReport against the scoring run it follows (issue 18: within 100 MB).
#   python3 -c "..."   # any JSONL pool with id/text/domain; the 1M-record run used 40-400-character
#                      # slices of examples/data/pool.jsonl (267 MB)
#   /usr/bin/time -f '%M KB' dotnet pwsh -NoProfile -File bench/report-memory.ps1 -Pool big.jsonl -Mode score
#   /usr/bin/time -f '%M KB' dotnet pwsh -NoProfile -File bench/report-memory.ps1 -Pool big.jsonl -Mode report
# Measured (2 cores, 1M records, -Method Dsir, -Top 1000 -GroupBy domain): score 132 MB, report 195 MB;
# with -Top 100000 the report holds the best K + 10 and peaks at 296 MB.
param([Parameter(Mandatory)] [string] $Pool, [ValidateSet('score', 'report')] [string] $Mode = 'report', [int] $Top = 1000,
    [string] $Out = (Join-Path ([IO.Path]::GetTempPath()) 'zipfit-report-memory.html'))
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '..' 'artifacts' 'ZipFit' 'ZipFit.psd1')
$target = Import-ZipFitDataset (Join-Path $PSScriptRoot '..' 'examples' 'data' 'target.jsonl') | New-ZipFitTarget
$sw = [Diagnostics.Stopwatch]::StartNew()
if ($Mode -eq 'score') {
    Get-ZipFitScore -Path $Pool -Target $target -Method Dsir -NoCache | Out-Null
}
else {
    Get-ZipFitScore -Path $Pool -Target $target -Method Dsir -NoCache | Export-ZipFitReport $Out -Top $Top -GroupBy domain -Force
}
'{0}: {1:F1} s' -f $Mode, $sw.Elapsed.TotalSeconds
