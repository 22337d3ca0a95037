# Installable by name: tools/Publish-LocalModule.ps1 publishes artifacts/ZipFit to a local PSResourceGet
# repository (a folder); a fresh pwsh with an empty user module path installs it with Install-PSResource,
# imports it by name and runs the README pipeline. Each step runs in its own pwsh, with HOME and the XDG
# folders pointing into a temporary folder, so the user's modules and repository registrations are not
# read or changed.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'ChildProcess.ps1')

    $script:Sandbox = Join-Path ([IO.Path]::GetTempPath()) "zipfit-install-$([guid]::NewGuid().ToString('n'))"
    $script:Repository = Join-Path $Sandbox 'repository'
    $script:UserModules = Join-Path $Sandbox 'modules'
    # XDG folders where their defaults are ($HOME/.local/share …): pwsh honours XDG_DATA_HOME for the user
    # module path, PSResourceGet installs under $HOME/.local/share; both must agree.
    foreach ($dir in 'home', 'home/.local/share', 'home/.config', 'home/.cache', 'modules', 'zipfit-cache', 'appdata', 'localappdata') {
        # .NET reports a special folder only if it exists: create them all, or PSResourceGet writes elsewhere.
        New-Item -ItemType Directory -Path (Join-Path $Sandbox $dir) -Force | Out-Null
    }
    $script:ChildEnvironment = @{
        HOME             = Join-Path $Sandbox 'home'
        USERPROFILE      = Join-Path $Sandbox 'home'
        XDG_DATA_HOME    = Join-Path $Sandbox 'home' '.local' 'share'
        XDG_CONFIG_HOME  = Join-Path $Sandbox 'home' '.config'
        XDG_CACHE_HOME   = Join-Path $Sandbox 'home' '.cache'
        APPDATA          = Join-Path $Sandbox 'appdata'
        LOCALAPPDATA     = Join-Path $Sandbox 'localappdata'
        ZIPFIT_CACHE_DIR = Join-Path $Sandbox 'zipfit-cache'
        # An empty user module folder, and pwsh's own modules (PSResourceGet lives there).
        PSModulePath     = $UserModules + [IO.Path]::PathSeparator + (Join-Path $PSHOME 'Modules')
    }
    $script:ExpectedVersion = ([xml](Get-Content -Raw (Join-Path $RepoRoot 'Directory.Build.props'))).Project.PropertyGroup.Version |
        Where-Object { $_ } | Select-Object -First 1

    $script:Published = Invoke-ChildScript -Environment $ChildEnvironment -Arguments @{
        Script = Join-Path $RepoRoot 'tools' 'Publish-LocalModule.ps1'
        Repository = $Repository
        ModuleFolder = Split-Path $ModuleManifest
    } -Script {
        param($Script, $Repository, $ModuleFolder)
        $package = & $Script -RepositoryPath $Repository -ModulePath $ModuleFolder
        $found = Find-PSResource -Name ZipFit -Repository ZipFitLocal
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [IO.Compression.ZipFile]::OpenRead($package.FullName)
        try { $entries = @($zip.Entries | ForEach-Object FullName) } finally { $zip.Dispose() }
        @{
            Package      = $package.Name
            Entries      = $entries
            Version      = $found.Version.ToString()
            Author       = $found.Author
            Description  = $found.Description
            Tags         = @($found.Tags)
            ReleaseNotes = $found.ReleaseNotes
            ProjectUri   = "$($found.ProjectUri)"
            Repositories = @(Get-PSResourceRepository | ForEach-Object { "$($_.Name)=$($_.Uri.LocalPath)" })
        }
    }

    $script:Installed = Invoke-ChildScript -Environment $ChildEnvironment -Arguments @{
        Pool = Join-Path $ExampleData 'pool.jsonl'
        Target = Join-Path $ExampleData 'target.jsonl'
    } -Script {
        param($Pool, $Target)
        $before = @(Get-Module -ListAvailable -Name ZipFit).Count
        Install-PSResource -Name ZipFit -Repository ZipFitLocal -TrustRepository
        Import-Module ZipFit
        $module = Get-Module ZipFit
        # The README pipeline.
        $top = Import-ZipFitDataset $Pool | Get-ZipFitScore -Target (Import-ZipFitDataset $Target) | Select-ZipFitTop 3
        @{
            Before     = $before
            ModuleBase = $module.ModuleBase
            Version    = $module.Version.ToString()
            Installed  = @(Get-InstalledPSResource -Name ZipFit | ForEach-Object { "$($_.Name) $($_.Version)" })
            Top        = @($top | ForEach-Object { [pscustomobject]@{ Id = $_.Id; Score = $_.Score; Domain = $_.Record.domain; Type = $_.GetType().FullName } })
            Help       = (Get-Help Get-ZipFitScore).Synopsis
            Cache      = @(Get-ChildItem -LiteralPath $env:ZIPFIT_CACHE_DIR -Filter '*.db').Count
        }
    }
}

