# ZipFit in a separate pwsh process, as schedulers run it (pwsh -Command / -File): output on stdout,
# errors on stderr with their ids, the exit code, and the README's example.
BeforeAll { . (Join-Path $PSScriptRoot 'Common.ps1') }

Describe 'pwsh -Command with ZipFit' {
    It 'prints results and exits 0' {
        $r = Invoke-ChildPwsh "'def f(): pass' | Get-ZipFitScore -Target 'def g(): pass' -NoCache | ForEach-Object { `$_.Score -gt 0 }; 'plain string'"
        $r.ExitCode | Should -Be 0 -Because $r.Err
        @($r.Out -split "`r?`n" | Where-Object { $_ }) | Should -Be @('True', 'plain string')
    }

    It 'a terminating error goes to stderr with its id and the exit code is non-zero' {
        $r = Invoke-ChildPwsh "'x' | Get-ZipFitScore -Target @()"
        $r.ExitCode | Should -Not -Be 0
        $r.Out.Trim() | Should -BeNullOrEmpty
        $r.Err | Should -Match 'ZipFit\.EmptyTarget'
    }

    It 'non-terminating errors go to stderr and the run goes on' {
        $r = Invoke-ChildPwsh "`$ErrorActionPreference = 'Continue'; 'a', [pscustomobject]@{ other = 1 } | Get-ZipFitScore -Target 'a' -NoCache | ForEach-Object Id; 'after'"
        $r.ExitCode | Should -Be 0 -Because $r.Err
        @($r.Out -split "`r?`n" | Where-Object { $_ }) | Should -Be @('input:1', 'after')
        $r.Err | Should -Match 'ZipFit\.MissingTextProperty'
    }

    It 'a run whose last command had a non-terminating error exits 1, as pwsh does' {
        $r = Invoke-ChildPwsh "`$ErrorActionPreference = 'Continue'; [pscustomobject]@{ other = 1 } | Get-ZipFitScore -Target 'a' -NoCache"
        $r.ExitCode | Should -Be 1
        $r.Err | Should -Match 'ZipFit\.MissingTextProperty'
    }
}

Describe 'examples/select-top.ps1' {
    It 'selects the Python functions from the shipped sample (pwsh -File, named arguments)' {
        $command = Get-PwshCommand
        $exe = $command[0]
        $arguments = @($command | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', (Join-Path $RepoRoot 'examples' 'select-top.ps1'), '-Top', '5')
        $env:ZIPFIT_EXAMPLE_MODULE = $ModuleManifest
        try { $out = & $exe @arguments 2>&1 | Out-String }
        finally { Remove-Item Env:ZIPFIT_EXAMPLE_MODULE }
        $LASTEXITCODE | Should -Be 0 -Because $out
        $out | Should -Match 'Top 5:'
        @($out -split "`r?`n" | Where-Object { $_ -match ' ex-' }).Count | Should -Be 5
    }
}
