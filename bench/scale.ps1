<#
The whole user path over a scale pool (zipfit-bench scale-pool), in real pwsh, as docs/scale.md reports it:

    Get-ZipFitScore -Path <pool> -Target $t -Method <method> | Select-ZipFitTop <top> | Export-ZipFitDataset <out>

Prints one markdown row: records, wall seconds, records/s, the pwsh process's peak RSS (VmHWM, so import and
startup count), the python share of the selection, and where the time went (Get-ZipFitScore's -Verbose timing
line). Run it with a fresh process per measurement:

    dotnet pwsh -NoProfile -File bench/scale.ps1 -Pool /work/scale/pool-1000000.jsonl.zst
    dotnet pwsh -NoProfile -File bench/scale.ps1 -Pool /work/scale/pool-100000.jsonl.zst -Method Ncd -NoCache

A warm run: the same -CachePath twice, with -KeepCache.
#>
param(
    [Parameter(Mandatory)] [string] $Pool,
    [string] $Target = (Join-Path $PSScriptRoot '..' '..' 'shared' 'data' 'python-code' 'target.jsonl'),
    [string] $Method = 'MultiViewXent',
    [int] $Top = 10000,
    [string] $Out = (Join-Path ([IO.Path]::GetTempPath()) 'zipfit-scale-top.jsonl.zst'),
    [string] $CachePath = (Join-Path ([IO.Path]::GetTempPath()) "zipfit-scale-$PID.db"),
    [switch] $NoCache,
    # Leave the cache file for the next run (a warm run: pass the same -CachePath again).
    [switch] $KeepCache,
    [string] $Module = (Join-Path $PSScriptRoot '..' 'artifacts' 'ZipFit' 'ZipFit.psd1')
)
$ErrorActionPreference = 'Stop'
Import-Module $Module
$t = Import-ZipFitDataset $Target
$cache = if ($NoCache) { @{ NoCache = $true } } else { @{ CachePath = $CachePath } }
$log = Join-Path ([IO.Path]::GetTempPath()) "zipfit-scale-$PID.log"
$watch = [Diagnostics.Stopwatch]::StartNew()
Get-ZipFitScore -Path $Pool -Target $t -Method $Method @cache -Verbose 4> $log | Select-ZipFitTop $Top | Export-ZipFitDataset $Out -Force
$seconds = $watch.Elapsed.TotalSeconds
$verbose = @(Get-Content -LiteralPath $log)
Remove-Item -LiteralPath $log
$peak = (Select-String -Path "/proc/$PID/status" -Pattern '^VmHWM:\s+(\d+)').Matches[0].Groups[1].Value / 1024
$scored = $verbose | Where-Object { $_ -match '^(\d+) examples' } | Select-Object -First 1
$records = if ($scored -match '^(\d+) examples') { [long]$Matches[1] } else { 0 }
$kept = @(Import-ZipFitDataset $Out)
$python = @($kept | Where-Object { $_.Record.domain -eq 'python' }).Count / [math]::Max(1, $kept.Count)
if (-not $NoCache -and -not $KeepCache) { Remove-Item -LiteralPath $CachePath -ErrorAction SilentlyContinue }
$scoring = if (($verbose -join "`n") -match 'computed in ([\d.]+) s') { [double]$Matches[1] } else { [double]::NaN }
'| {0} | {1} | {2} | {3:N0} | {4:F1} | {5:N0} | {6:N0} | {7:F3} | {8:F1} | {9} |' -f (Split-Path $Pool -Leaf), $Method,
    ($NoCache ? 'off' : 'on'), $records, $seconds, ($records / $seconds), $peak, $python, ($seconds - $scoring),
    (($verbose | Where-Object { $_ -like 'Time:*' }) -join ' ')
$verbose | ForEach-Object { "  verbose: $_" }
