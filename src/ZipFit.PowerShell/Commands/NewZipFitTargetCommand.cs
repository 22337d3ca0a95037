using System.Management.Automation;
using ZipFit.Core.Compression;
using ZipFit.Core.Scoring;

namespace ZipFit.Commands;

/// <summary>Builds a reusable target set from examples or strings, with their compressed lengths and a fingerprint.</summary>
[Cmdlet(VerbsCommon.New, "ZipFitTarget")]
[OutputType(typeof(Target))]
public sealed class NewZipFitTargetCommand : CompressorCmdlet
{
    private readonly List<byte[]> _texts = [];
    private readonly List<string> _ids = [];
    private CompressorSpec _compressor = CompressorSpec.Default;
    private long _ordinal;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [AllowNull]
    [TargetItemsTransformation]
    public PSObject? InputObject { get; set; }

    protected override void BeginProcessing() =>
        _compressor = ResolveCompressor(null);

    protected override void ProcessRecord()
    {
        // Flattened by the transformation: an array given with -InputObject counts as its elements.
        object?[] items = InputObject?.BaseObject as object?[] ?? [];
        foreach (var item in items)
        {
            var example = TextInput.ToExample(item, TextProperty, null, ++_ordinal, out _);
            if (example is null)
            {
                WriteNonTerminating(ErrorIds.InvalidTargetItem, ErrorCategory.InvalidData,
                    Format(Strings.TargetItemHasNoText, _ordinal, TextProperty), item);
                continue;
            }
            if (IsTooLarge(example))
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
        WriteObject(new Target(set, _compressor) { Ids = _ids, CompressedLengths = method.TargetLengths });
    }
}
