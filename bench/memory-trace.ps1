<#
Samples the memory of a scoring run every 0.5 s: the process's RSS, the GC heap after the last collection, its
fragmentation, the GC's committed bytes, the managed total and the gen-2 collection count; then the peak RSS (VmHWM).
What docs/scale.md's Parquet memory figures come from:

    dotnet pwsh -NoProfile -File bench/memory-trace.ps1 /work/scale/pool-1000000.parquet artifacts/ZipFit/ZipFit.psd1

The run is Get-ZipFitScore -Method MultiViewXent -NoCache | Select-ZipFitTop 10000 | Export-ZipFitDataset, as
bench/scale.ps1's (without the cache).
#>
param($Pool, $Module = (Join-Path $PSScriptRoot '..' 'artifacts' 'ZipFit' 'ZipFit.psd1'))
Import-Module $Module
$t = Import-ZipFitDataset (Join-Path $PSScriptRoot '..' '..' 'shared' 'data' 'python-code' 'target.jsonl')
$stop = [ref]$false
$job = Start-ThreadJob -ArgumentList $stop -ScriptBlock { param($stop)
  $sw = [Diagnostics.Stopwatch]::StartNew()
  while (-not $stop.Value) {
    $st = Get-Content /proc/$PID/status -Raw
    $rss = [regex]::Match($st, 'VmRSS:\s+(\d+)').Groups[1].Value/1024
    $i = [GC]::GetGCMemoryInfo([GCKind]::Any)
    $gc = [GC]::GetGCMemoryInfo([GCKind]::FullBlocking)
    '{0,6:F1}s rss {1,5:N0} MB  heap(last gc) {2,5:N0} MB frag {3,4:N0} committed {4,5:N0} MB  total {5,5:N0} MB  gen2 idx {6}' -f $sw.Elapsed.TotalSeconds, $rss, ($i.HeapSizeBytes/1MB), ($i.FragmentedBytes/1MB), ($i.TotalCommittedBytes/1MB), ([GC]::GetTotalMemory($false)/1MB), [GC]::CollectionCount(2)
    Start-Sleep -Milliseconds 500
  }
}
Get-ZipFitScore -Path $Pool -Target $t -Method MultiViewXent -NoCache | Select-ZipFitTop 10000 | Export-ZipFitDataset (Join-Path ([IO.Path]::GetTempPath()) 'zipfit-memory-trace-top.jsonl.zst') -Force
$stop.Value = $true
Receive-Job $job -Wait
"VmHWM: " + (Select-String -Path "/proc/$PID/status" -Pattern '^VmHWM:\s+(\d+)').Matches[0].Groups[1].Value
