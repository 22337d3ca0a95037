# Export keeps original fields, adds scores on request, writes .gz/.zst, never overwrites silently, and a
# killed export leaves no partial file under the user's name.
BeforeAll { . (Join-Path $PSScriptRoot 'Common.ps1') }

Describe 'Export-ZipFitDataset' {
    BeforeAll {
        $scored = @(Import-ZipFitDataset (Join-Path $Fixtures 'source.jsonl') | Get-ZipFitScore -Target "def f(x):`n    return x" -Compressor zstd -NoCache)
    }

    It 'keeps original fields and writes the score exactly with -IncludeScore' {
        $out = Join-Path $TestDrive 'out.jsonl'
        $scored | Export-ZipFitDataset $out -IncludeScore
        $back = @(Import-ZipFitDataset $out)
        $back.Count | Should -Be $scored.Count
        $back[3].Record.zipfit_score | Should -Be $scored[3].Score
        $back[3].Record.domain | Should -Be $scored[3].Record.domain
    }

    It 'refuses an existing file without -Force (ZipFit.OutputExists) and leaves it untouched' {
        $out = Join-Path $TestDrive 'exists.jsonl'
        [IO.File]::WriteAllText($out, 'precious')
        $err = { $scored | Export-ZipFitDataset $out } | Should -Throw -ErrorId 'ZipFit.OutputExists*' -PassThru
        $err.CategoryInfo.Category | Should -Be 'ResourceExists'
        [IO.File]::ReadAllText($out) | Should -Be 'precious'
    }

    It 'overwrites with -Force' {
        $out = Join-Path $TestDrive 'forced.jsonl'
        [IO.File]::WriteAllText($out, 'old')
        $scored | Export-ZipFitDataset $out -Force
        @(Get-Content -LiteralPath $out).Count | Should -Be $scored.Count
    }

    It 'round-trips through .<Ext>' -ForEach @(@{ Ext = 'jsonl.gz' }, @{ Ext = 'jsonl.zst' }) {
        $path = Join-Path $TestDrive "out.$Ext"
        $scored | Select-ZipFitTop 5 | Export-ZipFitDataset $path -IncludeScore
        @(Import-ZipFitDataset $path).Count | Should -Be 5
    }

    It 'writes a string as a text record' {
        $path = Join-Path $TestDrive 'strings.jsonl'
        'just text' | Export-ZipFitDataset $path
        (Get-Content -LiteralPath $path -Raw).Trim() | Should -Be '{"text":"just text"}'
    }

    It 'keeps a plain object''s properties in order' {
        $path = Join-Path $TestDrive 'objects.jsonl'
        [pscustomobject]@{ name = 'n1'; text = 'hello'; n = 3 } | Export-ZipFitDataset $path
        (Get-Content -LiteralPath $path -Raw).Trim() | Should -Be '{"name":"n1","text":"hello","n":3}'
    }

    It 'leaves no temporary files' {
        @(Get-ChildItem -LiteralPath $TestDrive -Force -Filter '*.partial').Count | Should -Be 0
    }
}

Describe 'A killed export' {
    BeforeAll {
        $dir = New-TestDirectory
        $pool = New-BigPool (Join-Path $dir 'pool.jsonl') 8
        $targetPath = Join-Path $Fixtures 'target.jsonl'
    }
    AfterAll { Remove-Item -LiteralPath $dir -Recurse -Force -ErrorAction SilentlyContinue }

    It 'leaves the output absent or complete, never partial, whenever it is killed' {
        $output = Join-Path $dir 'top.jsonl'
        foreach ($delayMs in 1200, 2500) {
            $victim = Start-ChildPwsh "Get-ZipFitScore -Path '$pool' -Target (Import-ZipFitDataset '$targetPath') -ThrottleLimit 1 -NoCache | Export-ZipFitDataset '$output' -Force"
            Start-Sleep -Milliseconds $delayMs
            $finished = $victim.HasExited
            Stop-ChildPwsh $victim
            if (Test-Path -LiteralPath $output) {
                $finished | Should -BeTrue -Because 'an export killed midway must not leave the output file'
                @(Get-Content -LiteralPath $output).Count | Should -Be 480
            }
        }
        # The killed writer's temporary file is hidden (.top.jsonl.<id>.partial) and is the only trace.
        foreach ($f in Get-ChildItem -LiteralPath $dir -Force -Filter '.top.jsonl.*') { $f.Name | Should -BeLike '*.partial' }
    }
}
