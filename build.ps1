<#
.SYNOPSIS
    Builds ZipFit, runs its tests, or runs the example, in the pwsh pinned by .config/dotnet-tools.json.

.DESCRIPTION
    Run from a fresh clone with only the .NET 10 SDK:

        dotnet tool restore && dotnet pwsh -NoProfile -File ./build.ps1 -Task Test
        dotnet tool restore && dotnet pwsh -NoProfile -File ./build.ps1 -Task Example

    Build    dotnet build ZipFit.sln -c Release: the module (the self-contained
             artifacts/ZipFit, the only place it is written), the xunit core tests, and tests/ZipFit.Pester, which restores the
             pinned Pester from NuGet and writes its path to artifacts/pester/pester-path.txt.
    Test     Build, then the core tests (dotnet test tests/ZipFit.Core.Tests, TRX in
             artifacts/test-results/core.trx), then Invoke-Pester over tests/pester (NUnit XML in
             artifacts/test-results/pester.xml). Prints both counts; exits 1 if anything failed.
    Pester   Build, then only the Pester tests (-PesterPath narrows them to some files).
    Example  Build the module (src/ZipFit.PowerShell), import artifacts/ZipFit, run examples/select-top.ps1 -Top <Top>.

.EXAMPLE
    dotnet pwsh -NoProfile -File ./build.ps1 -Task Pester -PesterPath tests/pester/Cache.Tests.ps1
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Pester', 'Example')]
    [string] $Task = 'Test',

    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release',

    # Skip the build (the tasks then use what an earlier build left in artifacts/).
    [switch] $NoBuild,

    # Pester files or folders to run instead of all of tests/pester.
    [string[]] $PesterPath,

    # For -Task Example: how many examples to print.
    [int] $Top = 10
)

$ErrorActionPreference = 'Stop'


$root = $PSScriptRoot
$results = Join-Path $root 'artifacts' 'test-results'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'

# A simple function (no param block), so arguments such as -c or -v:minimal pass through untouched.
function Invoke-Native {
    $FilePath, $Arguments = $args
    Write-Host "> $FilePath $($Arguments -join ' ')" -ForegroundColor Cyan
    & $FilePath @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$FilePath exited with $LASTEXITCODE" }
}

function Invoke-Build([string] $Project = 'ZipFit.sln') {
    if ($NoBuild) { return }
    Invoke-Native dotnet build (Join-Path $root $Project) '-c' $Configuration '--nologo' '--verbosity' 'minimal'
}

# The Pester the build restored from NuGet (tests/ZipFit.Pester; version pinned in Directory.Packages.props).
function Get-PesterManifest {
    $pointer = Join-Path $root 'artifacts' 'pester' 'pester-path.txt'
    if (-not (Test-Path -LiteralPath $pointer)) { throw "$pointer is missing: build first (./build.ps1 -Task Build)." }
    $manifest = (Get-Content -LiteralPath $pointer -TotalCount 1).Trim()
    if (-not (Test-Path -LiteralPath $manifest)) { throw "Pester is not where the build restored it: $manifest" }
    $manifest
}

function Invoke-CoreTests {
    $trx = Join-Path $results 'core.trx'
    if (Test-Path -LiteralPath $trx) { Remove-Item -LiteralPath $trx }
    Write-Host "> dotnet test tests/ZipFit.Core.Tests" -ForegroundColor Cyan
    & dotnet test (Join-Path $root 'tests' 'ZipFit.Core.Tests') -c $Configuration --no-build --nologo `
        --logger 'trx;LogFileName=core.trx' --logger 'console;verbosity=minimal' --results-directory $results
    $exit = $LASTEXITCODE
    if (-not (Test-Path -LiteralPath $trx)) { throw "dotnet test wrote no results (exit $exit)." }
    $counters = ([xml](Get-Content -LiteralPath $trx -Raw)).TestRun.ResultSummary.Counters
    [pscustomobject]@{
        Total  = [int]$counters.total
        Passed = [int]$counters.passed
        Failed = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
        Exit   = $exit
    }
}

function Invoke-PesterTests {
    Import-Module (Get-PesterManifest) -Force
    $config = New-PesterConfiguration
    # -File passes "a,b" as one string: split it.
    $config.Run.Path = if ($PesterPath) { @($PesterPath -split ',' | Where-Object { $_ }) } else { Join-Path $root 'tests' 'pester' }
    $config.Run.PassThru = $true
    $config.Output.Verbosity = 'Normal'
    $config.TestResult.Enabled = $true
    $config.TestResult.OutputFormat = 'NUnitXml'
    $config.TestResult.OutputPath = Join-Path $results 'pester.xml'
    $config.Should.ErrorAction = 'Stop'
    $env:ZIPFIT_TEST_MODULE = Join-Path $root 'artifacts' 'ZipFit' 'ZipFit.psd1'
    $run = Invoke-Pester -Configuration $config
    if (-not $run) { throw 'Invoke-Pester returned no result.' }
    [pscustomobject]@{
        Total   = $run.TotalCount
        Passed  = $run.PassedCount
        Failed  = $run.FailedCount + $run.FailedBlocksCount + $run.FailedContainersCount
        Skipped = $run.SkippedCount
        Time    = $run.Duration
    }
}

switch ($Task) {
    'Build' {
        Invoke-Build
    }
    'Test' {
        Invoke-Build
        $null = New-Item -ItemType Directory -Force -Path $results
        $core = Invoke-CoreTests
        $pester = Invoke-PesterTests
        Write-Host ''
        Write-Host ("xunit  (core):    {0} passed, {1} failed of {2}" -f $core.Passed, $core.Failed, $core.Total)
        Write-Host ("Pester (cmdlets): {0} passed, {1} failed, {2} skipped of {3} in {4:N0} s" -f $pester.Passed, $pester.Failed, $pester.Skipped, $pester.Total, $pester.Time.TotalSeconds)
        Write-Host "Results: $(Join-Path $results 'core.trx'), $(Join-Path $results 'pester.xml')"
        if ($core.Failed -gt 0 -or $core.Exit -ne 0 -or $core.Total -eq 0 -or $pester.Failed -gt 0 -or $pester.Total -eq 0) {
            Write-Host 'FAILED' -ForegroundColor Red
            exit 1
        }
        Write-Host 'PASSED' -ForegroundColor Green
    }
    'Pester' {
        Invoke-Build
        $null = New-Item -ItemType Directory -Force -Path $results
        $pester = Invoke-PesterTests
        Write-Host ("Pester (cmdlets): {0} passed, {1} failed, {2} skipped of {3}" -f $pester.Passed, $pester.Failed, $pester.Skipped, $pester.Total)
        if ($pester.Failed -gt 0 -or $pester.Total -eq 0) { exit 1 }
    }
    'Example' {
        Invoke-Build (Join-Path 'src' 'ZipFit.PowerShell' 'ZipFit.PowerShell.csproj')
        Import-Module (Join-Path $root 'artifacts' 'ZipFit' 'ZipFit.psd1') -Force
        & (Join-Path $root 'examples' 'select-top.ps1') -Top $Top
    }
}
