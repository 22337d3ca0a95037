# Progress, Ctrl+C (Stop) and tab completion, as a pwsh user meets them.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    # A second runspace in this pwsh process, with ZipFit imported: its streams and Stop() are what the
    # console host sees and does on Ctrl+C.
    function New-ZipFitPowerShell([string] $Script) {
        $ps = [powershell]::Create([System.Management.Automation.Runspaces.RunspaceFactory]::CreateRunspace())
        $ps.Runspace.Open()
        $ps.AddScript("Import-Module '$ModuleManifest'").Invoke() | Out-Null
        $ps.Commands.Clear()
        $ps.AddScript($Script) | Out-Null
        $ps
    }
    function Get-LiveWorkers {
        $type = Get-LoadedType 'ZipFit.Core' 'ZipFit.Core.Scoring.WorkerThreads'
        $type | Should -Not -BeNullOrEmpty
        $type.GetProperty('Live').GetValue($null)
    }
    function Get-Completion([string] $InputScript) {
        @((TabExpansion2 -inputScript $InputScript -cursorColumn $InputScript.Length).CompletionMatches | ForEach-Object CompletionText)
    }
}

Describe 'Progress' {
    It 'scoring reports progress with a rate and completes' {
        $pool = New-BigPool (Join-Path $TestDrive 'pool.jsonl') 4
        $ps = New-ZipFitPowerShell "Get-ZipFitScore -Path '$pool' -Target (Import-ZipFitDataset '$Fixtures/target.jsonl') -NoCache"
        try {
            $results = $ps.Invoke()
            $results.Count | Should -Be 240
            $records = @($ps.Streams.Progress | Where-Object Activity -EQ 'Get-ZipFitScore')
            $records.Count | Should -BeGreaterThan 0
            @($records | Where-Object { $_.RecordType -eq 'Processing' -and $_.StatusDescription -match '/s' -and $_.PercentComplete -ge 0 }).Count | Should -BeGreaterThan 0
            $records[-1].RecordType | Should -Be 'Completed'
        }
        finally { $ps.Runspace.Dispose(); $ps.Dispose() }
    }
}

Describe 'Stopping (Ctrl+C)' {
    It 'stopping an export leaves no file and releases the workers' {
        $dir = Join-Path $TestDrive 'stop'
        New-Item -ItemType Directory -Path $dir | Out-Null
        $pool = New-BigPool (Join-Path $TestDrive 'big.jsonl') 30
        $output = Join-Path $dir 'top.jsonl'
        $ps = New-ZipFitPowerShell "Import-ZipFitDataset '$pool' | Get-ZipFitScore -Target (Import-ZipFitDataset '$Fixtures/target.jsonl') -NoCache | Export-ZipFitDataset '$output'"
        try {
            $async = $ps.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while ([DateTime]::UtcNow -lt $deadline -and @(Get-ChildItem -LiteralPath $dir -Force -Filter '*.partial').Count -eq 0) { Start-Sleep -Milliseconds 20 }
            Start-Sleep -Milliseconds 300
            $async.IsCompleted | Should -BeFalse -Because 'the run must still be going when it is stopped'
            $ps.Stop()
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            $output | Should -Not -Exist
            @(Get-ChildItem -LiteralPath $dir -Force -Filter '*.partial').Count | Should -Be 0
            Get-LiveWorkers | Should -Be 0
        }
        finally { $ps.Runspace.Dispose(); $ps.Dispose() }
    }
}

Describe 'Tab completion' {
    It '<Line> completes <Expected>' -ForEach @(
        @{ Line = 'Get-ZipFitScore -Compressor z'; Expected = 'zstd' }
        @{ Line = 'Get-ZipFitScore -Method Con'; Expected = 'ContextXent' }
        @{ Line = 'Get-ZipFitScore -Method Dsir'; Expected = 'DsirSmoothed' }
        @{ Line = 'New-ZipFitTarget -Compressor br'; Expected = 'brotli' }
    ) {
        Get-Completion $Line | Should -Contain $Expected
    }

    It '-Level completes the chosen compressor''s range: <Line>' -ForEach @(
        @{ Line = 'Get-ZipFitScore -Compressor zstd -Level '; First = 1; Last = 22 }
        @{ Line = 'Get-ZipFitScore -Level '; First = 0; Last = 9 }
        @{ Line = 'Get-ZipFitScore -Compressor brotli -Level '; First = 0; Last = 11 }
    ) {
        Get-Completion $Line | Should -Be @($First..$Last | ForEach-Object { "$_" })
    }

    It 'lz4 levels skip the ones that do not exist' {
        Get-Completion 'Get-ZipFitScore -Compressor lz4 -Level ' | Should -Be @('0', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12')
    }
}
