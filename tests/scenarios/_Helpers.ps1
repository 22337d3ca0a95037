# Assertions for scenario scripts: the runspace has only the Core cmdlets, so these use .NET directly.
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

# Stand-ins for Management cmdlets when the engine is hosted without them (CI's in-process runspace);
# under pwsh the real cmdlets are used.
if (-not (Get-Command Join-Path -ErrorAction SilentlyContinue)) {
    function Join-Path {
        param([string] $Path, [string] $ChildPath, [Parameter(ValueFromRemainingArguments)] [string[]] $AdditionalChildPath = @())
        [System.IO.Path]::Combine([string[]](@($Path, $ChildPath) + $AdditionalChildPath))
    }
    function Test-Path([string] $Path) { [System.IO.File]::Exists($Path) -or [System.IO.Directory]::Exists($Path) }
    function Remove-Item([string] $LiteralPath, [switch] $Recurse, [switch] $Force) {
        if ([System.IO.Directory]::Exists($LiteralPath)) { [System.IO.Directory]::Delete($LiteralPath, [bool]$Recurse) }
        elseif ([System.IO.File]::Exists($LiteralPath)) { [System.IO.File]::Delete($LiteralPath) }
    }
}

$script:Fixtures = [System.IO.Path]::Combine($PSScriptRoot, '..', 'fixtures', 'python-code')

function Assert-True([bool] $Condition, [string] $Message) {
    if (-not $Condition) { throw "Assertion failed: $Message" }
}

function Assert-Equal($Expected, $Actual, [string] $Message) {
    if (-not ($Expected -eq $Actual)) { throw "Assertion failed: $Message (expected '$Expected', got '$Actual')" }
}

function Assert-Close([double] $Expected, [double] $Actual, [double] $Tolerance, [string] $Message) {
    if ([Math]::Abs($Expected - $Actual) -gt $Tolerance) { throw "Assertion failed: $Message (expected $Expected, got $Actual)" }
}

# Runs $Script, which must fail with a terminating error whose FullyQualifiedErrorId starts with $ErrorId.
function Assert-Throws([scriptblock] $Script, [string] $ErrorId) {
    try {
        & $Script
    }
    catch {
        $id = $_.FullyQualifiedErrorId
        if (-not $id.StartsWith($ErrorId)) { throw "Expected error '$ErrorId', got '$id': $_" }
        return $_
    }
    throw "Expected error '$ErrorId', but nothing was thrown."
}

function Read-Tsv([string] $Path) {
    $map = @{}
    foreach ($line in [System.IO.File]::ReadAllLines($Path) | Where-Object { $_ -and -not $_.StartsWith('id') }) {
        $parts = $line.Split("`t")
        $map[$parts[0]] = [double]::Parse($parts[1], [Globalization.CultureInfo]::InvariantCulture)
    }
    $map
}

function New-TestDirectory {
    $dir = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'zipfit-' + [guid]::NewGuid().ToString('N'))
    [void][System.IO.Directory]::CreateDirectory($dir)
    $dir
}
