# Every -Method runs through the same cmdlets; the method travels with each result, into the cache and the export.
. $PSScriptRoot/_Helpers.ps1
$dir = New-TestDirectory
try {
    $target = Import-ZipFitDataset (Join-Path $Fixtures 'target.jsonl') | New-ZipFitTarget
    $pool = @(Import-ZipFitDataset (Join-Path $Fixtures 'source.jsonl'))
    $cachePath = Join-Path $dir 'cache.db'
    foreach ($method in 'ContextXent', 'MixtureXent', 'MultiViewXent', 'ZstdXent', 'Dsir', 'DsirSmoothed') {
        $scored = @($pool | Get-ZipFitScore -Target $target -Method $method -BackgroundSize 40 -CachePath $cachePath)
        Assert-Equal 60 $scored.Count "$method scores every example, the background sample included"
        for ($i = 0; $i -lt 60; $i++) { Assert-Equal $pool[$i].Id $scored[$i].Id "$method keeps input order" }
        Assert-True ($scored[0].Method -match '/bg:') "$method names its background sample: $($scored[0].Method)"
        $top = @($scored | Select-ZipFitTop 10)
        $py = 0.0; $other = 0.0
        foreach ($s in $scored) { if ($s.Record.domain -eq 'python') { $py += $s.Score / 12 } else { $other += $s.Score / 48 } }
        Assert-True ($py -gt $other) "$method scores python above the rest on average ($py vs $other)"

        $again = @($pool | Get-ZipFitScore -Target $target -Method $method -BackgroundSize 40 -CachePath $cachePath)
        for ($i = 0; $i -lt 60; $i++) { Assert-Equal $scored[$i].Score $again[$i].Score "$method cached score $i" }

        $out = Join-Path $dir "$method.jsonl"
        $top | Export-ZipFitDataset $out -IncludeScore
        Assert-Equal 10 ([System.IO.File]::ReadAllLines($out).Count) "$method export"
    }
    $info = Get-ZipFitCache -CachePath $cachePath
    Assert-Equal 6 @($info.Methods).Count 'six methods cached separately'

    Assert-Throws { 'x' | Get-ZipFitScore -Target 'y' -Method Bogus } 'CannotConvertArgument' | Out-Null
}
finally {
    Remove-Item -LiteralPath $dir -Recurse -Force
}
