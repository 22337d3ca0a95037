@{
    # The development manifest (Import-Module ./ZipFit.psd1): the build writes the module only to artifacts/ZipFit,
    # whose manifest is this one stamped with RootModule module/lib/ZipFit.PowerShell.dll. Help is found next to
    # a manifest, so Get-Help works with Import-Module ./artifacts/ZipFit/ZipFit.psd1.
    RootModule           = 'artifacts/ZipFit/module/lib/ZipFit.PowerShell.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '6f0c7b0e-3f7a-4b8e-9b1d-2a9c5d4e7f10'
    Author               = 'ZipFit contributors'
    CompanyName          = 'ZipFit'
    Copyright            = '(c) ZipFit contributors. MIT License.'
    Description          = 'Selects fine-tuning data by compression (ZIP-FIT): scores a source pool against a target set with exact gzip NCD, zstd/brotli/lz4, and O(N) methods, in parallel, cached in SQLite.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('module/ZipFit.Format.ps1xml')
    CmdletsToExport      = @(
        'Import-ZipFitDataset'
        'New-ZipFitTarget'
        'Get-ZipFitScore'
        'Select-ZipFitTop'
        'Export-ZipFitDataset'
        'Export-ZipFitReport'
        'Measure-ZipFitAlignment'
        'Get-ZipFitCache'
        'Clear-ZipFitCache'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('MachineLearning', 'DataSelection', 'Compression', 'gzip', 'zstd', 'FineTuning', 'Linux', 'MacOS', 'Windows')
            # No ProjectUri or LicenseUri: the project has no public address yet; the MIT LICENSE file ships in the package.
            ReleaseNotes = @'
0.1.0
- First release: Import-ZipFitDataset, New-ZipFitTarget, Get-ZipFitScore, Select-ZipFitTop,
  Export-ZipFitDataset, Measure-ZipFitAlignment, Get-ZipFitCache, Clear-ZipFitCache.
- Exact ZIP-FIT gzip NCD (zlib 1.2.13 lengths on every platform), zstd, brotli, lz4; O(N) methods.
- SQLite score cache; sharding.
- The engine and its dependencies (SQLite, Parquet.Net, ZstdSharp, LZ4) load in a private
  AssemblyLoadContext, so other modules' versions of them do not conflict.
'@
        }
    }
}
