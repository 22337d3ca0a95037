using System.Diagnostics;
using System.Management.Automation;
using ZipFit.Core.Cache;
using ZipFit.Core.Compression;
using ZipFit.Core.Scoring;

namespace ZipFit.Commands;

/// <summary>
/// Base of the cmdlets that score a stream of examples against a target: resolves the target,
/// compressor and method before any work, feeds pipeline input to the parallel core and hands
/// results back on the pipeline thread.
/// </summary>
public abstract class ScoringCmdlet : CompressorCmdlet
{
    protected const string InputObjectSet = "InputObject";

    private ScoringSession<Example>? _pipeline;
    private ScoreCache? _cache;
    private long _ordinal;
    private ProgressReporter? _progress;
    private long _scored;
    private long _handTicks, _deliverTicks;

    /// <summary>Time on the pipeline thread inside <see cref="Add"/>: handing examples over and writing results downstream.</summary>
    private protected TimeSpan TimeInAdd => Stopwatch.GetElapsedTime(0, _handTicks + _deliverTicks);

    /// <summary>What the derived cmdlet measured before scoring (reading files); shown in the timing line.</summary>
    private protected TimeSpan ReadingTime { get; set; }

    /// <summary>How far through its input the cmdlet is, 0-1, when it knows (reading files itself); negative otherwise.</summary>
    private protected virtual double InputFraction => -1;

    /// <summary>A ZipFit.Target from New-ZipFitTarget, or target examples: strings, ZipFit examples, or objects with a text property.</summary>
    [Parameter(Mandatory = true)]
    [AllowEmptyCollection]
    [AllowNull]
    [TargetItemsTransformation]
    public object[] Target { get; set; } = [];

    /// <summary>Examples to score: ZipFit examples, strings, or any object with a text property.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    [AllowNull]
    public PSObject? InputObject { get; set; }

    [Parameter]
    [ValidateRange(1, 1024)]
    public int ThrottleLimit { get; set; } = Environment.ProcessorCount;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? IdProperty { get; set; }

    /// <summary>The SQLite cache file (default: the per-user cache, see about_ZipFit).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CachePath { get; set; }

    /// <summary>Neither reads nor writes the cache.</summary>
    [Parameter]
    public SwitchParameter NoCache { get; set; }

    protected string MethodIdentity => _pipeline?.Method?.Identity ?? "";

    protected TargetSet TargetSet { get; private set; } = null!;

    /// <summary>The method to score with; Get-ZipFitScore lets users choose it.</summary>
    protected virtual Core.Scoring.ScoringMethodName MethodName => Core.Scoring.ScoringMethodName.Ncd;

    /// <summary>How many leading pool examples form the background sample of the O(N) methods.</summary>
    protected virtual int BackgroundSizeValue => MethodCatalog.DefaultBackgroundSize;

    /// <summary>A background sample given up front instead of the pool's leading examples; null if none.</summary>
    private protected virtual IReadOnlyList<byte[]>? ResolveBackground() => null;

    protected abstract string ActivityName { get; }

    /// <summary>Whether to assess each example against the target's modes (Get-ZipFitScore -Coverage).</summary>
    private protected virtual bool WantsCoverage => false;

    /// <summary>The property of each target item naming its mode (Get-ZipFitScore -TargetGroupProperty).</summary>
    private protected virtual string? TargetGroupPropertyName => null;

    /// <summary>Receives each score in input order, on the pipeline thread; <paramref name="coverage"/> when -Coverage is on.</summary>
    private protected abstract void OnScored(Example example, double score, ModeMatch? coverage);

    protected override void BeginProcessing()
    {
        var (targetSet, preferred, groups) = ResolveTarget();
        var compressor = ResolveCompressor(preferred);
        var background = ResolveBackground();
        TargetSet = targetSet;
        if (MethodCatalog.UsesCompressor(MethodName) && compressor.Kind == CompressorKind.Gzip && !GzipLengthCompressor.IsExact(compressor.Level))
        {
            WriteWarning(Format(Strings.SystemZlibMissing, compressor.Identity));
        }
        _cache = NoCache ? null : OpenCache();
        _progress = new ProgressReporter(this, 1, ActivityName);
        try
        {
            StartSession(background, targetSet, compressor, groups);
        }
        catch (TooFewExamplesException ex)
        {
            Fail(ex);
        }
        if (_pipeline!.SharedWithClosestTarget > 0)
        {
            WriteVerbose($"Reusing pair lengths of an earlier target set sharing {_pipeline.SharedWithClosestTarget} of {TargetSet.Count} examples.");
        }
    }

