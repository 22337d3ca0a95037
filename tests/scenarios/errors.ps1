# Bad records are non-terminating errors with file:line; bad arguments stop before any work.
. $PSScriptRoot/_Helpers.ps1
$dir = New-TestDirectory
try {
    $bad = Join-Path $dir 'bad.jsonl'
    $bytes = [System.Text.Encoding]::UTF8.GetBytes("{`"id`":`"a`",`"text`":`"alpha`"}`n{`"id`":`"b`",`"text`":`n{`"id`":`"c`"}`n")
    $invalidUtf8 = [byte[]](0x7B, 0x22, 0x74, 0x65, 0x78, 0x74, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D, 0x0A)
    $tail = [System.Text.Encoding]::UTF8.GetBytes("{`"id`":`"d`",`"text`":`"delta`"}`n")
    [System.IO.File]::WriteAllBytes($bad, [byte[]]($bytes + $invalidUtf8 + $tail))

    $examples = @(Import-ZipFitDataset $bad -ErrorVariable readErrors -ErrorAction SilentlyContinue)
    Assert-Equal 2 $examples.Count 'the good records go through'
    Assert-Equal 'a' $examples[0].Id 'first good record'
    Assert-Equal 'd' $examples[1].Id 'last good record'
    Assert-Equal 3 $readErrors.Count 'one error per bad record'
    Assert-True ($readErrors[0].FullyQualifiedErrorId -like 'ZipFit.InvalidJson,*') $readErrors[0].FullyQualifiedErrorId
    Assert-True ($readErrors[1].FullyQualifiedErrorId -like 'ZipFit.MissingTextProperty,*') $readErrors[1].FullyQualifiedErrorId
    Assert-True ($readErrors[2].FullyQualifiedErrorId -like 'ZipFit.InvalidUtf8,*') $readErrors[2].FullyQualifiedErrorId
    Assert-Equal "${bad}:2" $readErrors[0].TargetObject 'the error names file:line'
    Assert-True ("$($readErrors[2])" -like "*${bad}:4*") 'the message names file:line'
    Assert-Equal 'InvalidData' "$($readErrors[0].CategoryInfo.Category)" 'category'

    # Scoring continues past input objects without text.
    $scored = @('def f(): pass', [pscustomobject]@{ other = 1 }, 'print(1)' |
        Get-ZipFitScore -Target 'def g(): return 1' -ErrorVariable scoreErrors -ErrorAction SilentlyContinue)
    Assert-Equal 2 $scored.Count 'good inputs are scored'
    Assert-True ($scoreErrors[0].FullyQualifiedErrorId -like 'ZipFit.MissingTextProperty,*') 'missing text is reported'

    # Argument errors stop before any work, with clear ids.
    Assert-Throws { 'x' | Get-ZipFitScore -Target @() } 'ZipFit.EmptyTarget' | Out-Null
    Assert-Throws { @() | New-ZipFitTarget } 'ZipFit.EmptyTarget' | Out-Null
    Assert-Throws { 'x' | Get-ZipFitScore -Target 'y' -Compressor gzip -Level 12 } 'ZipFit.InvalidLevel' | Out-Null
    Assert-Throws { 'x' | Get-ZipFitScore -Target 'y' -Compressor zstd -Level 0 } 'ZipFit.InvalidLevel' | Out-Null
    Assert-Throws { 'x' | Get-ZipFitScore -Target 'y' -Compressor bzip2 } 'ParameterArgumentValidationError' | Out-Null
    Assert-Throws { 'x' | Select-ZipFitTop 0 } 'ParameterArgumentValidationError' | Out-Null

    $missing = Join-Path $dir 'nope.jsonl'
    Import-ZipFitDataset $missing -ErrorVariable notFound -ErrorAction SilentlyContinue | Out-Null
    Assert-True ($notFound[0].FullyQualifiedErrorId -like 'ZipFit.PathNotFound,*') 'a missing file is reported'
}
finally {
    Remove-Item -LiteralPath $dir -Recurse -Force
}
