using System.Management.Automation;
using ZipFit.Completion;
using ZipFit.Core.Compression;
using ZipFit.Core.Data;

namespace ZipFit.Commands;

/// <summary>Base of the cmdlets that take text from records or objects: -TextProperty and -MaxRecordBytes.</summary>
public abstract class RecordCmdlet : ZipFitCmdlet
{
    /// <summary>The property (JSON field or object property) holding the text.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string TextProperty { get; set; } = "text";

    /// <summary>The largest text taken, in UTF-8 bytes (default 16 MiB, at most 1 GiB); a larger one is a ZipFit.RecordTooLarge error and is skipped.</summary>
    [Parameter]
    [ValidateRange(1L, DatasetReadOptions.LargestMaxRecordBytes)]
    public long MaxRecordBytes { get; set; } = DatasetReadOptions.DefaultMaxRecordBytes;

    /// <summary>How to read dataset files: this cmdlet's text property and limit, <paramref name="idProperty"/> and -Shard.</summary>
    private protected DatasetReadOptions ReadOptions(string? idProperty, string? shard) => new()
    {
        TextProperty = TextProperty,
        IdProperty = idProperty,
        Shard = ShardParameter.Parse(this, shard),
        MaxRecordBytes = MaxRecordBytes,
    };

    /// <summary>
    /// Whether a pipeline example's text is over the limit; if so, writes ZipFit.RecordTooLarge naming
    /// the example (its file:line or id; the huge object itself is not kept in the error).
    /// </summary>
    private protected bool IsTooLarge(Example example)
    {
        if (!example.Data.IsLargerThan(MaxRecordBytes, out long size))
        {
            return false;
        }
        string where = example.Data.Line > 0 ? example.Data.Location : example.Id;
        WriteError(ErrorRecords.RecordTooLarge(where, size, MaxRecordBytes));
        return true;
    }
}

/// <summary>Base of the cmdlets that compress: -Compressor and -Level on top of <see cref="RecordCmdlet"/>.</summary>
public abstract class CompressorCmdlet : RecordCmdlet
{
    [Parameter]
    [ValidateCompressor]
    [ArgumentCompleter(typeof(CompressorCompleter))]
    public string? Compressor { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(LevelCompleter))]
    public int? Level { get; set; }

    /// <summary>Explicit -Compressor/-Level win; otherwise <paramref name="preferred"/> (a target's own); otherwise gzip-9.</summary>
    private protected CompressorSpec ResolveCompressor(CompressorSpec? preferred) =>
        CompressorParameters.Resolve(this, Compressor, Level, preferred);
}