    private void StartSession(IReadOnlyList<byte[]>? background, TargetSet targetSet, CompressorSpec compressor, IReadOnlyList<string>? groups)
    {
        _pipeline = new ScoringSession<Example>(new ScoringSessionOptions(MethodName, targetSet, compressor, ThrottleLimit)
        {
            BackgroundSize = BackgroundSizeValue,
            Background = background,
            Cache = _cache,
            Warn = WriteWarning,
            Cancellation = StopToken,
            Coverage = WantsCoverage,
            TargetGroups = groups,
            Prepared = (method, backgroundCount) =>
            {
                if (backgroundCount > 0)
                {
                    WriteVerbose(background is null
                        ? $"Background sample: the first {backgroundCount} pool examples."
                        : $"Background sample: the {backgroundCount} examples given with -Background.");
                }
                WriteVerbose($"Method {method.Identity}; target {TargetSet.Count} examples ({TargetSet.Fingerprint}); {ThrottleLimit} threads.");
            },
        });
    }

    protected override void ProcessRecord()
    {
        if (ParameterSetName != InputObjectSet)
        {
            return;
        }
        var example = TextInput.ToExample(InputObject, TextProperty, IdProperty, ++_ordinal, out var problem);
        if (example is null)
        {
            WriteInputProblem(problem, InputObject);
            return;
        }
        if (IsTooLarge(example))
        {
            return;
        }
        Add(example);
    }

    private protected void WriteInputProblem(TextInput.Problem problem, object? input)
    {
        if (problem == TextInput.Problem.NotString)
        {
            WriteNonTerminating(ErrorIds.TextNotString, ErrorCategory.InvalidType, Format(Strings.InputTextNotString, TextProperty), input);
        }
        else
        {
            WriteNonTerminating(ErrorIds.MissingText, ErrorCategory.InvalidData, Format(Strings.InputHasNoText, TextProperty), input);
        }
    }

    private protected void Add(Example example)
    {
        try
        {
            long start = Stopwatch.GetTimestamp(), delivered = _deliverTicks;
            _pipeline!.Add(example.Data.Utf8, example);
            while (_pipeline.TryTake(out var result))
            {
                Deliver(result);
            }
            CountHandOver(start, delivered);
        }
        catch (Exception ex) when (ex is OperationCanceledException or AggregateException or TooFewExamplesException)
        {
            Fail(ex);
        }
    }

    protected override void EndProcessing()
    {
        try
        {
            long start = Stopwatch.GetTimestamp(), delivered = _deliverTicks;
            foreach (var result in _pipeline!.CompleteWithCoverage())
            {
                Deliver(result);
            }
            CountHandOver(start, delivered);
        }
        catch (Exception ex) when (ex is OperationCanceledException or AggregateException or TooFewExamplesException)
        {
            Fail(ex);
        }
        var stats = _pipeline!.Stats;
        WriteVerbose($"{stats} in {_progress!.Elapsed.TotalSeconds:F2} s{(_cache is null ? " (no cache)" : $"; cache {_cache.Path}")}.");
        // Invariant digits: scripts read this line (bench/scale.ps1).
        WriteVerbose(string.Format(System.Globalization.CultureInfo.InvariantCulture, Strings.ScoringTimes, ReadingTime.TotalSeconds,
            Stopwatch.GetElapsedTime(0, _handTicks).TotalSeconds, stats.WaitedForScorers.TotalSeconds,
            Stopwatch.GetElapsedTime(0, _deliverTicks).TotalSeconds, stats.ScorersBusy.TotalSeconds, ThrottleLimit));
        _progress.Complete();
    }

    /// <summary>Adds the pipeline thread's time since <paramref name="start"/> in the scoring calls, less what delivering
    /// results downstream took meanwhile (<paramref name="deliveredBefore"/>: the delivery ticks at the start).</summary>
    private void CountHandOver(long start, long deliveredBefore) =>
        _handTicks += Stopwatch.GetTimestamp() - start - (_deliverTicks - deliveredBefore);

    private void Deliver(SessionResult<Example> result)
    {
        long start = Stopwatch.GetTimestamp();
        _scored++;
        ModeMatch? coverage = null;
        if (result.Coverage is { } assessment && _pipeline!.Coverage is { } model)
        {
            coverage = new ModeMatch(model.Groups[assessment.Group], model.GroupShares[assessment.Group], result.CoverageKey);
        }
        OnScored(result.Tag, result.Score, coverage);
        _progress!.Update(_scored, InputFraction);
        _deliverTicks += Stopwatch.GetTimestamp() - start;
    }

