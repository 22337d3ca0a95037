using System.Management.Automation;
using ZipFit.Core.Data;
using ZipFit.Core.Scoring;

namespace ZipFit.Commands;

/// <summary>Scores each example's alignment to the target; output in input order.</summary>
[Cmdlet(VerbsCommon.Get, "ZipFitScore", DefaultParameterSetName = InputObjectSet)]
[OutputType(typeof(ScoredExample))]
public sealed class GetZipFitScoreCommand : MethodScoringCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    /// <summary>Dataset files read straight into the core, without a PowerShell object per record until output.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>Dataset files taken exactly as written (no wildcards), read like -Path.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [ValidatePattern(@"^\d+/\d+$")]
    public string? Shard { get; set; }

    /// <summary>
    /// Also match each example to the target's modes and give it the key Select-ZipFitTop -Balanced ranks by, so a
    /// target with several kinds of example is covered in its proportions. Needs a pool sample (held back like the
    /// O(N) methods' background sample, or -Background), also for Ncd.
    /// </summary>
    [Parameter]
    public SwitchParameter Coverage { get; set; }

    /// <summary>The property of each target item that names its mode (e.g. <c>domain</c>); implies -Coverage.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? TargetGroupProperty { get; set; }

    private protected override bool WantsCoverage => Coverage || TargetGroupProperty is not null;

    private protected override string? TargetGroupPropertyName => TargetGroupProperty;

    protected override string ActivityName => "Get-ZipFitScore";

    private protected override void OnScored(Example example, double score, ModeMatch? coverage) =>
        WriteObject(coverage is null
            ? new ScoredExample(example) { Score = score, Method = MethodIdentity }
            : new ScoredExample(example) { Score = score, Method = MethodIdentity, Mode = coverage.Mode, ModeShare = coverage.Share, CoverageKey = coverage.Key });

    private ReadProgress? _reading;
    private int _filesDone;
    private int _fileCount = 1;

    private protected override double InputFraction =>
        _reading is null ? -1 : (_filesDone + _reading.Fraction) / _fileCount;

    protected override void EndProcessing()
    {
        if (ParameterSetName is PathSet or LiteralPathSet)
        {
            bool literal = ParameterSetName == LiteralPathSet;
            var options = ReadOptions(IdProperty, Shard);
            var files = ResolveFiles(literal ? LiteralPath : Path, literal).ToList();
            _fileCount = Math.Max(1, files.Count);
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            ReadDatasets(files, options, Add, onFile: (index, _, progress) => { _filesDone = index; _reading = progress; });
            ReadingTime = System.Diagnostics.Stopwatch.GetElapsedTime(start) - TimeInAdd;
            _filesDone = files.Count;
        }
        base.EndProcessing();
    }
}
