# Shared set-up for tests/pester/*.Tests.ps1, dot-sourced from each file's BeforeAll:
#   BeforeAll { . (Join-Path $PSScriptRoot 'Common.ps1') }
# Imports the built module from its folder, as a user does: $env:ZIPFIT_TEST_MODULE if set, else the
# self-contained copy the build produces (artifacts/ZipFit/ZipFit.psd1).
$ErrorActionPreference = 'Stop'

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '..' '..')).Path
$script:ModuleManifest = if ($env:ZIPFIT_TEST_MODULE) { $env:ZIPFIT_TEST_MODULE } else { Join-Path $RepoRoot 'artifacts' 'ZipFit' 'ZipFit.psd1' }
if (-not (Test-Path -LiteralPath $ModuleManifest)) {
    throw "The built module is missing: $ModuleManifest. Build first: dotnet pwsh -NoProfile -File ./build.ps1 -Task Build"
}
Import-Module $ModuleManifest -Force

$script:Fixtures = Join-Path $RepoRoot 'tests' 'fixtures' 'python-code'
$script:MethodFixtures = Join-Path $RepoRoot 'tests' 'fixtures' 'methods'
$script:ExampleData = Join-Path $RepoRoot 'examples' 'data'

# Tests that use the default cache location must not touch the user's own cache (child processes inherit it).
if (-not $env:ZIPFIT_CACHE_DIR -or -not $env:ZIPFIT_CACHE_DIR.Contains('zipfit-test-cache')) {
    $env:ZIPFIT_CACHE_DIR = Join-Path ([IO.Path]::GetTempPath()) "zipfit-test-cache-$PID"
}

# id<TAB>score files written by the Python reference (tests/fixtures/python-code/scores-gzip*.tsv).
function Read-Tsv([string] $Path) {
    $map = @{}
    foreach ($line in Get-Content -LiteralPath $Path | Select-Object -Skip 1) {
        if (-not $line) { continue }
        $parts = $line.Split("`t")
        $map[$parts[0]] = [double]::Parse($parts[1], [Globalization.CultureInfo]::InvariantCulture)
    }
    $map
}

# A fresh folder under the system temp (for files that must outlive one It, or live outside TestDrive).
function New-TestDirectory {
    $dir = Join-Path ([IO.Path]::GetTempPath()) ('zipfit-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $dir | Out-Null
    $dir
}

# The first ZipFit.* id of an ErrorRecord's FullyQualifiedErrorId ('ZipFit.X,Cmdlet' -> 'ZipFit.X').
function Get-ErrorId([System.Management.Automation.ErrorRecord] $Record) {
    $Record.FullyQualifiedErrorId.Split(',')[0]
}

# Writes JSONL records ({id, text, ...}) to a file.
function Write-Jsonl([string] $Path, [object[]] $Records) {
    $lines = foreach ($r in $Records) { $r | ConvertTo-Json -Compress -Depth 5 }
    [IO.File]::WriteAllLines($Path, [string[]]$lines)
}

# A pool big enough to take seconds to score exactly: the fixture's examples in $Copies distinct variants.
function New-BigPool([string] $Path, [int] $Copies) {
    $source = @(Get-Content -LiteralPath (Join-Path $Fixtures 'source.jsonl') | ForEach-Object { $_ | ConvertFrom-Json })
    $lines = for ($c = 0; $c -lt $Copies; $c++) {
        foreach ($r in $source) { [ordered]@{ id = "$($r.id)-v$c"; text = "$($r.text)`n# variant $c`n" } | ConvertTo-Json -Compress }
    }
    [IO.File]::WriteAllLines($Path, [string[]]$lines)
    $Path
}

# ---- child pwsh processes (the same pwsh that runs the tests) ------------------------------------

# The executable and leading arguments that start this pwsh again: `dotnet <PSHOME>/pwsh.dll` under
# `dotnet pwsh` (the pinned local tool), the pwsh executable otherwise.
function Get-PwshCommand {
    $exe = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') {
        return @($exe, (Join-Path $PSHOME 'pwsh.dll'))
    }
    @($exe)
}

