# The scale-out recipes of the README and docs/scale-out.md: the Slurm job scripts (the files that
# bench/slurm/run.sh submits to a real Slurm) run here without Slurm, as a task would run them, and the
# Kubernetes manifest is parsed (YamlDotNet, restored by tests/ZipFit.Pester) and checked for structure.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $scaleOut = Join-Path $RepoRoot 'docs' 'scale-out'
    $scoreJob = Join-Path $scaleOut 'zipfit-score.sbatch'
    $mergeJob = Join-Path $scaleOut 'zipfit-merge.sbatch'
    function Get-Text([string] $Path) { [IO.File]::ReadAllText($Path).Replace("`r`n", "`n") }
}

Describe 'The Slurm recipe' {
    It '<File> shows both job scripts byte for byte' -ForEach @(@{ File = 'README.md' }, @{ File = 'docs/scale-out.md' }) {
        $doc = Get-Text (Join-Path $RepoRoot $File)
        foreach ($job in $scoreJob, $mergeJob) {
            $doc.Contains("``````bash`n$(Get-Text $job)``````") | Should -BeTrue -Because "$File must show $job as it is"
        }
    }

    It 'the array covers exactly the shards the tasks use' {
        $text = Get-Text $scoreJob
        $text -match '(?m)^#SBATCH --array=0-(\d+)$' | Should -BeTrue
        $last = [int]$Matches[1]
        $text -match '(?m)^SHARDS=\$\{SHARDS:-(\d+)\}$' | Should -BeTrue
        [int]$Matches[1] | Should -Be ($last + 1)
        (Get-Text $mergeJob) | Should -Match "(?m)^SHARDS=\`$\{SHARDS:-$($last + 1)\}$"
    }

    It 'the score task requeues, and keeps its cache on the node outside the job''s own folders' {
        $text = Get-Text $scoreJob
        $text | Should -Match '(?m)^#SBATCH --requeue$'
        $text | Should -Match '-CachePath ''\$CACHE/zipfit\.db'''
        $text | Should -Match '(?m)^CACHE=\$\{CACHE:-/tmp/zipfit-\$USER\}$'
    }

    Context 'run as Slurm would run them, without Slurm' -Skip:$IsWindows {
        BeforeAll {
            $work = New-TestDirectory
            # `pwsh` on PATH is the pwsh running these tests; the module is found by name, as installed.
            $bin = Join-Path $work 'bin'
            New-Item -ItemType Directory -Path $bin | Out-Null
            $shim = Join-Path $bin 'pwsh'
            $command = @(Get-PwshCommand)
            [IO.File]::WriteAllText($shim, "#!/bin/sh`nexec $(($command | ForEach-Object { "'$_'" }) -join ' ') `"`$@`"`n")
            & chmod +x $shim
            $pool = Join-Path $Fixtures 'source.jsonl'
            $targetFile = Join-Path $Fixtures 'target.jsonl'
            $out = Join-Path $work 'scored dir'
            function Invoke-Job([string] $Job, [hashtable] $Environment) {
                $psi = [Diagnostics.ProcessStartInfo]::new('bash')
                $psi.ArgumentList.Add($Job)
                $psi.WorkingDirectory = $work
                $psi.RedirectStandardOutput = $true
                $psi.RedirectStandardError = $true
                $psi.UseShellExecute = $false
                $psi.Environment['PATH'] = "$bin$([IO.Path]::PathSeparator)$env:PATH"
                $psi.Environment['PSModulePath'] = Split-Path (Split-Path $ModuleManifest)
                $psi.Environment['USER'] = 'tester'
                foreach ($k in $Environment.Keys) { $psi.Environment[$k] = [string]$Environment[$k] }
                $p = [Diagnostics.Process]::Start($psi)
                $o = $p.StandardOutput.ReadToEndAsync()
                $e = $p.StandardError.ReadToEndAsync()
                $p.WaitForExit()
                [pscustomobject]@{ ExitCode = $p.ExitCode; Out = $o.Result; Err = $e.Result }
            }
            $common = @{ SHARDS = 3; POOL = $pool; TARGET = $targetFile; OUT = $out; CACHE = (Join-Path $work 'node local'); TOP = 15 }
            $tasks = foreach ($i in 0..2) { Invoke-Job $scoreJob ($common + @{ SLURM_ARRAY_TASK_ID = $i }) }
            $single = @(Get-ZipFitScore -Path $pool -Target (Import-ZipFitDataset $targetFile) -NoCache | Select-ZipFitTop 15)
        }
        AfterAll { Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue }

        It 'each task writes its shard, with the cache in $CACHE (paths with spaces)' {
            foreach ($t in $tasks) { $t.ExitCode | Should -Be 0 -Because "$($t.Out)$($t.Err)" }
            foreach ($i in 0..2) { Join-Path $out "scored-$i.jsonl.zst" | Should -Exist }
            Join-Path $work 'node local' 'zipfit.db' | Should -Exist
            $tasks[0].Out | Should -Match 'VERBOSE: \d+ examples, 0 scores from the cache'
            @(Import-ZipFitDataset (Join-Path $out 'scored-*.jsonl.zst')).Count | Should -Be 60
        }

        It 'a task run again takes its scores from the cache and replaces its shard' {
            $again = Invoke-Job $scoreJob ($common + @{ SLURM_ARRAY_TASK_ID = 1 })
            $again.ExitCode | Should -Be 0 -Because $again.Err
            $again.Out -match 'VERBOSE: (\d+) examples, (\d+) scores from the cache' | Should -BeTrue -Because $again.Out
            [int]$Matches[2] | Should -Be ([int]$Matches[1])
            [int]$Matches[1] | Should -BeGreaterThan 0
        }

        It 'the merge gives the single run''s top 15 with the same scores' {
            $merge = Invoke-Job $mergeJob $common
            $merge.ExitCode | Should -Be 0 -Because $merge.Err
            # The file in rank order, each record with the zipfit_score its shard's task wrote.
            $merged = @(Import-ZipFitDataset (Join-Path $out 'top.jsonl'))
            $merged.Id | Should -Be $single.Id
            $merged.Record.zipfit_score | Should -Be $single.Score
        }

        It 'the merge refuses to run on fewer shard files than shards' {
            Remove-Item -LiteralPath (Join-Path $out 'scored-2.jsonl.zst')
            $merge = Invoke-Job $mergeJob $common
            $merge.ExitCode | Should -Not -Be 0
            $merge.Err | Should -Match 'found 2 of 3 shard files'
        }
    }
}