    /// <summary>A stop becomes PowerShell's own stop; a worker's failure a terminating error.</summary>
    private void Fail(Exception ex)
    {
        if (ex is OperationCanceledException && StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        if (ex is TooFewExamplesException few)
        {
            ThrowTerminating(ErrorIds.TooFewExamples, ErrorCategory.InvalidArgument, few.Message, few.Set == "target" ? Target : null, few);
        }
        if (ex is AggregateException aggregate)
        {
            ThrowTerminating(ErrorIds.ScoringFailed, ErrorCategory.NotSpecified, aggregate.InnerException?.Message ?? aggregate.Message, null, aggregate);
        }
        throw ex;
    }

    private ScoreCache? OpenCache()
    {
        string path = CachePath is null ? CacheLocation.DefaultPath : GetUnresolvedProviderPathFromPSPath(CachePath);
        try
        {
            return ScoreCache.Open(path, WriteWarning);
        }
        catch (Exception ex) when (ex is NotACacheException or CacheVersionException)
        {
            ThrowTerminatingError(ErrorRecords.CacheUnusable(ex, path));
        }
        catch (Exception ex) when (CacheFailures.IsStorageFailure(ex))
        {
            WriteWarning(Format(Strings.CacheUnavailable, path, ex.Message));
        }
        return null;
    }

    protected override void DisposeResources()
    {
        _pipeline?.Dispose();
        _cache?.Dispose();
    }

    private (TargetSet Set, CompressorSpec? Preferred, List<string>? Groups) ResolveTarget()
    {
        var items = Target ?? [];
        if (items.Length == 1 && (items[0] is PSObject { BaseObject: ZipFit.Target } || items[0] is ZipFit.Target))
        {
            if (TargetGroupPropertyName is not null)
            {
                ThrowTerminating(ErrorIds.TargetGroupsUnavailable, ErrorCategory.InvalidArgument, Strings.TargetGroupsUnavailable, items[0]);
            }
            var target = (ZipFit.Target)(items[0] is PSObject ps ? ps.BaseObject : items[0]);
            return (target.Set, target.CompressorSpec, null);
        }
        var bytes = TextsOf(items, ErrorIds.InvalidTargetItem, Strings.TargetItemHasNoText);
        if (bytes.Count == 0)
        {
            ThrowTerminating(ErrorIds.EmptyTarget, ErrorCategory.InvalidArgument, Strings.EmptyTarget, Target);
        }
        return (new TargetSet(bytes), null, TargetGroupPropertyName is null ? null : GroupsOf(items, TargetGroupPropertyName));
    }

    /// <summary>The value of <paramref name="property"/> on each target item (its record's field for ZipFit examples); a missing or empty one is a terminating error.</summary>
    private List<string> GroupsOf(object[] items, string property)
    {
        var groups = new List<string>(items.Length);
        for (int i = 0; i < items.Length; i++)
        {
            var item = items[i] is PSObject ps ? ps : PSObject.AsPSObject(items[i]);
            object? value = item.BaseObject is Example example
                ? example.Record?.Properties[property]?.Value
                : item.Properties[property]?.Value;
            string? group = value is PSObject wrapped ? wrapped.BaseObject?.ToString() : value?.ToString();
            if (string.IsNullOrEmpty(group))
            {
                ThrowTerminating(ErrorIds.InvalidTargetGroup, ErrorCategory.InvalidArgument, Format(Strings.TargetItemHasNoGroup, i + 1, property), items[i]);
            }
            groups.Add(group!);
        }
        return groups;
    }

    /// <summary>The UTF-8 text of each item (string, ZipFit example or object with the text property); an item without text is a terminating error.</summary>
    private protected List<byte[]> TextsOf(object[] items, string errorId, string messageTemplate)
    {
        var bytes = new List<byte[]>(items.Length);
        for (int i = 0; i < items.Length; i++)
        {
            var example = TextInput.ToExample(items[i], TextProperty, IdProperty, i + 1, out _);
            if (example is null)
            {
                ThrowTerminating(errorId, ErrorCategory.InvalidArgument, Format(messageTemplate, i + 1, TextProperty), items[i]);
            }
            bytes.Add(example!.Data.Utf8);
        }
        return bytes;
    }
}

/// <summary>The target mode an example is matched to, its share of the target, and its balanced-selection key.</summary>
internal sealed record ModeMatch(string Mode, double Share, double Key);
