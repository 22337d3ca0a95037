# Assembly isolation: ZipFit.Core and its dependencies load in ZipFit's private AssemblyLoadContext, so
# another module's (older) Microsoft.Data.Sqlite or ZstdSharp, loaded before or after ZipFit, keeps
# working, and so does ZipFit. Each scenario runs in a fresh pwsh: loaded assemblies cannot be unloaded.
# The older assemblies come from NuGet at build time (tests/pester/foreign), never from the network here.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'ChildProcess.ps1')
    $script:Foreign = (Get-PesterSupportPaths).Foreign
    # A slice of the shipped example data keeps 4 compressors x 2 passes x 4 sessions quick.
    $script:Slice = Join-Path ([IO.Path]::GetTempPath()) "zipfit-isolation-$([guid]::NewGuid().ToString('n'))"
    New-Item -ItemType Directory -Path $Slice | Out-Null
    $script:Pool = Join-Path $Slice 'pool.jsonl'
    $script:Target = Join-Path $Slice 'target.jsonl'
    Get-Content (Join-Path $ExampleData 'pool.jsonl') -TotalCount 60 | Set-Content $Pool
    Get-Content (Join-Path $ExampleData 'target.jsonl') -TotalCount 8 | Set-Content $Target
    $script:Compressors = 'gzip', 'zstd', 'brotli', 'lz4'

    # Runs in the child: loads the foreign assemblies (as another module would) or uses them.
    $script:ForeignHelpers = {
        function Add-Foreign([string] $Dir) {
            foreach ($name in 'SQLitePCLRaw.core', 'SQLitePCLRaw.provider.e_sqlite3', 'SQLitePCLRaw.batteries_v2', 'Microsoft.Data.Sqlite', 'ZstdSharp') {
                Add-Type -LiteralPath (Join-Path $Dir "$name.dll")
            }
        }
        # The foreign Sqlite opens an in-memory database and runs a query; the foreign ZstdSharp round-trips bytes.
        function Test-Foreign {
            $connection = [Microsoft.Data.Sqlite.SqliteConnection]::new('Data Source=:memory:')
            try {
                $connection.Open()
                $command = $connection.CreateCommand()
                $command.CommandText = 'CREATE TABLE t(x INTEGER); INSERT INTO t VALUES (6), (7); SELECT x FROM t WHERE x = 6 UNION ALL SELECT 6 * 7'
                $reader = $command.ExecuteReader()
                $rows = while ($reader.Read()) { $reader.GetInt64(0) }
                $reader.Dispose()
            }
            finally { $connection.Dispose() }
            $bytes = [Text.Encoding]::UTF8.GetBytes(('foreign zstd ' * 200))
            $buffer = [IO.MemoryStream]::new()
            $zstd = [ZstdSharp.CompressionStream]::new($buffer, 19, 0)
            $zstd.Write($bytes, 0, $bytes.Length)
            $zstd.Dispose()
            $compressed = $buffer.ToArray()
            $out = [IO.MemoryStream]::new()
            $unzstd = [ZstdSharp.DecompressionStream]::new([IO.MemoryStream]::new($compressed))
            $unzstd.CopyTo($out)
            $unzstd.Dispose()
            [pscustomobject]@{
                SqliteRows       = @($rows) -join ','
                SqliteVersion    = [Microsoft.Data.Sqlite.SqliteConnection].Assembly.GetName().Version.ToString()
                ZstdVersion      = [ZstdSharp.CompressionStream].Assembly.GetName().Version.ToString()
                ZstdRoundTrip    = [Text.Encoding]::UTF8.GetString($out.ToArray()) -eq [Text.Encoding]::UTF8.GetString($bytes)
                ZstdShrunk       = $compressed.Length -lt $bytes.Length / 10
            }
        }
        # Every compressor, through the cache (first run computes, second reads it back).
        function Invoke-ZipFit([string] $Pool, [string] $Target, [string] $Cache, [string[]] $Compressors) {
            $targetSet = Import-ZipFitDataset $Target
            foreach ($compressor in $Compressors) {
                foreach ($pass in 1, 2) {
                    $scored = Import-ZipFitDataset $Pool | Get-ZipFitScore -Target $targetSet -Compressor $compressor -CachePath $Cache
                    [pscustomobject]@{
                        Compressor = $compressor
                        Pass       = $pass
                        Count      = @($scored).Count
                        Type       = $scored[0].GetType().FullName
                        Top        = (@($scored | Select-ZipFitTop 3) | ForEach-Object Id) -join ','
                        Sum        = [Math]::Round(($scored | Measure-Object Score -Sum).Sum, 9)
                    }
                }
            }
        }
        function Get-LoadContexts {
            [AppDomain]::CurrentDomain.GetAssemblies() |
                Where-Object { $_.GetName().Name -match '^(ZipFit|Microsoft\.Data\.Sqlite|SQLitePCLRaw|ZstdSharp|Parquet|K4os|Snappier|CommunityToolkit)' } |
                ForEach-Object {
                    [pscustomobject]@{
                        Name    = $_.GetName().Name
                        Version = $_.GetName().Version.ToString()
                        Context = [Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).Name
                    }
                }
        }
    }.ToString()

    function Invoke-Scenario([scriptblock] $Body) {
        $script = [scriptblock]::Create(
            "param(`$Module, `$Foreign, `$Pool, `$Target, `$Cache, `$Compressors)`n$($script:ForeignHelpers)`n$($Body.ToString())")
        $cache = Join-Path ([IO.Path]::GetTempPath()) "zipfit-isolation-$([guid]::NewGuid().ToString('n')).db"
        try {
            Invoke-ChildScript -Script $script -Arguments @{
                Module = $ModuleManifest; Foreign = $Foreign; Pool = $Pool; Target = $Target; Cache = $cache; Compressors = $Compressors
            }
        }
        finally {
            Get-ChildItem -Path "$cache*" -ErrorAction SilentlyContinue | Remove-Item -Force -ErrorAction SilentlyContinue
        }
    }

    # Reference: ZipFit alone in a fresh session.
    $script:Reference = Invoke-Scenario {
        Import-Module $Module
        @{ Runs = @(Invoke-ZipFit $Pool $Target $Cache $Compressors); Contexts = @(Get-LoadContexts) }
    }
}