# Starts `pwsh -NoProfile -NonInteractive -Command <script>` with ZipFit imported first, plain-text
# output, stdout and stderr captured. Returns the Process (.StandardOutput/.StandardError read async
# into .Out/.Err tasks). $Environment adds variables for the child only.
function Start-ChildPwsh {
    param([Parameter(Mandatory)] [string] $Script, [hashtable] $Environment = @{}, [string] $Module = $ModuleManifest)
    $command = Get-PwshCommand
    $info = [Diagnostics.ProcessStartInfo]::new($command[0])
    foreach ($a in ($command | Select-Object -Skip 1)) { $info.ArgumentList.Add($a) }
    $prelude = "`$ErrorActionPreference = 'Stop'; `$PSStyle.OutputRendering = 'PlainText'; `$ErrorView = 'NormalView'; Import-Module '$($Module.Replace("'", "''"))'; "
    foreach ($a in '-NoProfile', '-NonInteractive', '-Command', ($prelude + $Script)) { $info.ArgumentList.Add($a) }
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $info.UseShellExecute = $false
    $info.WorkingDirectory = $RepoRoot
    foreach ($k in $Environment.Keys) { $info.Environment[$k] = [string]$Environment[$k] }
    $process = [Diagnostics.Process]::Start($info)
    $process | Add-Member -NotePropertyName OutTask -NotePropertyValue $process.StandardOutput.ReadToEndAsync()
    $process | Add-Member -NotePropertyName ErrTask -NotePropertyValue $process.StandardError.ReadToEndAsync() -PassThru
}

# Waits for a child started by Start-ChildPwsh: {ExitCode, Out, Err}; kills it after $TimeoutSeconds.
function Wait-ChildPwsh {
    param([Parameter(Mandatory)] $Process, [int] $TimeoutSeconds = 300)
    if (-not $Process.WaitForExit($TimeoutSeconds * 1000)) {
        $Process.Kill($true)
        $Process.WaitForExit()
        throw "The child pwsh did not finish in $TimeoutSeconds s: $($Process.ErrTask.Result)"
    }
    $Process.WaitForExit()
    [pscustomobject]@{ ExitCode = $Process.ExitCode; Out = $Process.OutTask.Result; Err = $Process.ErrTask.Result }
}

function Invoke-ChildPwsh {
    param([Parameter(Mandatory)] [string] $Script, [hashtable] $Environment = @{}, [string] $Module = $ModuleManifest, [int] $TimeoutSeconds = 300)
    Wait-ChildPwsh (Start-ChildPwsh -Script $Script -Environment $Environment -Module $Module) -TimeoutSeconds $TimeoutSeconds
}

# SIGKILL: no finally blocks, no disposal.
function Stop-ChildPwsh($Process) {
    if (-not $Process.HasExited) { $Process.Kill($true) }
    $Process.WaitForExit()
}

# ---- types that live in the module's private load context ----------------------------------------

# ZipFit.Core and its libraries load into ZipFit's own AssemblyLoadContext, so [ZipFit.Core.X] type
# literals do not resolve: find the type among the loaded assemblies instead ($null if not loaded).
function Get-LoadedType([string] $AssemblyName, [string] $TypeName) {
    [AppDomain]::CurrentDomain.GetAssemblies() |
        Where-Object { $_.GetName().Name -eq $AssemblyName } |
        ForEach-Object { $_.GetType($TypeName) } |
        Where-Object { $_ } |
        Select-Object -First 1
}

# ---- the SQLite library the module ships, to inspect cache files from the outside ------------------

function Get-SqliteConnectionType { Get-LoadedType 'Microsoft.Data.Sqlite' 'Microsoft.Data.Sqlite.SqliteConnection' }

# One scalar from a SQLite file, through the module's own Microsoft.Data.Sqlite.
function Invoke-SqliteScalar([string] $Path, [string] $Sql, [switch] $ReadOnly) {
    $type = Get-SqliteConnectionType
    if (-not $type) {
        # The module loads it on first use: one cached score brings it in.
        'x' | Get-ZipFitScore -Target 'y' -CachePath (Join-Path ([IO.Path]::GetTempPath()) "zipfit-warm-$PID.db") | Out-Null
        $type = Get-SqliteConnectionType
        if (-not $type) { throw 'Microsoft.Data.Sqlite is not loaded by the module.' }
    }
    $mode = if ($ReadOnly) { ';Mode=ReadOnly' } else { '' }
    $connection = [Activator]::CreateInstance($type, [object[]]@("Data Source=$Path$mode;Pooling=False"))
    try {
        $connection.Open()
        $command = $connection.CreateCommand()
        $command.CommandText = $Sql
        $command.ExecuteScalar()
    }
    finally {
        $connection.Dispose()
    }
}