AfterAll {
    Remove-Item -LiteralPath $Sandbox -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Publish-LocalModule.ps1' {
    It 'publishes ZipFit.{version}.nupkg, the version from Directory.Build.props' {
        $ExpectedVersion | Should -Not -BeNullOrEmpty
        $Published.Package | Should -Be "ZipFit.$ExpectedVersion.nupkg"
        $Published.Version | Should -Be $ExpectedVersion
        Join-Path $Repository $Published.Package | Should -Exist
    }

    It 'registers the folder under the sandbox user, not the real one' {
        $Published.Repositories | Should -Contain "ZipFitLocal=$Repository"
    }

    It 'carries what a gallery shows: author, description, tags, release notes, no placeholder ProjectUri' {
        $Published.Author | Should -Be 'ZipFit contributors'
        $Published.Description | Should -Match 'ZIP-FIT'
        $Published.Tags | Should -Contain 'Compression'
        $Published.ReleaseNotes | Should -Match 'AssemblyLoadContext'
        $Published.ProjectUri | Should -BeNullOrEmpty
    }

    It 'packs the manifest, LICENSE, help, the cmdlets, and the private deps folder with its natives' {
        $entries = $Published.Entries
        $entries | Should -Contain 'ZipFit.psd1'
        $entries | Should -Contain 'LICENSE'
        $entries | Should -Contain 'en-US/about_ZipFit.help.txt'
        $entries | Should -Contain 'module/ZipFit.Format.ps1xml'
        $entries | Should -Contain 'module/lib/ZipFit.PowerShell.dll'
        $entries | Should -Contain 'module/lib/deps/ZipFit.Core.dll'
        $entries | Should -Contain 'module/lib/deps/ZipFit.Core.deps.json'
        $entries | Should -Contain 'module/lib/deps/Microsoft.Data.Sqlite.dll'
        $entries | Should -Contain 'module/lib/deps/runtimes/linux-x64/native/libe_sqlite3.so'
        $entries | Should -Contain 'module/lib/deps/runtimes/osx-arm64/native/libe_sqlite3.dylib'
        $entries | Should -Contain 'module/lib/deps/runtimes/win-x64/native/e_sqlite3.dll'
        # Nothing but the cmdlets beside deps/, where PowerShell's own resolver would find them.
        @($entries | Where-Object { $_ -like 'module/lib/*' -and $_ -notlike 'module/lib/deps/*' }) | Should -Be @('module/lib/ZipFit.PowerShell.dll')
    }

    It 'the LICENSE is MIT, ZipFit contributors' {
        $license = Get-Content -Raw (Join-Path (Split-Path $ModuleManifest) 'LICENSE')
        $license | Should -Match '^MIT License'
        $license | Should -Match 'Copyright \(c\) ZipFit contributors'
    }
}

Describe 'Install-PSResource ZipFit into an empty user module path' {
    It 'was not installed before' {
        $Installed.Before | Should -Be 0
    }

    It 'installs the published version under the sandbox user and imports it by name' {
        $Installed.Installed | Should -Be @("ZipFit $ExpectedVersion")
        $Installed.Version | Should -Be $ExpectedVersion
        $Installed.ModuleBase | Should -BeLike "$Sandbox*"
    }

    It 'runs the README pipeline: the top 3 of the example pool are Python, best first' {
        $Installed.Top | Should -HaveCount 3
        $Installed.Top.Type | Select-Object -Unique | Should -Be 'ZipFit.ScoredExample'
        $Installed.Top.Domain | Select-Object -Unique | Should -Be 'python'
        $Installed.Top[0].Score | Should -BeGreaterOrEqual $Installed.Top[1].Score
        $Installed.Top[1].Score | Should -BeGreaterOrEqual $Installed.Top[2].Score
    }

    It 'gives the same top 3 as the built module folder' {
        $expected = Import-ZipFitDataset (Join-Path $ExampleData 'pool.jsonl') |
            Get-ZipFitScore -Target (Import-ZipFitDataset (Join-Path $ExampleData 'target.jsonl')) -NoCache |
            Select-ZipFitTop 3
        $Installed.Top.Id | Should -Be @($expected.Id)
        $Installed.Top.Score | Should -Be @($expected.Score)
    }

    It 'has its help, and its default cache under ZIPFIT_CACHE_DIR' {
        $Installed.Help | Should -Not -BeNullOrEmpty
        $Installed.Cache | Should -Be 1
    }
}

Describe 'One version' {
    It 'the dev manifest and the packaged manifest carry Directory.Build.props'' Version' {
        (Import-PowerShellDataFile (Join-Path $RepoRoot 'ZipFit.psd1')).ModuleVersion | Should -Be $ExpectedVersion
        (Import-PowerShellDataFile $ModuleManifest).ModuleVersion | Should -Be $ExpectedVersion
    }
}