Describe 'The Kubernetes manifest (docs/scale-out/k8s-zipfit.yaml)' {
    BeforeAll {
        $yamlDll = Get-Content -LiteralPath (Join-Path $RepoRoot 'artifacts' 'pester' 'yamldotnet-path.txt') -TotalCount 1
        Add-Type -LiteralPath $yamlDll
        function ConvertFrom-YamlNode($Node) {
            switch ($Node.GetType().Name) {
                'YamlMappingNode' {
                    $h = [ordered]@{}
                    foreach ($pair in $Node.Children.GetEnumerator()) { $h[$pair.Key.Value] = ConvertFrom-YamlNode $pair.Value }
                    return $h
                }
                'YamlSequenceNode' { return , @($Node.Children | ForEach-Object { ConvertFrom-YamlNode $_ }) }
                default { return $Node.Value }
            }
        }
        $stream = [YamlDotNet.RepresentationModel.YamlStream]::new()
        $stream.Load([IO.StringReader]::new((Get-Text (Join-Path $scaleOut 'k8s-zipfit.yaml'))))
        $docs = @($stream.Documents | ForEach-Object { ConvertFrom-YamlNode $_.RootNode })
        $claim = $docs | Where-Object { $_.kind -eq 'PersistentVolumeClaim' }
        $jobs = @($docs | Where-Object { $_.kind -eq 'Job' })
        $score = $jobs | Where-Object { $_.spec.completionMode -eq 'Indexed' }
        $merge = $jobs | Where-Object { $_ -ne $score }
        function Get-PowerShellArgument($Container) {
            $c = @($Container.command)
            $c[0] | Should -Be 'pwsh'
            $c[$c.IndexOf('-Command') + 1]
        }
        function Assert-Mounts($Pod) {
            $names = @($Pod.volumes | ForEach-Object { $_.name })
            foreach ($c in @($Pod.containers) + @($Pod.initContainers | Where-Object { $_ })) {
                foreach ($m in $c.volumeMounts) { $names | Should -Contain $m.name -Because "$($c.name) mounts $($m.name)" }
            }
        }
    }

    It 'is a claim and two batch/v1 Jobs' {
        $docs.Count | Should -Be 3
        $claim.spec.accessModes | Should -Contain 'ReadWriteMany'
        $jobs.Count | Should -Be 2
        $jobs | ForEach-Object { $_.apiVersion | Should -Be 'batch/v1' }
        $score | Should -Not -BeNullOrEmpty
        $merge | Should -Not -BeNullOrEmpty
    }

    It 'the score Job is indexed, one shard per completion index, inputs and outputs on the claim' {
        $n = [int]$score.spec.completions
        $n | Should -BeGreaterThan 1
        $pod = $score.spec.template.spec
        $pod.restartPolicy | Should -BeIn 'OnFailure', 'Never'
        Assert-Mounts $pod
        ($pod.volumes | Where-Object { $_.name -eq 'data' }).persistentVolumeClaim.claimName | Should -Be $claim.metadata.name
        $ps = Get-PowerShellArgument $pod.containers[0]
        $ps | Should -Match ([regex]::Escape("-Shard `"`$env:JOB_COMPLETION_INDEX/$n`""))
        $ps | Should -Match ([regex]::Escape('Export-ZipFitDataset "/data/scored/scored-$env:JOB_COMPLETION_INDEX.jsonl.zst"'))
        $ps | Should -Match '-CachePath /cache/'
        ($pod.containers[0].volumeMounts | Where-Object { $_.name -eq 'data' }).mountPath | Should -Be '/data'
    }

    It 'the merge Job waits for every shard file on the same claim, then selects from them' {
        $n = [int]$score.spec.completions
        $pod = $merge.spec.template.spec
        Assert-Mounts $pod
        ($pod.volumes | Where-Object { $_.name -eq 'data' }).persistentVolumeClaim.claimName | Should -Be $claim.metadata.name
        $wait = @($pod.initContainers)[0].command -join ' '
        $wait | Should -Match ([regex]::Escape('/data/scored/scored-*.jsonl.zst'))
        $wait | Should -Match "-eq $n\b"
        Get-PowerShellArgument $pod.containers[0] | Should -Match ([regex]::Escape("Import-ZipFitDataset '/data/scored/scored-*.jsonl.zst' | Select-ZipFitTop"))
    }

    It 'every pwsh -Command is PowerShell that parses' {
        foreach ($job in $jobs) {
            $ps = Get-PowerShellArgument $job.spec.template.spec.containers[0]
            $errors = $null
            [void][Management.Automation.Language.Parser]::ParseInput($ps, [ref]$null, [ref]$errors)
            $errors | Should -BeNullOrEmpty
        }
    }

    It 'says it was not run' {
        Get-Text (Join-Path $scaleOut 'k8s-zipfit.yaml') | Should -Match 'NOT RUN'
        Get-Text (Join-Path $RepoRoot 'docs' 'scale-out.md') | Should -Match 'Kubernetes was not run'
    }
}

Describe 'bench/slurm/run.sh stays out of the test command and CI' {
    It '<File> does not run it' -ForEach @(@{ File = 'build.ps1' }, @{ File = '.ci/run' }) {
        Get-Text (Join-Path $RepoRoot $File) | Should -Not -Match 'bench/slurm'
    }
}
