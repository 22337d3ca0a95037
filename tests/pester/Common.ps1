# Shared by every tests/pester/*.Tests.ps1: imports the built module and names the fixtures.
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:ModulePath = if ($env:ZIPFIT_TEST_MODULE) { $env:ZIPFIT_TEST_MODULE } else { Join-Path $script:RepoRoot 'artifacts/ZipFit/ZipFit.psd1' }
Import-Module $script:ModulePath -Force
$script:Fixtures = Join-Path $script:RepoRoot 'tests/fixtures'
