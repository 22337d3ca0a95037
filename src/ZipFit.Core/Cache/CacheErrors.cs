namespace ZipFit.Core.Cache;

/// <summary>The file at the cache path is not a ZipFit cache; it was left untouched.</summary>
public sealed class NotACacheException(string path, string reason)
    : Exception($"'{path}' is not a ZipFit cache ({reason}); it was left untouched.")
{
    public string Path { get; } = path;
}

/// <summary>The cache was written by a newer ZipFit with a schema this version does not know.</summary>
public sealed class CacheVersionException(string path, int found, int supported)
    : Exception($"The cache '{path}' has schema version {found}; this ZipFit supports up to {supported}.");

/// <summary>Classifies exceptions from the cache's storage, so callers need no reference to SQLite.</summary>
public static class CacheFailures
{
    /// <summary>True when <paramref name="ex"/> is a failure of the file or database behind the cache (I/O, access, SQLite).</summary>
    public static bool IsStorageFailure(Exception ex) =>
        ex is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException;
}
