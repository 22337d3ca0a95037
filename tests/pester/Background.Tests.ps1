# -Background: the O(N) methods' sample given up front, so that shards of one pool score alike.
BeforeAll { . (Join-Path $PSScriptRoot 'Common.ps1') }

Describe 'Get-ZipFitScore -Background' {
    BeforeAll {
        $poolPath = Join-Path $Fixtures 'source.jsonl'
        $target = Import-ZipFitDataset (Join-Path $Fixtures 'target.jsonl') | New-ZipFitTarget
        $pool = @(Import-ZipFitDataset $poolPath)
        $sample = $pool[0..39]
        $fromHead = @($pool | Get-ZipFitScore -Target $target -Method MultiViewXent -BackgroundSize 40 -NoCache)
        $given = @($pool | Get-ZipFitScore -Target $target -Method MultiViewXent -Background $sample -NoCache)
    }

    It 'the same sample given or taken from the head: the same method, the same scores, input order' {
        $given.Count | Should -Be 60
        $given[0].Method | Should -Be $fromHead[0].Method
        $given.Id | Should -Be $pool.Id
        $given.Score | Should -Be $fromHead.Score
    }

    It 'shards scored with one shared sample give each example the whole-pool score' {
        $byId = @{}
        foreach ($s in $given) { $byId[$s.Id] = $s.Score }
        $shards = @(foreach ($i in 0..2) { Get-ZipFitScore -Path $poolPath -Shard "$i/3" -Target $target -Method MultiViewXent -Background $sample -NoCache })
        $shards.Count | Should -Be 60
        foreach ($s in $shards) { $s.Score | Should -Be $byId[$s.Id] -Because $s.Id }
    }

    It 'without it, a shard samples its own head' {
        $own = @(Get-ZipFitScore -Path $poolPath -Shard '0/3' -Target $target -Method MultiViewXent -NoCache)
        $own[0].Method | Should -Not -Be $given[0].Method
    }

    It 'strings and objects with a text property serve as a sample; a short stream is fine' {
        $texts = @($sample | ForEach-Object { $_.Text })
        $fromStrings = @($pool[50..59] | Get-ZipFitScore -Target $target -Method Dsir -Background $texts -NoCache)
        $fromObjects = @($pool[50..59] | Get-ZipFitScore -Target $target -Method Dsir -Background ($texts | ForEach-Object { [pscustomobject]@{ text = $_ } }) -NoCache)
        $fromStrings.Count | Should -Be 10
        $fromObjects.Score | Should -Be $fromStrings.Score
    }

    It 'Ncd takes no background: ZipFit.BackgroundNotUsed' {
        { 'x' | Get-ZipFitScore -Target 'y' -Background 'z' } | Should -Throw -ErrorId 'ZipFit.BackgroundNotUsed*'
    }

    It '-Background with -BackgroundSize: ZipFit.BackgroundConflict' {
        { 'x' | Get-ZipFitScore -Target 'y' -Method Dsir -Background 'z' -BackgroundSize 10 } | Should -Throw -ErrorId 'ZipFit.BackgroundConflict*'
    }

    It 'an empty sample: ZipFit.EmptyBackground' {
        { 'x' | Get-ZipFitScore -Target 'y' -Method Dsir -Background @() } | Should -Throw -ErrorId 'ZipFit.EmptyBackground*'
    }

    It 'an item without text: ZipFit.InvalidBackgroundItem naming the item' {
        $err = { 'x' | Get-ZipFitScore -Target 'y' -Method Dsir -Background 'a', ([pscustomobject]@{ body = 'b' }) } |
            Should -Throw -ErrorId 'ZipFit.InvalidBackgroundItem*' -PassThru
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.TargetObject.body | Should -Be 'b'
        $err.Exception.Message | Should -Match 'item 2'
    }
}
