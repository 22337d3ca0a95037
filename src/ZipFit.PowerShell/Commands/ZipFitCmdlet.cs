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

    /// <summary>An error record (see <see cref="ErrorRecords"/>): with <paramref name="cause"/>, that exception as it is; else a <see cref="ZipFitException"/>.</summary>
    protected static ErrorRecord NewError(string errorId, ErrorCategory category, string message, object? target, Exception? cause = null) =>
        cause is null
            ? ErrorRecords.Detected(errorId, category, message, target)
            : ErrorRecords.FromException(cause, errorId, category, target, message);

    protected void WriteNonTerminating(string errorId, ErrorCategory category, string message, object? target) =>
        WriteError(NewError(errorId, category, message, target));

    protected void ThrowTerminating(string errorId, ErrorCategory category, string message, object? target, Exception? cause = null) =>
        ThrowTerminatingError(NewError(errorId, category, message, target, cause));

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
                WriteError(ErrorRecords.NotFound(this, ErrorIds.PathNotFound, Format(Strings.PathNotFound, path), path));
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

    /// <summary>
    /// The one path from dataset files to examples, shared by Import-ZipFitDataset and Get-ZipFitScore -Path/-LiteralPath:
    /// reads each file with <see cref="DatasetReader"/>, reports a reader error as a non-terminating error that names
    /// file:line (see <see cref="ErrorRecords.FromDatasetError"/>) and hands every good record to <paramref name="onExample"/>.
    /// <paramref name="onFile"/> is told of each file (its index and read progress) before it is read,
    /// <paramref name="onItem"/> of each record or error before it is handled.
    /// Not an iterator on purpose: a state machine would hold ZipFit.Core structs in fields (the module reflects this assembly before its load context exists).
    /// </summary>
    private protected void ReadDatasets(IEnumerable<string> files, DatasetReadOptions options, Action<Example> onExample,
        Action<int, string, ReadProgress>? onFile = null, Action? onItem = null)
    {
        int index = 0;
        foreach (string file in files)
        {
            var progress = new ReadProgress();
            onFile?.Invoke(index++, file, progress);
            foreach (var item in DatasetReader.Read(file, options, progress))
            {
                onItem?.Invoke();
                if (item.Error is { } error)
                {
                    WriteError(ErrorRecords.FromDatasetError(error));
                }
                else
                {
                    onExample(new Example(item.Record!));
                }
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
