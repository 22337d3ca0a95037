using System.Management.Automation;
using ZipFit.Core.Cache;
using ZipFit.Core.Data;

namespace ZipFit.Commands;

/// <summary>
/// The one place ZipFit's error records are made. Every record carries a stable id (ZipFit.Xxx), a
/// category and a target object; its exception is the one a script can catch by type:
/// <list type="bullet">
/// <item>a failure of the system or a library (I/O, access, SQLite, a damaged .gz/.zst or Parquet file,
///   a bad format) keeps its own exception, unwrapped: <c>catch [System.IO.IOException]</c> works;</item>
/// <item>a path that does not exist is an <see cref="ItemNotFoundException"/>, as with PowerShell's own
///   providers (<c>Get-Item nope</c>);</item>
/// <item>a condition ZipFit itself detects (an empty target, a bad record) is a <see cref="ZipFitException"/>.</item>
/// </list>
/// When ZipFit's message differs from the exception's own, it is the record's ErrorDetails message,
/// which is what PowerShell displays.
/// </summary>
internal static class ErrorRecords
{
    /// <summary>A condition ZipFit detects itself; <paramref name="inner"/> is kept as its InnerException.</summary>
    public static ErrorRecord Detected(string errorId, ErrorCategory category, string message, object? target, Exception? inner = null) =>
        new(new ZipFitException(message, inner), errorId, category, target);

    /// <summary>A path or item that does not exist: an <see cref="ItemNotFoundException"/> whose own error record (what a catch block sees as <c>$_</c>) is this one.</summary>
    public static ErrorRecord NotFound(Cmdlet cmdlet, string errorId, string message, object? target)
    {
        var exception = new ZipFitItemNotFoundException(message, $"{errorId},{cmdlet.GetType().FullName}", target);
        return new ErrorRecord(exception, errorId, ErrorCategory.ObjectNotFound, target);
    }

    /// <summary>A failure that has an exception of its own: kept as the record's exception, unwrapped.</summary>
    public static ErrorRecord FromException(Exception exception, string errorId, ErrorCategory category, object? target, string? message = null)
    {
        exception = Unwrap(exception);
        var record = new ErrorRecord(exception, errorId, category, target);
        if (message is not null && !string.Equals(message, exception.Message, StringComparison.Ordinal))
        {
            record.ErrorDetails = new ErrorDetails(message);
        }
        return record;
    }

    /// <summary>
    /// A dataset reader's error (or a pipeline record over the limit), naming file:line: the engine's message plus what
    /// to do with the cmdlet's parameters; an I/O or format failure behind it stays its exception.
    /// </summary>
    public static ErrorRecord FromDatasetError(DatasetError error)
    {
        var (category, remedy, action) = error.ErrorId switch
        {
            DatasetErrorIds.RecordTooLarge => (ErrorCategory.LimitsExceeded, Strings.RecordTooLargeRemedy, "Raise -MaxRecordBytes to read the record; every other record was processed."),
            DatasetErrorIds.RowGroupTooLarge => (ErrorCategory.LimitsExceeded, Strings.RowGroupTooLargeRemedy, "Raise -MaxRecordBytes to read the record; every other record was processed."),
            _ => (ErrorCategory.InvalidData, null, "Fix or remove the record; every other record was processed."),
        };
        string message = remedy is null ? $"{error.Location}: {error.Message}" : $"{error.Location}: {error.Message} {remedy}";
        string errorId = ErrorIds.ForDataset(error.ErrorId);
        var record = error.Exception is null
            ? Detected(errorId, category, message, error.Location)
            : FromException(error.Exception, errorId, category, error.Location, message);
        record.ErrorDetails = new ErrorDetails(message) { RecommendedAction = action };
        return record;
    }

    /// <summary>A pipeline record over -MaxRecordBytes, named by <paramref name="where"/> (its file:line or id; the huge object itself is not kept).</summary>
    public static ErrorRecord RecordTooLarge(string where, long size, long limit)
    {
        string message = $"{where}: {DatasetReadOptions.TooLargeMessage(size, limit)} {Strings.RecordTooLargeRemedy}";
        var record = Detected(ErrorIds.RecordTooLarge, ErrorCategory.LimitsExceeded, message, where);
        record.ErrorDetails = new ErrorDetails(message)
        {
            RecommendedAction = "Raise -MaxRecordBytes to take the record; every other record was processed.",
        };
        return record;
    }

    /// <summary>
    /// A cache file that cannot be used (not a cache, a newer schema, or a storage failure): ZipFit.NotACache with the
    /// engine's exception kept; the message adds what to do with -CachePath.
    /// </summary>
    public static ErrorRecord CacheUnusable(Exception exception, string path)
    {
        string? remedy = exception switch
        {
            NotACacheException => Strings.NotACacheRemedy,
            CacheVersionException => Strings.CacheVersionRemedy,
            _ => null,
        };
        return FromException(exception, ErrorIds.NotACache, ErrorCategory.InvalidData, path, remedy is null ? null : $"{exception.Message} {remedy}");
    }

    /// <summary>An AggregateException from the worker threads stands for its first failure.</summary>
    private static Exception Unwrap(Exception exception)
    {
        while (exception is AggregateException { InnerExceptions.Count: >= 1 } aggregate)
        {
            exception = aggregate.InnerExceptions[0];
        }
        return exception;
    }
}

/// <summary>The exception behind the errors ZipFit detects itself (not a failure of the system or a library).</summary>
public sealed class ZipFitException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// A path or item that does not exist, catchable as <see cref="ItemNotFoundException"/>. Unlike a plain
/// ItemNotFoundException (whose own record says SessionStateException), its record carries ZipFit's id,
/// category and target, so <c>catch [System.Management.Automation.ItemNotFoundException] { $_ }</c> sees
/// the same FullyQualifiedErrorId as -ErrorVariable does.
/// </summary>
public sealed class ZipFitItemNotFoundException : ItemNotFoundException
{
    private readonly string _fullyQualifiedErrorId = "ZipFit.PathNotFound";
    private readonly object? _target;
    private ErrorRecord? _record;

    public ZipFitItemNotFoundException() { }

    public ZipFitItemNotFoundException(string message) : base(message) { }

    public ZipFitItemNotFoundException(string message, Exception innerException) : base(message, innerException) { }

    public ZipFitItemNotFoundException(string message, string fullyQualifiedErrorId, object? target) : base(message)
    {
        _fullyQualifiedErrorId = fullyQualifiedErrorId;
        _target = target;
    }

    public override ErrorRecord ErrorRecord =>
        _record ??= new ErrorRecord(new ParentContainsErrorRecordException(this), _fullyQualifiedErrorId, ErrorCategory.ObjectNotFound, _target);
}
