# Scraped, half-broken input through the real module: every good record comes out, every bad one is a
# non-terminating ZipFit.* error naming file:line, and nothing else goes wrong.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    function Write-Bytes([string] $Name, [byte[]] $Bytes) {
        $path = Join-Path $TestDrive $Name
        [IO.File]::WriteAllBytes($path, $Bytes)
        $path
    }
    function Write-Text([string] $Name, [string] $Text) { Write-Bytes $Name ([Text.UTF8Encoding]::new($false).GetBytes($Text)) }
    function Line([string] $Id, [string] $Text) { "{`"id`":`"$Id`",`"text`":`"$Text`"}" }

    # Imports and scores a file: the ids scored and the errors as 'ZipFit.Id@target'.
    function Get-ImportResult([string] $Path) {
        $scored = @(Import-ZipFitDataset -LiteralPath $Path -ErrorVariable +errs -ErrorAction SilentlyContinue |
            Get-ZipFitScore -Target 'def f(x): return x' -NoCache -ErrorVariable +errs -ErrorAction SilentlyContinue)
        foreach ($s in $scored) { [double]::IsFinite($s.Score) | Should -BeTrue }
        [pscustomobject]@{
            Ids    = @($scored | ForEach-Object Id)
            Errors = @($errs | ForEach-Object { "$(Get-ErrorId $_)@$($_.TargetObject)" })
        }
    }
}

Describe 'Bad input' {
    It 'malformed lines among good ones: each reported at its line' {
        $path = Write-Text 'mixed.jsonl' ((
            (Line a alpha),
            '{"id":"b","text":"cut off',
            'not json at all',
            '{"id":"c","text":"bad \q escape"}',
            '{"id":"d"}',
            '{"id":"e","text":null}',
            '{"id":"f","text":[1]}',
            '"just a string"',
            (Line g gamma)) -join "`n")
        $r = Get-ImportResult $path
        $r.Ids | Should -Be @('a', 'g')
        $r.Errors | Should -Be @(
            "ZipFit.InvalidJson@${path}:2", "ZipFit.InvalidJson@${path}:3", "ZipFit.InvalidJson@${path}:4",
            "ZipFit.MissingTextProperty@${path}:5", "ZipFit.TextNotString@${path}:6", "ZipFit.TextNotString@${path}:7",
            "ZipFit.JsonNotAnObject@${path}:8")
    }

    It 'random bytes are reported line by line' {
        $bytes = [byte[]]::new(64KB)
        [Random]::new(11).NextBytes($bytes)
        $path = Write-Bytes 'random.jsonl' $bytes
        $r = Get-ImportResult $path
        $r.Ids.Count | Should -Be 0
        $r.Errors.Count | Should -BeGreaterThan 0
        foreach ($e in $r.Errors) { $e | Should -Match "^ZipFit\.(InvalidUtf8|InvalidJson)@$([regex]::Escape($path)):\d+$" }
    }

    It 'an escaped NUL is text, a raw NUL is invalid' {
        $enc = [Text.UTF8Encoding]::new($false)
        $bytes = $enc.GetBytes((Line escaped 'a\u0000b') + "`n") + $enc.GetBytes('{"id":"raw","text":"a') + [byte[]]@(0) + $enc.GetBytes("b`"}`n")
        $path = Write-Bytes 'nul.jsonl' $bytes
        $r = Get-ImportResult $path
        $r.Ids | Should -Be @('escaped')
        $r.Errors | Should -Be @("ZipFit.InvalidJson@${path}:2")
    }

    It 'CRLF, CR and LF line ends and a byte order mark' {
        $path = Write-Text 'ends.jsonl' ([char]0xFEFF + (Line a x) + "`r`n" + (Line b y) + "`r" + (Line c z) + "`n`n")
        $r = Get-ImportResult $path
        $r.Ids | Should -Be @('a', 'b', 'c')
        $r.Errors.Count | Should -Be 0
    }

    It 'empty files, blank lines and empty texts' {
        $r = Get-ImportResult (Write-Text 'empty.jsonl' '')
        $r.Ids.Count + $r.Errors.Count | Should -Be 0
        $r = Get-ImportResult (Write-Text 'blank.jsonl' "`n`n  `n")
        $r.Ids.Count + $r.Errors.Count | Should -Be 0
        $r = Get-ImportResult (Write-Text 'empty-texts.jsonl' ((Line e1 '') + "`n" + (Line e2 '')))
        $r.Ids | Should -Be @('e1', 'e2')
        $r.Errors.Count | Should -Be 0
    }

    It 'duplicate ids are kept and scored alike' {
        $path = Write-Text 'dups.jsonl' ((Line same 'def f(): pass') + "`n" + (Line same 'def f(): pass') + "`n" + (Line same 'other'))
        $out = @(Import-ZipFitDataset $path | Get-ZipFitScore -Target 'def g(): pass' -NoCache)
        $out.Count | Should -Be 3
        $out[1].Score | Should -Be $out[0].Score
        $out[2].Score | Should -Not -Be $out[0].Score
    }

    It 'deeply nested JSON is an error, not a crash' {
        $deep = '{"id":"deep","text":"t","x":' + ('[' * 5000) + (']' * 5000) + '}'
        $fine = '{"id":"fine","text":"t","x":' + ('[' * 100) + (']' * 100) + '}'
        $path = Write-Text 'deep.jsonl' ($deep + "`n" + $fine)
        $r = Get-ImportResult $path
        $r.Ids | Should -Be @('fine')
        $r.Errors | Should -Be @("ZipFit.InvalidJson@${path}:1")
    }

    It 'a truncated .<Kind> file keeps what came before and ends with ZipFit.TruncatedFile' -ForEach @(@{ Kind = 'gz' }, @{ Kind = 'zst' }) {
        # Enough for several zstd blocks: a block cut in half loses its records, the blocks before it don't.
        $full = Join-Path $TestDrive "full.jsonl.$Kind"
        0..19999 | ForEach-Object { [pscustomobject]@{ id = "r$_"; text = "record $_ " + ('x' * ($_ % 90)) } } | Export-ZipFitDataset $full -Force
        $bytes = [IO.File]::ReadAllBytes($full)
        $path = Write-Bytes "cut.jsonl.$Kind" $bytes[0..($bytes.Length / 2 - 1)]
        $r = Get-ImportResult $path
        $r.Ids.Count | Should -BeGreaterOrEqual 100
        $r.Ids.Count | Should -BeLessThan 20000
        $r.Ids | Should -Be @(0..($r.Ids.Count - 1) | ForEach-Object { "r$_" })
        $r.Errors[-1] | Should -BeLike 'ZipFit.TruncatedFile@*'
        $r.Errors.Count | Should -BeLessOrEqual 2
    }

    It 'odd but valid targets: a repeated target and one larger than the deflate window' {
        $single = 'def f(): pass' | Get-ZipFitScore -Target 'def g(): pass' -NoCache
        $doubled = 'def f(): pass' | Get-ZipFitScore -Target 'def g(): pass', 'def g(): pass' -NoCache
        $doubled.Score | Should -Be $single.Score
        $big = -join (0..3999 | ForEach-Object { "line $_ of a long target`n" })
        [Text.Encoding]::UTF8.GetByteCount($big) | Should -BeGreaterThan 64KB
        $large = 'line 7 of a long target' | Get-ZipFitScore -Target $big -NoCache
        [double]::IsFinite($large.Score) | Should -BeTrue
    }
}
