using System.Management.Automation;
using ZipFit.Core.Data;

namespace ZipFit.Commands;

/// <summary>
/// Writes examples to JSONL (.jsonl, .jsonl.gz, .jsonl.zst) keeping each record's original fields;
/// the file appears only when the export completes.
/// </summary>
[Cmdlet(VerbsData.Export, "ZipFitDataset", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportZipFitDatasetCommand : FileWriterCmdlet
{
    private DatasetWriter? _writer;

    /// <summary>Adds the score as <c>zipfit_score</c>.</summary>
    [Parameter]
    public SwitchParameter IncludeScore { get; set; }

    protected override void BeginProcessing()
    {
        if (!StartOutput("Export ZipFit dataset"))
        {
            return;
        }
        Writing(() => _writer = DatasetWriter.Create(FullPath, overwrite: Force));
        foreach (string leftover in _writer!.RemovedLeftovers)
        {
            WriteVerbose($"Removed {leftover}, the temporary file of an earlier export to this path that did not finish.");
        }
    }

    protected override void ProcessRecord()
    {
        if (_writer is null || InputObject is null)
        {
            return;
        }
        StopToken.ThrowIfCancellationRequested();
        Writing(() => Write(InputObject));
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
        Writing(_writer.Commit);
        Finish($"{_writer.RecordsWritten} records");
    }

    protected override void DisposeResources() => _writer?.Dispose();
}
