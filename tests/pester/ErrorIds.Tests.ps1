# Bad records are non-terminating errors with file:line; bad arguments stop before any work, with
# stable ZipFit.* ids, categories and target objects.
BeforeAll { . (Join-Path $PSScriptRoot 'Common.ps1') }

Describe 'Per-record errors are non-terminating' {
    BeforeAll {
        $bad = Join-Path $TestDrive 'bad.jsonl'
        $bytes = [Text.Encoding]::UTF8.GetBytes("{`"id`":`"a`",`"text`":`"alpha`"}`n{`"id`":`"b`",`"text`":`n{`"id`":`"c`"}`n")
        $invalidUtf8 = [byte[]](0x7B, 0x22, 0x74, 0x65, 0x78, 0x74, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D, 0x0A)
        $tail = [Text.Encoding]::UTF8.GetBytes("{`"id`":`"d`",`"text`":`"delta`"}`n")
        [IO.File]::WriteAllBytes($bad, [byte[]]($bytes + $invalidUtf8 + $tail))
        $examples = @(Import-ZipFitDataset $bad -ErrorVariable readErrors -ErrorAction SilentlyContinue)
    }

    It 'the good records go through' {
        $examples.Id | Should -Be @('a', 'd')
    }

    It 'one error per bad record, with its id' {
        $readErrors.Count | Should -Be 3
        $readErrors | ForEach-Object { Get-ErrorId $_ } | Should -Be @('ZipFit.InvalidJson', 'ZipFit.MissingTextProperty', 'ZipFit.InvalidUtf8')
        $readErrors[0].FullyQualifiedErrorId | Should -Be 'ZipFit.InvalidJson,ZipFit.Commands.ImportZipFitDatasetCommand'
    }

    It 'the target object is file:line and the message names it' {
        $readErrors[0].TargetObject | Should -Be "${bad}:2"
        "$($readErrors[2])" | Should -BeLike "*${bad}:4*"
    }

    It 'the category is InvalidData' {
        $readErrors[0].CategoryInfo.Category | Should -Be 'InvalidData'
    }

    It 'scoring continues past objects without text (ZipFit.MissingTextProperty)' {
        $scored = @('def f(): pass', [pscustomobject]@{ other = 1 }, 'print(1)' |
            Get-ZipFitScore -Target 'def g(): return 1' -NoCache -ErrorVariable scoreErrors -ErrorAction SilentlyContinue)
        $scored.Count | Should -Be 2
        Get-ErrorId $scoreErrors[0] | Should -Be 'ZipFit.MissingTextProperty'
        $scoreErrors[0].TargetObject.other | Should -Be 1
    }

    It 'a text that is not a string is ZipFit.TextNotString' {
        $scored = @([pscustomobject]@{ text = 5 }, 'x' | Get-ZipFitScore -Target 'y' -NoCache -ErrorVariable errs -ErrorAction SilentlyContinue)
        $scored.Count | Should -Be 1
        Get-ErrorId $errs[0] | Should -Be 'ZipFit.TextNotString'
    }

    It 'a missing file is ZipFit.PathNotFound (ObjectNotFound) and the other paths are read' {
        $missing = Join-Path $TestDrive 'nope.jsonl'
        $r = @(Import-ZipFitDataset $missing, (Join-Path $Fixtures 'target.jsonl') -ErrorVariable notFound -ErrorAction SilentlyContinue)
        $r.Count | Should -Be 200
        Get-ErrorId $notFound[0] | Should -Be 'ZipFit.PathNotFound'
        $notFound[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'a missing file stops under -ErrorAction Stop' {
        { Import-ZipFitDataset (Join-Path $TestDrive 'nope.jsonl') -ErrorAction Stop } | Should -Throw -ErrorId 'ZipFit.PathNotFound*'
    }
}

Describe 'Argument errors stop before any work' {
    It '<Name>' -ForEach @(
        @{ Name = 'an empty -Target'; Id = 'ZipFit.EmptyTarget'; Script = { 'x' | Get-ZipFitScore -Target @() } }
        @{ Name = 'an empty New-ZipFitTarget'; Id = 'ZipFit.EmptyTarget'; Script = { @() | New-ZipFitTarget } }
        @{ Name = 'a target item without text'; Id = 'ZipFit.InvalidTargetItem'; Script = { 'x' | Get-ZipFitScore -Target ([pscustomobject]@{ body = 1 }) } }
        @{ Name = 'gzip -Level 12'; Id = 'ZipFit.InvalidLevel'; Script = { 'x' | Get-ZipFitScore -Target 'y' -Compressor gzip -Level 12 } }
        @{ Name = 'zstd -Level 0'; Id = 'ZipFit.InvalidLevel'; Script = { 'x' | Get-ZipFitScore -Target 'y' -Compressor zstd -Level 0 } }
        @{ Name = 'lz4 -Level 1'; Id = 'ZipFit.InvalidLevel'; Script = { 'x' | Get-ZipFitScore -Target 'y' -Compressor lz4 -Level 1 } }
        @{ Name = 'New-ZipFitTarget brotli -Level 12'; Id = 'ZipFit.InvalidLevel'; Script = { 'x' | New-ZipFitTarget -Compressor brotli -Level 12 } }
        @{ Name = 'an unknown compressor'; Id = 'ParameterArgumentValidationError'; Script = { 'x' | Get-ZipFitScore -Target 'y' -Compressor bzip2 } }
        @{ Name = 'Select-ZipFitTop 0'; Id = 'ParameterArgumentValidationError'; Script = { 'x' | Select-ZipFitTop 0 } }
        @{ Name = 'Export-ZipFitDataset to an existing file'; Id = 'ZipFit.OutputExists'; Script = { 'x' | Export-ZipFitDataset (Join-Path $Fixtures 'target.jsonl') } }
    ) {
        $err = $Script | Should -Throw -ErrorId "$Id*" -PassThru
        if ($Id -like 'ZipFit.*') { $err.CategoryInfo.Category | Should -Not -Be 'NotSpecified' }
    }

    It 'the level error names the valid range' {
        $err = { 'x' | Get-ZipFitScore -Target 'y' -Compressor zstd -Level 0 } | Should -Throw -PassThru
        $err.Exception.Message | Should -Match '1-22'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
    }
}

Describe 'Every ZipFit error id the module declares is documented' {
    It 'about_ZipFit names each id' {
        $assembly = (Get-Command Get-ZipFitScore).ImplementingType.Assembly
        $ids = $assembly.GetType('ZipFit.ErrorIds', $true).GetFields([Reflection.BindingFlags]'Public,Static') |
            Where-Object { $_.IsLiteral } | ForEach-Object { $_.GetRawConstantValue() } | Where-Object { $_ -like 'ZipFit.*' }
        $ids.Count | Should -BeGreaterThan 10
        $about = (Get-Help about_ZipFit | Out-String)
        foreach ($id in $ids) { $about | Should -Match ([regex]::Escape($id)) -Because "$id is raised by the module" }
    }
}
