# Strings, objects with a text property (e.g. from Import-Csv), and -TextProperty/-IdProperty all bind;
# every compressor runs through the same cmdlets; Select-ZipFitTop's two selections.
BeforeAll { . (Join-Path $PSScriptRoot 'Common.ps1') }

Describe 'Input binding' {
    BeforeAll {
        $target = 'def add(a, b):', 'def sub(a, b):' | New-ZipFitTarget
        $objects = @(
            [pscustomobject]@{ id = 'code'; text = 'def mul(a, b):' }
            [pscustomobject]@{ id = 'prose'; text = 'The weather was lovely on the coast.' }
        )
        $scored = @($objects | Get-ZipFitScore -Target $target -NoCache)
    }

    It 'objects with a text property: id from the object, code above prose' {
        $scored[0].Id | Should -Be 'code'
        $scored[0].Score | Should -BeGreaterThan $scored[1].Score
        $scored[0] | Should -BeOfType 'ZipFit.ScoredExample'
    }

    It '-TextProperty picks the property' {
        @([pscustomobject]@{ body = 'def div(a, b):' } | Get-ZipFitScore -Target $target -TextProperty body -NoCache).Count | Should -Be 1
    }

    It '-IdProperty picks the id' {
        $r = [pscustomobject]@{ key = 'k1'; text = 'def div(a, b):' } | Get-ZipFitScore -Target $target -IdProperty key -NoCache
        $r.Id | Should -Be 'k1'
    }

    It 'Import-Csv rows bind by their text column' {
        $csv = Join-Path $TestDrive 'data.csv'
        [IO.File]::WriteAllLines($csv, [string[]]@('id,text', 'c1,def mul(a b): pass', 'c2,hello world'))
        $r = @(Import-Csv $csv | Get-ZipFitScore -Target $target -NoCache)
        $r.Id | Should -Be @('c1', 'c2')
    }

    It 'strings and an inline target score as objects do' {
        $strings = @('def mul(a, b):' | Get-ZipFitScore -Target 'def add(a, b):', 'def sub(a, b):' -NoCache)
        $strings[0].Score | Should -Be $scored[0].Score
        $strings[0].Id | Should -Be 'input:1'
    }

    It '<Compressor> names itself on each result' -ForEach @(@{ Compressor = 'gzip' }, @{ Compressor = 'zstd' }, @{ Compressor = 'brotli' }, @{ Compressor = 'lz4' }) {
        $r = @($objects | Get-ZipFitScore -Target $target -Compressor $Compressor -NoCache)
        $r[0].Compressor | Should -BeLike "$Compressor-*"
    }

    It 'a target made with a compressor carries it into scoring' {
        $zt = 'def add(a, b):' | New-ZipFitTarget -Compressor zstd -Level 5
        $zt | Should -BeOfType 'ZipFit.Target'
        @('x = 1' | Get-ZipFitScore -Target $zt -NoCache)[0].Compressor | Should -BeLike 'zstd-5/*'
    }

    It 'ZipFit examples from Import-ZipFitDataset keep their id and source' {
        $r = @(Import-ZipFitDataset (Join-Path $Fixtures 'source.jsonl') | Select-Object -First 2 | Get-ZipFitScore -Target $target -NoCache)
        $r[0].Id | Should -Be @(Import-ZipFitDataset (Join-Path $Fixtures 'source.jsonl'))[0].Id
    }
}

Describe 'Select-ZipFitTop' {
    It '-MinScore alone keeps those at or above' {
        $all = @([pscustomobject]@{ Id = 'a'; Score = 0.2 }, [pscustomobject]@{ Id = 'b'; Score = 0.7 }, [pscustomobject]@{ Id = 'c'; Score = 0.5 })
        @($all | Select-ZipFitTop -MinScore 0.5).Id | Should -Be @('b', 'c')
    }

    It '-Top and -MinScore together' {
        $all = 0.1, 0.9, 0.8, 0.85 | ForEach-Object { [pscustomobject]@{ Id = "$_"; Score = $_ } }
        @($all | Select-ZipFitTop 2 -MinScore 0.5).Id | Should -Be @('0.9', '0.85')
    }

    It 'best first, ties in input order' {
        $tied = @([pscustomobject]@{ Id = 'a'; Score = 0.5 }, [pscustomobject]@{ Id = 'b'; Score = 0.5 }, [pscustomobject]@{ Id = 'c'; Score = 0.9 } | Select-ZipFitTop 2)
        $tied.Id | Should -Be @('c', 'a')
    }

    It 'neither -Top nor -MinScore is ZipFit.NoSelection' {
        { [pscustomobject]@{ Score = 1 } | Select-ZipFitTop } | Should -Throw -ErrorId 'ZipFit.NoSelection*'
    }

    It 'an object without a score is ZipFit.NoScore, non-terminating' {
        $r = @([pscustomobject]@{ Id = 'a' }, [pscustomobject]@{ Id = 'b'; Score = 1.0 } | Select-ZipFitTop 5 -ErrorVariable errs -ErrorAction SilentlyContinue)
        $r.Id | Should -Be 'b'
        Get-ErrorId $errs[0] | Should -Be 'ZipFit.NoScore'
    }
}
