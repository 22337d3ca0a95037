# Runs a script block in a fresh `pwsh -NoProfile` process, for tests whose state cannot be undone in-process
# (assemblies loaded into a session stay loaded). Dot-source it after Common.ps1 (it uses Get-PwshCommand).
# Unlike Common.ps1's Invoke-ChildPwsh (a command string, ZipFit imported first, text output), the child
# imports nothing by itself and its output comes back as objects.
#
#   $r = Invoke-ChildScript -Script { param($Module) Import-Module $Module; Get-Module ZipFit } -Arguments @{ Module = $ModuleManifest }
#
# The script block's text runs in the child with the named arguments bound to its parameters (passed
# through a CliXml file), and its output comes back deserialized (Export-Clixml), so give it plain data
# (strings, numbers, hashtables, [pscustomobject]). -Environment sets or (with $null) removes variables of
# the child only. A child that fails (non-zero exit, or a terminating error) throws with its stderr.

function Invoke-ChildScript {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [scriptblock] $Script,
        [hashtable] $Arguments = @{},
        [hashtable] $Environment = @{},
        [string] $WorkingDirectory = $script:RepoRoot,
        [int] $TimeoutSeconds = 300
    )
    $work = Join-Path ([IO.Path]::GetTempPath()) "zipfit-child-$([guid]::NewGuid().ToString('n'))"
    New-Item -ItemType Directory -Path $work | Out-Null
    try {
        $argsFile = Join-Path $work 'args.clixml'
        $outFile = Join-Path $work 'out.clixml'
        $scriptFile = Join-Path $work 'child.ps1'
        $Arguments | Export-Clixml -LiteralPath $argsFile -Depth 5
        $body = @"
`$ErrorActionPreference = 'Stop'
`$__args = Import-Clixml -LiteralPath '$($argsFile.Replace("'", "''"))'
`$__block = [scriptblock]::Create(@'
$($Script.ToString())
'@)
`$__out = & `$__block @__args
`$__out | Export-Clixml -LiteralPath '$($outFile.Replace("'", "''"))' -Depth 5
"@
        Set-Content -LiteralPath $scriptFile -Value $body -Encoding utf8

        $command = @(Get-PwshCommand)
        $psi = [Diagnostics.ProcessStartInfo]::new($command[0])
        foreach ($a in @($command | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $scriptFile)) {
            $psi.ArgumentList.Add($a)
        }
        $psi.WorkingDirectory = $WorkingDirectory
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $psi.UseShellExecute = $false
        foreach ($name in $Environment.Keys) {
            if ($null -eq $Environment[$name]) { [void]$psi.Environment.Remove($name) }
            else { $psi.Environment[$name] = [string]$Environment[$name] }
        }
        $process = [Diagnostics.Process]::Start($psi)
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
            $process.Kill($true)
            throw "The child pwsh did not finish in $TimeoutSeconds s.`n$($stderr.Result)"
        }
        $process.WaitForExit()
        if ($process.ExitCode -ne 0 -or -not (Test-Path -LiteralPath $outFile)) {
            throw "The child pwsh failed (exit $($process.ExitCode)).`nstderr:`n$($stderr.Result)`nstdout:`n$($stdout.Result)"
        }
        Import-Clixml -LiteralPath $outFile
    }
    finally {
        Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
    }
}

# Paths written by the test-side restore (tests/pester/foreign): the older third-party assemblies.
function Get-PesterSupportPaths {
    $file = Join-Path $script:RepoRoot 'artifacts' 'pester-support' 'paths.psd1'
    if (-not (Test-Path -LiteralPath $file)) {
        throw "$file is missing: run 'dotnet build -c Release' (it builds tests/pester/foreign)."
    }
    Import-PowerShellDataFile -LiteralPath $file
}
