# Errors as scripts catch them: a missing path is an ItemNotFoundException; I/O, SQLite and format failures
# keep their own exception type (catch [System.IO.IOException] works); ZipFit's own conditions are
# ZipFit.Commands.ZipFitException. Every record keeps its documented id (ZipFit.Xxx), category and target
# object (docs/reliability.md, about_ZipFit).

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) "zipfit-errors-$([guid]::NewGuid().ToString('n'))"
    New-Item -ItemType Directory -Path $Work | Out-Null
    $script:Pool = Join-Path $ExampleData 'pool.jsonl'
    $script:Target = Join-Path $ExampleData 'target.jsonl'
    $script:Missing = Join-Path $Work 'nope.jsonl'
}

AfterAll {
    Remove-Item -LiteralPath $Work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'A path that does not exist' {
    It 'is caught as ItemNotFoundException with -ErrorAction Stop' {
        $result = try { Import-ZipFitDataset nope.jsonl -ErrorAction Stop } catch [System.Management.Automation.ItemNotFoundException] { 'ok' }
        $result | Should -Be 'ok'
    }

    It 'carries ZipFit.PathNotFound, ObjectNotFound and the path, in the catch block as with -ErrorVariable' {
        $caught = try { Import-ZipFitDataset $Missing -ErrorAction Stop } catch [System.Management.Automation.ItemNotFoundException] { $_ }
        $caught.FullyQualifiedErrorId | Should -Be 'ZipFit.PathNotFound,ZipFit.Commands.ImportZipFitDatasetCommand'
        $caught.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $caught.TargetObject | Should -Be $Missing
        $caught.Exception | Should -BeOfType System.Management.Automation.ItemNotFoundException

        $errors = $null
        $null = Import-ZipFitDataset $Missing -ErrorVariable errors -ErrorAction SilentlyContinue
        $recorded = $errors[0]
        $recorded.FullyQualifiedErrorId | Should -Be $caught.FullyQualifiedErrorId
        $recorded.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $recorded.TargetObject | Should -Be $Missing
        $recorded.Exception | Should -BeOfType System.Management.Automation.ItemNotFoundException
        "$recorded" | Should -Be "Cannot find path '$Missing' because it does not exist."
    }

    It 'is non-terminating: the other paths are still read' {
        $errors = $null
        $examples = Import-ZipFitDataset $Missing, $Pool -ErrorVariable errors -ErrorAction SilentlyContinue
        @($examples).Count | Should -Be 400
        @($errors).Count | Should -Be 1
    }

    It 'is the same for Get-ZipFitScore -Path' {
        $caught = try { Get-ZipFitScore -Path $Missing -Target 'x' -NoCache -ErrorAction Stop } catch [System.Management.Automation.ItemNotFoundException] { $_ }
        $caught.FullyQualifiedErrorId | Should -Be 'ZipFit.PathNotFound,ZipFit.Commands.GetZipFitScoreCommand'
        $caught.TargetObject | Should -Be $Missing
    }

    It 'a cache that does not exist is ZipFit.CacheNotFound, an ItemNotFoundException' {
        $path = Join-Path $Work 'no-cache.db'
        $caught = try { Get-ZipFitCache -CachePath $path -ErrorAction Stop } catch [System.Management.Automation.ItemNotFoundException] { $_ }
        $caught.FullyQualifiedErrorId | Should -Be 'ZipFit.CacheNotFound,ZipFit.Commands.GetZipFitCacheCommand'
        $caught.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $caught.TargetObject | Should -Be $path
    }

    It 'a directory given as a dataset file stays ZipFit.PathNotFound, InvalidArgument' {
        $errors = $null
        $null = Import-ZipFitDataset $Work -ErrorVariable errors -ErrorAction SilentlyContinue
        $recorded = $errors[0]
        $recorded.FullyQualifiedErrorId | Should -Be 'ZipFit.PathNotFound,ZipFit.Commands.ImportZipFitDatasetCommand'
        $recorded.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $recorded.TargetObject | Should -Be $Work
    }
}

Describe 'I/O failures keep their exception type' {
    It 'exporting over a directory is an IOException, ZipFit.WriteFailed, and the directory is left as it was' {
        $dir = Join-Path $Work 'out-dir'
        New-Item -ItemType Directory -Path $dir | Out-Null
        'keep' | Set-Content (Join-Path $dir 'inside.txt')
        $caught = try { 'a text' | Export-ZipFitDataset $dir -Force -ErrorAction Stop; 'no error' } catch [System.IO.IOException] { $_ }
        $caught | Should -Not -Be 'no error'
        $caught.Exception | Should -BeOfType System.IO.IOException
        $caught.FullyQualifiedErrorId | Should -Be 'ZipFit.WriteFailed,ZipFit.Commands.ExportZipFitDatasetCommand'
        $caught.CategoryInfo.Category | Should -Be 'WriteError'
        $caught.TargetObject | Should -Be $dir
        Get-Content (Join-Path $dir 'inside.txt') | Should -Be 'keep'
        @(Get-ChildItem -LiteralPath $Work -Force -Filter '*.partial').Count | Should -Be 0
    }

    It 'exporting beneath a regular file is an IOException (DirectoryNotFoundException), ZipFit.WriteFailed' {
        $file = Join-Path $Work 'plain.txt'
        'x' | Set-Content $file
        $out = Join-Path $file 'out.jsonl'
        $caught = try { 'a text' | Export-ZipFitDataset $out -ErrorAction Stop } catch [System.IO.IOException] { $_ }
        $caught.Exception | Should -BeOfType System.IO.IOException
        $caught.FullyQualifiedErrorId | Should -Be 'ZipFit.WriteFailed,ZipFit.Commands.ExportZipFitDatasetCommand'
        $caught.CategoryInfo.Category | Should -Be 'WriteError'
        $caught.TargetObject | Should -Be $out
    }

    It 'an unreadable Parquet file is an IOException, ZipFit.UnreadableFile, non-terminating' {
        $file = Join-Path $Work 'bad.parquet'
        'not parquet at all' | Set-Content $file
        $caught = try { Import-ZipFitDataset $file -ErrorAction Stop } catch [System.IO.IOException] { $_ }
        $caught.FullyQualifiedErrorId | Should -Be 'ZipFit.UnreadableFile,ZipFit.Commands.ImportZipFitDatasetCommand'
        $caught.CategoryInfo.Category | Should -Be 'InvalidData'
        $caught.TargetObject | Should -Be $file
        "$caught" | Should -BeLike "${file}: Cannot read the Parquet file:*"

        $errors = $null
        $examples = Import-ZipFitDataset $file, $Pool -ErrorVariable errors -ErrorAction SilentlyContinue
        @($examples).Count | Should -Be 400
        @($errors).Count | Should -Be 1
    }

    It 'a .gz cut in half keeps its InvalidDataException, ZipFit.TruncatedFile, after every whole record' {
        $bytes = [IO.File]::ReadAllBytes($Pool)
        $buffer = [IO.MemoryStream]::new()
        $gzip = [IO.Compression.GZipStream]::new($buffer, [IO.Compression.CompressionLevel]::Optimal)
        $gzip.Write($bytes, 0, $bytes.Length)
        $gzip.Dispose()
        $whole = $buffer.ToArray()
        $file = Join-Path $Work 'cut.jsonl.gz'
        [IO.File]::WriteAllBytes($file, $whole[0..([int]($whole.Length / 2))])

        $errors = $null
        $examples = @(Import-ZipFitDataset $file -ErrorVariable errors -ErrorAction SilentlyContinue)
        $examples.Count | Should -BeGreaterThan 0
        $examples.Count | Should -BeLessThan 400
        @($errors).Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'ZipFit.TruncatedFile,ZipFit.Commands.ImportZipFitDatasetCommand'
        $errors[0].Exception | Should -BeOfType System.IO.InvalidDataException
        $errors[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $errors[0].TargetObject | Should -Be "${file}:$($examples.Count + 1)"
    }
}

Describe 'Cache failures keep their exception type' {
    It 'a text file at -CachePath is ZipFit.NotACache, InvalidData, the path, with the engine''s own exception; the file is untouched' {
        $file = Join-Path $Work 'not-a-cache.db'
        'just text' | Set-Content $file
        $before = Get-FileHash $file
        $caught = try { 'abc' | Get-ZipFitScore -Target 'abd' -CachePath $file -ErrorAction Stop } catch { $_ }
        $caught.FullyQualifiedErrorId | Should -Be 'ZipFit.NotACache,ZipFit.Commands.GetZipFitScoreCommand'
        $caught.CategoryInfo.Category | Should -Be 'InvalidData'
        $caught.TargetObject | Should -Be $file
        $caught.Exception.GetType().FullName | Should -Be 'ZipFit.Core.Cache.NotACacheException'
        (Get-FileHash $file).Hash | Should -Be $before.Hash
    }
}

Describe 'ZipFit''s own conditions' {
    It 'a bad record is ZipFit.InvalidJson, InvalidData, at file:line, a ZipFitException' {
        $file = Join-Path $Work 'bad.jsonl'
        Set-Content $file -Value '{"text": "fine"}', '{"text": broken', '{"text": "fine too"}'
        $errors = $null
        $examples = Import-ZipFitDataset $file -ErrorVariable errors -ErrorAction SilentlyContinue
        @($examples).Count | Should -Be 2
        $errors[0].FullyQualifiedErrorId | Should -Be 'ZipFit.InvalidJson,ZipFit.Commands.ImportZipFitDatasetCommand'
        $errors[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $errors[0].TargetObject | Should -Be "${file}:2"
        $errors[0].Exception.GetType().FullName | Should -Be 'ZipFit.Commands.ZipFitException'
    }

    It 'an empty target is ZipFit.EmptyTarget, InvalidArgument' {
        $caught = try { 'abc' | Get-ZipFitScore -Target @() -NoCache } catch { $_ }
        $caught.FullyQualifiedErrorId | Should -Be 'ZipFit.EmptyTarget,ZipFit.Commands.GetZipFitScoreCommand'
        $caught.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $caught.Exception.GetType().FullName | Should -Be 'ZipFit.Commands.ZipFitException'
    }

    It 'a level the compressor does not have is ZipFit.InvalidLevel, InvalidArgument, the level as target' {
        $caught = try { 'abc' | Get-ZipFitScore -Target 'abd' -Compressor lz4 -Level 2 -NoCache } catch { $_ }
        $caught.FullyQualifiedErrorId | Should -Be 'ZipFit.InvalidLevel,ZipFit.Commands.GetZipFitScoreCommand'
        $caught.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $caught.TargetObject | Should -Be 2
    }

    It 'a bad -Shard keeps its FormatException, ZipFit.InvalidShard, InvalidArgument, the text as target' {
        $caught = try { Import-ZipFitDataset $Pool -Shard 5/2 } catch [FormatException] { $_ }
        $caught.FullyQualifiedErrorId | Should -Be 'ZipFit.InvalidShard,ZipFit.Commands.ImportZipFitDatasetCommand'
        $caught.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $caught.TargetObject | Should -Be '5/2'
    }

    It 'an existing output without -Force is ZipFit.OutputExists, ResourceExists, and the file is untouched' {
        $file = Join-Path $Work 'exists.jsonl'
        'keep me' | Set-Content $file
        $caught = try { 'abc' | Export-ZipFitDataset $file } catch { $_ }
        $caught.FullyQualifiedErrorId | Should -Be 'ZipFit.OutputExists,ZipFit.Commands.ExportZipFitDatasetCommand'
        $caught.CategoryInfo.Category | Should -Be 'ResourceExists'
        $caught.TargetObject | Should -Be $file
        Get-Content $file | Should -Be 'keep me'
    }
}
