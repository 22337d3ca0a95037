# Pester 5 entry point for contributors with pwsh and Pester: runs every scenario script as one It.
# CI runs the same scripts in the hosted engine through `dotnet test` (tests/ZipFit.PowerShell.Tests).
#   Invoke-Pester ./tests/ZipFit.Tests.ps1
BeforeDiscovery {
    $scenarios = Get-ChildItem -Path (Join-Path $PSScriptRoot 'scenarios') -Filter '*.ps1' |
        Where-Object { -not $_.Name.StartsWith('_') } |
        ForEach-Object { @{ Name = $_.BaseName; Path = $_.FullName } }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '..' 'ZipFit.psd1') -Force
}

Describe 'ZipFit scenarios' {
    It '<Name>' -ForEach $scenarios {
        & $Path
    }
}
