# The manifest is valid and exports exactly the cmdlets it lists; the views are loaded.
. $PSScriptRoot/_Helpers.ps1
$manifest = Test-ModuleManifest -Path (Join-Path $PSScriptRoot '..' '..' 'ZipFit.psd1')
Assert-Equal 'ZipFit' $manifest.Name 'module name'
Assert-True ($manifest.PowerShellVersion -eq [version]'7.4') 'PowerShellVersion 7.4'
Assert-True ($manifest.CompatiblePSEditions -contains 'Core') 'Core edition'

$module = Get-Module ZipFit
$exported = @($module.ExportedCmdlets.Keys)
foreach ($name in $manifest.ExportedCmdlets.Keys) {
    Assert-True ($exported -contains $name) "$name is exported"
    $command = Get-Command $name
    Assert-True ($command.OutputType.Count -gt 0) "$name declares its output type"
}
Assert-Equal $manifest.ExportedCmdlets.Count $exported.Count 'nothing exported beyond the manifest'

$formatFiles = @($module.ExportedFormatFiles)
Assert-Equal 1 $formatFiles.Count 'one format file'
$views = ([xml][System.IO.File]::ReadAllText($formatFiles[0])).Configuration.ViewDefinitions.View
foreach ($type in 'ZipFit.ScoredExample', 'ZipFit.Example', 'ZipFit.Target') {
    Assert-True (@($views | Where-Object { $_.ViewSelectedBy.TypeName -eq $type }).Count -eq 1) "a view for $type"
}
