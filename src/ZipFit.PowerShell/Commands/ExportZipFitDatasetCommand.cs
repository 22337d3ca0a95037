using System.Management.Automation;
using ZipFit.Core.Data;

namespace ZipFit.Commands;

/// <summary>
/// Writes examples to JSONL (.jsonl, .jsonl.gz, .jsonl.zst) keeping each record's original fields;
/// the file appears only when the export completes.
/// </summary>
[Cmdlet(VerbsData.Export, "ZipFitDataset", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportZipFitDatasetCommand : ZipFitCmdlet
{
    private DatasetWriter? _writer;
    private string _fullPath = "";

    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [AllowNull]
    public PSObject? InputObject { get; set; }

    /// <summary>Adds the score as <c>zipfit_score</c>.</summary>
    [Parameter]
    public SwitchParameter IncludeScore { get; set; }

    /// <summary>Overwrites an existing file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Outputs the written file.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void BeginProcessing()
    {
        _fullPath = GetUnresolvedProviderPathFromPSPath(Path);
        if (File.Exists(_fullPath) && !Force)
        {
            ThrowTerminating(ErrorIds.OutputExists, ErrorCategory.ResourceExists, Format(Strings.OutputExists, _fullPath), _fullPath);
        }
        if (!ShouldProcess(_fullPath, "Export ZipFit dataset"))
        {
            return;
        }
        try
        {
            _writer = DatasetWriter.Create(_fullPath, overwrite: Force);
            foreach (string leftover in _writer.RemovedLeftovers)
            {
                WriteVerbose($"Removed {leftover}, the temporary file of an earlier export to this path that did not finish.");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ThrowTerminating(ErrorIds.WriteFailed, ErrorCategory.WriteError, ex.Message, _fullPath, ex);
        }
    }

    protected override void ProcessRecord()
    {
        if (_writer is null || InputObject is null)
        {
            return;
        }
        StopToken.ThrowIfCancellationRequested();
        try
        {
            Write(InputObject);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ThrowTerminating(ErrorIds.WriteFailed, ErrorCategory.WriteError, ex.Message, _fullPath, ex);
        }
    }

    private void Write(PSObject input)
    {
        double? score = null;
        Example? example = null;
        switch (input.BaseObject)
        {
            case ScoredExample scored:
                example = scored.Example;
                score = IncludeScore ? scored.Score : null;
                break;
            case Example e:
                example = e;
                break;
            case string s:
                _writer!.WriteProperties([new("text", s)], null);
                return;
        }
        if (example is not null)
        {
            if (example.Data.JsonUtf8 is { } utf8)
            {
                _writer!.WriteJsonWithScore(utf8, score);
            }
            else if (example.Data.Json is { } json)
            {
                _writer!.WriteJsonWithScore(json, score);
            }
            else if (example.Record is { } record)
            {
                _writer!.WriteProperties(RecordConversion.Properties(record), score);
            }
            else
            {
                _writer!.WriteProperties([new("id", example.Id), new("text", example.Text)], score);
            }
            return;
        }
        if (IncludeScore && input.Properties["Score"]?.Value is { } value)
        {
            score = Convert.ToDouble(value is PSObject p ? p.BaseObject : value, System.Globalization.CultureInfo.InvariantCulture);
        }
        _writer!.WriteProperties(RecordConversion.Properties(input), score);
    }

    protected override void EndProcessing()
    {
        if (_writer is null)
        {
            return;
        }
        try
        {
            _writer.Commit();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ThrowTerminating(ErrorIds.WriteFailed, ErrorCategory.WriteError, ex.Message, _fullPath, ex);
        }
        WriteVerbose($"Wrote {_writer.RecordsWritten} records to {_fullPath}");
        if (PassThru)
        {
            WriteObject(new FileInfo(_fullPath));
        }
    }

    protected override void DisposeResources() => _writer?.Dispose();
}
