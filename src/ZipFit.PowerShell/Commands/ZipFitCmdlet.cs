using System.Globalization;
using System.Management.Automation;
using ZipFit.Core.Data;

namespace ZipFit.Commands;

/// <summary>Base of ZipFit cmdlets: error helpers and a token cancelled by Ctrl+C.</summary>
public abstract class ZipFitCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private bool _disposed;

    protected CancellationToken StopToken => _stopping.Token;

    protected override void StopProcessing() => _stopping.Cancel();

    protected static string Format(string template, params object?[] args) =>
        string.Format(CultureInfo.CurrentCulture, template, args);

    protected ErrorRecord NewError(string errorId, ErrorCategory category, string message, object? target, Exception? inner = null) =>
        new(new ZipFitException(message, inner), errorId, category, target);

    protected void WriteNonTerminating(string errorId, ErrorCategory category, string message, object? target) =>
        WriteError(NewError(errorId, category, message, target));

    protected void ThrowTerminating(string errorId, ErrorCategory category, string message, object? target, Exception? inner = null) =>
        ThrowTerminatingError(NewError(errorId, category, message, target, inner));

    /// <summary>
    /// Whether a pipeline example's text is over the limit; if so, writes ZipFit.RecordTooLarge naming
    /// the example (its file:line or id; the huge object itself is not kept in the error).
    /// </summary>
    private protected bool IsTooLarge(Example example, long limit)
    {
        if (!example.Data.IsLargerThan(limit, out long size))
        {
            return false;
        }
        string where = example.Data.Line > 0 ? example.Data.Location : example.Id;
        var record = NewError(ErrorIds.RecordTooLarge, ErrorCategory.LimitsExceeded,
            $"{where}: {DatasetReadOptions.TooLargeMessage(size, limit)}", where);
        record.ErrorDetails = new ErrorDetails(record.Exception.Message)
        {
            RecommendedAction = "Raise -MaxRecordBytes to take the record; every other record was processed.",
        };
        WriteError(record);
        return true;
    }

    /// <summary>A reader error becomes a non-terminating error that names file:line.</summary>
    protected void WriteDatasetError(DatasetError error)
    {
        bool tooLarge = error.ErrorId is DatasetErrorIds.RecordTooLarge or DatasetErrorIds.RowGroupTooLarge;
        var record = NewError(ErrorIds.ForDataset(error.ErrorId), tooLarge ? ErrorCategory.LimitsExceeded : ErrorCategory.InvalidData,
            $"{error.Location}: {error.Message}", error.Location);
        record.ErrorDetails = new ErrorDetails($"{error.Location}: {error.Message}")
        {
            RecommendedAction = tooLarge
                ? "Raise -MaxRecordBytes to read the record; every other record was processed."
                : "Fix or remove the record; every other record was processed.",
        };
        WriteError(record);
    }

    /// <summary>Resolves -Path (wildcards) or -LiteralPath to existing files; reports the rest as errors.</summary>
    protected IEnumerable<string> ResolveFiles(string[]? paths, bool literal)
    {
        foreach (string path in paths ?? [])
        {
            List<string> resolved = [];
            try
            {
                if (literal)
                {
                    resolved.Add(GetUnresolvedProviderPathFromPSPath(path));
                }
                else
                {
                    resolved.AddRange(GetResolvedProviderPathFromPSPath(path, out _));
                }
            }
            catch (ItemNotFoundException)
            {
            }
            if (resolved.Count == 0 || (literal && !File.Exists(resolved[0]) && !Directory.Exists(resolved[0])))
            {
                WriteNonTerminating(ErrorIds.PathNotFound, ErrorCategory.ObjectNotFound, Format(Strings.PathNotFound, path), path);
                continue;
            }
            foreach (string file in resolved)
            {
                if (Directory.Exists(file))
                {
                    WriteNonTerminating(ErrorIds.PathNotFound, ErrorCategory.InvalidArgument, Format(Strings.NotAFile, file), file);
                    continue;
                }
                yield return file;
            }
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        DisposeResources();
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases threads and handles; runs even when EndProcessing never does.</summary>
    protected virtual void DisposeResources() { }
}

/// <summary>The exception behind ZipFit's error records.</summary>
public sealed class ZipFitException(string message, Exception? inner = null) : Exception(message, inner);
