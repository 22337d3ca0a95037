<#
.SYNOPSIS
    Publishes the built module folder (artifacts/ZipFit) to a local PSResourceGet repository.

.DESCRIPTION
    A local repository is a folder of .nupkg files. This script registers the folder as a PSResourceGet
    repository (once; it stays registered for the current user) and publishes artifacts/ZipFit into it
    with Publish-PSResource. Then, on this machine or any that can read the folder (a share, a copy):

        Register-PSResourceRepository -Name ZipFitLocal -Uri <folder> -Trusted   # on another machine
        Install-PSResource ZipFit -Repository ZipFitLocal
        Import-Module ZipFit

    PSResourceGet (Microsoft.PowerShell.PSResourceGet) ships with PowerShell 7.4 and later.
    Build first: dotnet build -c Release.

.PARAMETER RepositoryPath
    The repository folder; created if missing.

.PARAMETER RepositoryName
    The name the folder is registered under (default ZipFitLocal). An existing registration of that
    name must point to the same folder.

.PARAMETER ModulePath
    The module folder to publish (default: artifacts/ZipFit of this repository).

.PARAMETER Force
    Replace a package of the same version already in the repository.

.EXAMPLE
    ./tools/Publish-LocalModule.ps1 -RepositoryPath ~/psrepo
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)]
    [string] $RepositoryPath,

    [ValidateNotNullOrEmpty()]
    [string] $RepositoryName = 'ZipFitLocal',

    [ValidateNotNullOrEmpty()]
    [string] $ModulePath = (Join-Path $PSScriptRoot '..' 'artifacts' 'ZipFit'),

    [switch] $Force
)

$ErrorActionPreference = 'Stop'
Import-Module Microsoft.PowerShell.PSResourceGet

$manifestPath = Join-Path $ModulePath 'ZipFit.psd1'
if (-not (Test-Path -LiteralPath $manifestPath)) {
    throw "No module at '$ModulePath': build it first (dotnet build -c Release)."
}
$ModulePath = (Resolve-Path -LiteralPath $ModulePath).ProviderPath
$version = (Import-PowerShellDataFile -LiteralPath $manifestPath).ModuleVersion

$null = New-Item -ItemType Directory -Path $RepositoryPath -Force
$folder = (Resolve-Path -LiteralPath $RepositoryPath).ProviderPath.TrimEnd([IO.Path]::DirectorySeparatorChar, [IO.Path]::AltDirectorySeparatorChar)

$existing = Get-PSResourceRepository -Name $RepositoryName -ErrorAction SilentlyContinue
if ($existing) {
    $registered = $existing.Uri.LocalPath.TrimEnd([IO.Path]::DirectorySeparatorChar, [IO.Path]::AltDirectorySeparatorChar)
    if ($registered -ne $folder) {
        throw "The repository '$RepositoryName' is registered for '$registered', not '$folder'. Pass another -RepositoryName or unregister it (Unregister-PSResourceRepository $RepositoryName)."
    }
}
else {
    Register-PSResourceRepository -Name $RepositoryName -Uri $folder -Trusted
    Write-Verbose "Registered '$folder' as the PSResourceGet repository '$RepositoryName'."
}

$published = Get-ChildItem -LiteralPath $folder -Filter '*.nupkg' |
    Where-Object { $_.Name -ieq "ZipFit.$version.nupkg" }
if ($published) {
    if (-not $Force) {
        throw "ZipFit $version is already in '$folder'. Raise Version in Directory.Build.props, or pass -Force to replace it."
    }
    $published | Remove-Item -Force
}

Publish-PSResource -Path $ModulePath -Repository $RepositoryName
Get-ChildItem -LiteralPath $folder -Filter '*.nupkg' | Where-Object { $_.Name -ieq "ZipFit.$version.nupkg" }
