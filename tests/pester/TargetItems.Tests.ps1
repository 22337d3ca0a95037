# -Target, -Background and New-ZipFitTarget take their items through one transformation: every form of the same
# examples gives the same target set, the same scores and the same errors.
BeforeAll { . (Join-Path $PSScriptRoot 'Common.ps1') }

BeforeDiscovery {
    $forms = @(
        @{ Name = 'strings' }
        @{ Name = 'Import-ZipFitDataset output' }
        @{ Name = 'objects with a text property' }
        @{ Name = 'wrapped strings with note properties' }
        @{ Name = 'Get-ZipFitScore output' }
        @{ Name = 'arrays inside an array' }
    )
}

Describe 'Target and background items: every way in alike (<Name>)' -ForEach $forms {
    BeforeAll {
        $targetPath = Join-Path $Fixtures 'target.jsonl'
        $examples = @(Import-ZipFitDataset $targetPath)
        $texts = [string[]]$examples.Text
        $pool = @(Import-ZipFitDataset (Join-Path $Fixtures 'source.jsonl'))[0..11]
        $n = $texts.Count
        $items = switch ($Name) {
            'strings' { , $texts }
            'Import-ZipFitDataset output' { , @(Import-ZipFitDataset $targetPath) }
            'objects with a text property' { , @($texts | ForEach-Object { [pscustomobject]@{ text = $_; other = 1 } }) }
            'wrapped strings with note properties' { , @($texts | ForEach-Object { Add-Member -InputObject $_ -NotePropertyName PSPath -NotePropertyValue 'x' -PassThru }) }
            'Get-ZipFitScore output' { , @($examples | Get-ZipFitScore -Target 'x' -NoCache) }
            'arrays inside an array' { , @(@($examples[0..1]), @($texts[2..($n - 1)])) }
        }
        $reference = $texts | New-ZipFitTarget
        $referenceScores = @($pool | Get-ZipFitScore -Target $texts -NoCache).Score
    }

    It 'New-ZipFitTarget -InputObject and from the pipeline: the same target set' {
        (New-ZipFitTarget -InputObject $items).Fingerprint | Should -Be $reference.Fingerprint
        ($items | New-ZipFitTarget).Fingerprint | Should -Be $reference.Fingerprint
        (New-ZipFitTarget -InputObject $items).Count | Should -Be $n
    }

    It 'Get-ZipFitScore -Target: the same scores' {
        @($pool | Get-ZipFitScore -Target $items -NoCache).Score | Should -Be $referenceScores
    }

    It 'Measure-ZipFitAlignment -Target: the same measures' {
        $expected = $pool | Measure-ZipFitAlignment -Target $texts -NoCache
        $actual = $pool | Measure-ZipFitAlignment -Target $items -NoCache
        $actual.TargetCount | Should -Be $n
        $actual.Alignment | Should -Be $expected.Alignment
        $actual.TargetBitsPerByte | Should -Be $expected.TargetBitsPerByte
    }

    It 'Get-ZipFitScore -Background: the same sample, the same scores' {
        $expected = @($pool | Get-ZipFitScore -Target $reference -Method Dsir -Background $texts -NoCache).Score
        @($pool | Get-ZipFitScore -Target $reference -Method Dsir -Background $items -NoCache).Score | Should -Be $expected
    }
}

Describe 'Target and background items: the same errors every way in' {
    It 'an item without text: ZipFit.InvalidTargetItem through -Target, ZipFit.InvalidBackgroundItem through -Background, also inside a nested array' {
        $bad = @('a', @([pscustomobject]@{ body = 'b' }))
        { 'x' | Get-ZipFitScore -Target $bad -NoCache } | Should -Throw -ErrorId 'ZipFit.InvalidTargetItem*'
        { 'x' | Measure-ZipFitAlignment -Target $bad -NoCache } | Should -Throw -ErrorId 'ZipFit.InvalidTargetItem*'
        { 'x' | Get-ZipFitScore -Target 'y' -Method Dsir -Background $bad -NoCache } | Should -Throw -ErrorId 'ZipFit.InvalidBackgroundItem*'
        $made = New-ZipFitTarget -InputObject $bad -ErrorVariable errs -ErrorAction SilentlyContinue
        $made.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'ZipFit.InvalidTargetItem*'
    }

    It 'only nulls and empty arrays: ZipFit.EmptyTarget / ZipFit.EmptyBackground' {
        { 'x' | Get-ZipFitScore -Target @(@(), $null) -NoCache } | Should -Throw -ErrorId 'ZipFit.EmptyTarget*'
        { 'x' | Get-ZipFitScore -Target 'y' -Method Dsir -Background @($null, @()) -NoCache } | Should -Throw -ErrorId 'ZipFit.EmptyBackground*'
        { New-ZipFitTarget -InputObject @($null, @()) } | Should -Throw -ErrorId 'ZipFit.EmptyTarget*'
    }

    It 'a ZipFit.Target is taken whole by -Target, also inside an array of one' {
        $target = 'def f(): pass', 'def g(): pass' | New-ZipFitTarget
        $direct = @('def h(): pass' | Get-ZipFitScore -Target $target -NoCache).Score
        @('def h(): pass' | Get-ZipFitScore -Target @(, @($target)) -NoCache).Score | Should -Be $direct
    }
}
