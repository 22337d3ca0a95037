using System.Management.Automation;
using ZipFit.Core.Data;

namespace ZipFit.Commands;

/// <summary>Streams examples from JSONL (.jsonl, .jsonl.gz, .jsonl.zst) and text files.</summary>
[Cmdlet(VerbsData.Import, "ZipFitDataset", DefaultParameterSetName = PathSet)]
[OutputType(typeof(Example))]
public sealed class ImportZipFitDatasetCommand : RecordCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    /// <summary>The JSON property holding the id (default: <c>id</c> when present, else file:line).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? IdProperty { get; set; }

    /// <summary>Keep only shard i of n (e.g. 0/4), chosen by a hash of the id.</summary>
    [Parameter]
    [ValidatePattern(@"^\d+/\d+$")]
    public string? Shard { get; set; }

    private ProgressReporter? _progress;
    private long _count;

    protected override void ProcessRecord()
    {
        _progress ??= new ProgressReporter(this, 2, "Import-ZipFitDataset");
        bool literal = ParameterSetName == LiteralPathSet;
        var options = ReadOptions(IdProperty, Shard);
        ReadProgress? reading = null;
        string fileName = "";
        ReadDatasets(ResolveFiles(literal ? LiteralPath : Path, literal), options, WriteObject,
            onFile: (fileIndex, file, progress) =>
            {
                if (!DatasetFileKind.TryFromPath(file, out _))
                {
                    WriteWarning(Format(Strings.UnknownExtension, file));
                }
                WriteVerbose($"Reading {file}");
                reading = progress;
                fileName = System.IO.Path.GetFileName(file);
            },
            onItem: () => _progress.Update(++_count, reading!.Fraction, fileName));
    }

    protected override void EndProcessing() => _progress?.Complete();
}
