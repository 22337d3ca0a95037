# Strings, objects with a text property (e.g. from Import-Csv), and -TextProperty all bind.
. $PSScriptRoot/_Helpers.ps1
$target = 'def add(a, b):', 'def sub(a, b):' | New-ZipFitTarget
$objects = @(
    [pscustomobject]@{ id = 'code'; text = 'def mul(a, b):' }
    [pscustomobject]@{ id = 'prose'; text = 'The weather was lovely on the coast.' }
)
$scored = @($objects | Get-ZipFitScore -Target $target)
Assert-Equal 'code' $scored[0].Id 'id from the object'
Assert-True ($scored[0].Score -gt $scored[1].Score) 'code scores above prose'

$custom = @([pscustomobject]@{ body = 'def div(a, b):' } | Get-ZipFitScore -Target $target -TextProperty body)
Assert-Equal 1 $custom.Count '-TextProperty picks the property'

$strings = @('def mul(a, b):' | Get-ZipFitScore -Target 'def add(a, b):', 'def sub(a, b):')
Assert-Close $scored[0].Score $strings[0].Score 0 'strings and a target given inline'

# Every compressor runs through the same cmdlets and names itself on each result.
foreach ($c in 'gzip', 'zstd', 'brotli', 'lz4') {
    $r = @($objects | Get-ZipFitScore -Target $target -Compressor $c)
    Assert-True ($r[0].Compressor -like "$c-*") "compressor identity for $c"
}

# A target made with a compressor carries it into scoring unless overridden.
$zt = 'def add(a, b):' | New-ZipFitTarget -Compressor zstd -Level 5
$z = @('x = 1' | Get-ZipFitScore -Target $zt)
Assert-True ($z[0].Compressor -like 'zstd-5/*') "the target's compressor: $($z[0].Compressor)"

# Select-ZipFitTop: -MinScore alone, and ties keep input order.
$all = @($objects | Get-ZipFitScore -Target $target)
$min = @($all | Select-ZipFitTop -MinScore $all[0].Score)
Assert-Equal 1 $min.Count '-MinScore keeps those at or above'
$tied = @([pscustomobject]@{ Id = 'a'; Score = 0.5 }, [pscustomobject]@{ Id = 'b'; Score = 0.5 }, [pscustomobject]@{ Id = 'c'; Score = 0.9 } | Select-ZipFitTop 2)
Assert-Equal 'c' $tied[0].Id 'best first'
Assert-Equal 'a' $tied[1].Id 'ties in input order'
