# Dot-sourced by every tests/pester/<Area>.Tests.ps1 in BeforeAll:
#   BeforeAll { . (Join-Path $PSScriptRoot 'Common.ps1') }
# Imports the built module from $env:ZIPFIT_TEST_MODULE if set, else <repo>/artifacts/ZipFit/ZipFit.psd1
# (the self-contained folder `dotnet build` produces), and names the test data folders.
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '..' '..')).Path
$script:ModuleManifest = if ($env:ZIPFIT_TEST_MODULE) { $env:ZIPFIT_TEST_MODULE } else { Join-Path $script:RepoRoot 'artifacts' 'ZipFit' 'ZipFit.psd1' }
if (-not (Test-Path -LiteralPath $script:ModuleManifest)) {
    throw "The module is not built: $($script:ModuleManifest) is missing. Run 'dotnet build -c Release' first."
}
Import-Module $script:ModuleManifest -Force -ErrorAction Stop
$script:Fixtures = Join-Path $script:RepoRoot 'tests' 'fixtures'
$script:ExampleData = Join-Path $script:RepoRoot 'examples' 'data'
