using System.Management.Automation;
using ZipFit.Completion;
using ZipFit.Core.Compression;
using ZipFit.Core.Scoring;

namespace ZipFit.Commands;

/// <summary>Builds a reusable target set from examples or strings, with their compressed lengths and a fingerprint.</summary>
[Cmdlet(VerbsCommon.New, "ZipFitTarget")]
[OutputType(typeof(Target))]
public sealed class NewZipFitTargetCommand : ZipFitCmdlet
{
    private readonly List<byte[]> _texts = [];
    private readonly List<string> _ids = [];
    private CompressorSpec _compressor = CompressorSpec.Default;
    private long _ordinal;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [AllowNull]
    public PSObject? InputObject { get; set; }

    [Parameter]
    [ValidateCompressor]
    [ArgumentCompleter(typeof(CompressorCompleter))]
    public string? Compressor { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(LevelCompleter))]
    public int? Level { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string TextProperty { get; set; } = "text";

    /// <summary>The largest target text, in UTF-8 bytes (default 16 MiB, at most 1 GiB); a larger one is a ZipFit.RecordTooLarge error and is skipped.</summary>
    [Parameter]
    [ValidateRange(1L, Core.Data.DatasetReadOptions.LargestMaxRecordBytes)]
    public long MaxRecordBytes { get; set; } = Core.Data.DatasetReadOptions.DefaultMaxRecordBytes;

    protected override void BeginProcessing() =>
        _compressor = CompressorParameters.Resolve(this, Compressor, Level, null);

    protected override void ProcessRecord()
    {
        // An array given with -InputObject counts as its elements.
        object?[] items = InputObject?.BaseObject is object?[] array ? array : [InputObject];
        foreach (var item in items)
        {
            var example = TextInput.ToExample(item, TextProperty, null, ++_ordinal, out _);
            if (example is null)
            {
                WriteNonTerminating(ErrorIds.InvalidTargetItem, ErrorCategory.InvalidData,
                    Format(Strings.TargetItemHasNoText, _ordinal, TextProperty), item);
                continue;
            }
            if (IsTooLarge(example, MaxRecordBytes))
            {
                continue;
            }
            _texts.Add(example.Data.Utf8);
            _ids.Add(example.Id ?? "");
        }
    }

    protected override void EndProcessing()
    {
        if (_texts.Count == 0)
        {
            ThrowTerminating(ErrorIds.EmptyTarget, ErrorCategory.InvalidArgument, Strings.EmptyTarget, null);
        }
        var set = new TargetSet(_texts);
        var method = NcdMethod.Prepare(set, _compressor);
        WriteVerbose($"Target {set.Fingerprint}: {set.Count} examples, {_compressor.Identity}.");
        WriteObject(new Target(set, _ids, _compressor, method.TargetLengths));
    }
}