AfterAll {
    Remove-Item -LiteralPath $Slice -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'ZipFit alone' {
    It 'scores with every compressor, through the cache, twice alike' {
        $Reference.Runs | Should -HaveCount 8
        foreach ($run in $Reference.Runs) {
            $run.Count | Should -Be 60
            $run.Type | Should -Be 'ZipFit.ScoredExample'
        }
        foreach ($compressor in $Compressors) {
            $passes = @($Reference.Runs | Where-Object Compressor -EQ $compressor)
            $passes[1].Sum | Should -Be $passes[0].Sum
            $passes[1].Top | Should -Be $passes[0].Top
        }
    }

    It 'loads ZipFit.Core and every dependency into its private context, only the cmdlets into the default one' {
        $contexts = $Reference.Contexts
        ($contexts | Where-Object Name -EQ 'ZipFit.PowerShell').Context | Should -Be 'Default'
        $engine = @($contexts | Where-Object Name -NE 'ZipFit.PowerShell')
        $engine.Name | Should -Contain 'ZipFit.Core'
        $engine.Name | Should -Contain 'Microsoft.Data.Sqlite'
        $engine.Name | Should -Contain 'ZstdSharp'
        $engine.Name | Should -Contain 'K4os.Compression.LZ4'
        $engine | ForEach-Object { "$($_.Name) -> $($_.Context)" } | Should -Not -Match '-> Default$'
        $engine.Context | Select-Object -Unique | Should -Be 'ZipFit'
    }
}

Describe 'Foreign assemblies loaded before ZipFit' {
    BeforeAll {
        $script:Before = Invoke-Scenario {
            Add-Foreign $Foreign
            $first = Test-Foreign
            Import-Module $Module
            $runs = @(Invoke-ZipFit $Pool $Target $Cache $Compressors)
            @{ First = $first; Runs = $runs; Again = Test-Foreign; Contexts = @(Get-LoadContexts) }
        }
    }

    It 'ZipFit scores with every compressor and the cache, exactly as alone' {
        $Before.Runs | Should -HaveCount 8
        for ($i = 0; $i -lt 8; $i++) {
            $Before.Runs[$i].Count | Should -Be 60
            $Before.Runs[$i].Sum | Should -Be $Reference.Runs[$i].Sum -Because "$($Before.Runs[$i].Compressor) pass $($Before.Runs[$i].Pass)"
            $Before.Runs[$i].Top | Should -Be $Reference.Runs[$i].Top
        }
    }

    It 'the foreign Sqlite and ZstdSharp keep working, before and after ZipFit ran' {
        foreach ($check in $Before.First, $Before.Again) {
            $check.SqliteRows | Should -Be '6,42'
            $check.SqliteVersion | Should -BeLike '8.0.*'
            $check.ZstdVersion | Should -BeLike '0.7.*'
            $check.ZstdRoundTrip | Should -BeTrue
            $check.ZstdShrunk | Should -BeTrue
        }
    }

    It 'both versions are loaded side by side, each in its own context' {
        $sqlite = @($Before.Contexts | Where-Object Name -EQ 'Microsoft.Data.Sqlite')
        ($sqlite | Where-Object Context -EQ 'Default').Version | Should -BeLike '8.0.*'
        ($sqlite | Where-Object Context -EQ 'ZipFit').Version | Should -BeLike '10.*'
        $zstd = @($Before.Contexts | Where-Object Name -EQ 'ZstdSharp')
        ($zstd | Where-Object Context -EQ 'Default').Version | Should -BeLike '0.7.*'
        ($zstd | Where-Object Context -EQ 'ZipFit').Version | Should -BeLike '0.8.*'
    }
}

Describe 'Foreign assemblies loaded after ZipFit' {
    BeforeAll {
        $script:After = Invoke-Scenario {
            Import-Module $Module
            $first = @(Invoke-ZipFit $Pool $Target $Cache $Compressors)
            Add-Foreign $Foreign
            $foreign = Test-Foreign
            $again = @(Invoke-ZipFit $Pool $Target $Cache $Compressors)
            @{ First = $first; Foreign = $foreign; Again = $again; Contexts = @(Get-LoadContexts) }
        }
    }

    It 'the foreign Sqlite and ZstdSharp load and work' {
        $After.Foreign.SqliteRows | Should -Be '6,42'
        $After.Foreign.SqliteVersion | Should -BeLike '8.0.*'
        $After.Foreign.ZstdVersion | Should -BeLike '0.7.*'
        $After.Foreign.ZstdRoundTrip | Should -BeTrue
    }

    It 'ZipFit keeps scoring with every compressor and the cache, exactly as alone' {
        foreach ($runs in $After.First, $After.Again) {
            $runs | Should -HaveCount 8
            for ($i = 0; $i -lt 8; $i++) {
                $runs[$i].Count | Should -Be 60
                $runs[$i].Sum | Should -Be $Reference.Runs[$i].Sum
                $runs[$i].Top | Should -Be $Reference.Runs[$i].Top
            }
        }
    }
}

Describe 'The session is not given ZipFit''s copies' {
    BeforeAll {
        $script:Leak = Invoke-Scenario {
            Import-Module $Module
            $null = 'abc' | Get-ZipFitScore -Target 'abd' -CachePath $Cache
            $byName = foreach ($name in 'Microsoft.Data.Sqlite', 'ZstdSharp', 'SQLitePCLRaw.core', 'Parquet', 'K4os.Compression.LZ4') {
                try { $null = [Reflection.Assembly]::Load($name); "$name loaded" } catch { "$name not found" }
            }
            $typeByName = try { $null = [Microsoft.Data.Sqlite.SqliteConnection]; 'resolved' } catch { 'not found' }
            $coreWhileImported = try { [Runtime.Loader.AssemblyLoadContext]::GetLoadContext([Reflection.Assembly]::Load('ZipFit.Core')).Name } catch { 'not found' }
            Remove-Module ZipFit
            $coreAfterRemove = try { $null = [Reflection.Assembly]::Load('ZipFit.Core'); 'loaded' } catch { 'not found' }
            Import-Module $Module
            $reimported = @('abc' | Get-ZipFitScore -Target 'abd' -NoCache).Count
            @{
                ByName = @($byName); TypeByName = $typeByName; CoreWhileImported = $coreWhileImported
                CoreAfterRemove = $coreAfterRemove; Reimported = $reimported
                Types = @([ZipFit.ScoredExample].FullName, [ZipFit.Example].FullName, [ZipFit.ScoringMethodName].FullName)
            }
        }
    }

    It 'asking the default context for a dependency by name finds nothing' {
        $Leak.ByName | Should -Be @('Microsoft.Data.Sqlite not found', 'ZstdSharp not found', 'SQLitePCLRaw.core not found', 'Parquet not found', 'K4os.Compression.LZ4 not found')
        $Leak.TypeByName | Should -Be 'not found'
    }

    It 'ZipFit.Core is served from the private context while imported, and no longer after Remove-Module' {
        $Leak.CoreWhileImported | Should -Be 'ZipFit'
        $Leak.CoreAfterRemove | Should -Be 'not found'
        $Leak.Reimported | Should -Be 1
    }

    It 'output types are usable by name' {
        $Leak.Types | Should -Be @('ZipFit.ScoredExample', 'ZipFit.Example', 'ZipFit.ScoringMethodName')
    }
}

Describe 'Module layout' {
    It 'every type of ZipFit.PowerShell.dll loads without ZipFit.Core (PowerShell reflects them before the module initializer runs)' {
        $dll = Join-Path (Split-Path $ModuleManifest) 'module' 'lib' 'ZipFit.PowerShell.dll'
        $result = Invoke-ChildScript -Arguments @{ Dll = $dll } -Script {
            param($Dll)
            $assembly = [Reflection.Assembly]::LoadFrom($Dll)
            try { "$($assembly.GetTypes().Count) types" } catch [Reflection.ReflectionTypeLoadException] {
                ($_.Exception.LoaderExceptions | ForEach-Object Message | Sort-Object -Unique) -join '; '
            }
        }
        $result | Should -Match '^\d+ types$'
    }

    It 'module/lib holds only the cmdlet assembly and the deps folder' {
        $lib = Join-Path (Split-Path $ModuleManifest) 'module' 'lib'
        (Get-ChildItem -LiteralPath $lib).Name | Sort-Object | Should -Be @('deps', 'ZipFit.PowerShell.dll')
        Join-Path $lib 'deps' 'ZipFit.Core.deps.json' | Should -Exist
    }

    It 'every -Method name scores (the cmdlet layer''s list matches the engine''s)' {
        foreach ($method in [enum]::GetNames([ZipFit.ScoringMethodName])) {
            $scored = Import-ZipFitDataset $Pool | Select-Object -First 30 |
                Get-ZipFitScore -Target (Import-ZipFitDataset $Target) -Method $method -NoCache
            @($scored).Count | Should -Be 30 -Because $method
        }
    }

    It 'the repository''s dev manifest imports too' {
        $dev = Join-Path $RepoRoot 'ZipFit.psd1'
        $result = Invoke-ChildScript -Arguments @{ Dev = $dev; Pool = (Join-Path $ExampleData 'pool.jsonl') } -Script {
            param($Dev, $Pool)
            Import-Module $Dev
            @(Import-ZipFitDataset $Pool | Select-Object -First 5 | Get-ZipFitScore -Target 'def f(x): return x' -NoCache).Count
        }
        $result | Should -Be 5
    }

    It 'the build writes its output only to artifacts/: nothing into module/ or a root en-US/' {
        Join-Path $RepoRoot 'module' 'lib' | Should -Not -Exist
        Join-Path $RepoRoot 'en-US' | Should -Not -Exist
        (Import-PowerShellDataFile (Join-Path $RepoRoot 'ZipFit.psd1')).RootModule | Should -Be 'artifacts/ZipFit/module/lib/ZipFit.PowerShell.dll'
        (Import-PowerShellDataFile (Join-Path $RepoRoot 'artifacts' 'ZipFit' 'ZipFit.psd1')).RootModule | Should -Be 'module/lib/ZipFit.PowerShell.dll'
    }
}
