using Microsoft.Data.Sqlite;

namespace ZipFit.Core.Cache;

/// <summary>
/// A persistent cache of compressed lengths and scores in SQLite: per-example C(x) by content hash
/// and compressor identity; per (example, target set) the C(x+y) of every pair as one blob, so a
/// target set that changed by a few examples recomputes only the pairs that involve them; and per
/// (example, method, target set) the final score. WAL journal, one transaction per batch, batched
/// lookups with prepared statements, a busy timeout for processes sharing the file.
/// </summary>
public sealed partial class ScoreCache : IDisposable
{
    public const int SchemaVersion = 5;
    private const string FormatTag = "zipfit-cache";
    private const int MaxBatch = 500;
    private static readonly byte[] SqliteMagic = "SQLite format 3\0"u8.ToArray();

    private readonly SqliteConnection _connection;
    private readonly Dictionary<(string Sql, int N), SqliteCommand> _lookups = new();
    private readonly Dictionary<string, long> _compressorIds = new(StringComparer.Ordinal);

    private ScoreCache(string path, SqliteConnection connection)
    {
        Path = path;
        _connection = connection;
    }

    public string Path { get; }

    /// <summary>The hash this cache's rows are keyed by (fixed when the file was created).</summary>
    public ContentKeyHash KeyHash { get; private set; }

    /// <summary>Its name as meta's content_hash holds it.</summary>
    private string _keyHashName = "";

    /// <summary>The key of an example's rows in this cache.</summary>
    public ContentKey KeyOf(ReadOnlySpan<byte> utf8) => ContentKey.Of(utf8, KeyHash);

    /// <summary>
    /// Opens or creates the cache at <paramref name="path"/>. A file that is not a ZipFit cache is
    /// refused and left untouched; a damaged ZipFit cache is moved aside (reported through
    /// <paramref name="warn"/>) and rebuilt.
    /// </summary>
    public static ScoreCache Open(string path, Action<string>? warn = null)
    {
        path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        RefuseForeignFile(path);
        try
        {
            return OpenChecked(path);
        }
        catch (Exception ex) when (ex is CacheDamagedException || ex is SqliteException { SqliteErrorCode: 11 or 26 })
        {
            string aside = $"{path}.damaged-{DateTime.UtcNow:yyyyMMddHHmmss}";
            SqliteConnection.ClearAllPools();
            File.Move(path, aside);
            foreach (string suffix in new[] { "-wal", "-shm" })
            {
                if (File.Exists(path + suffix))
                {
                    File.Move(path + suffix, aside + suffix);
                }
            }
            warn?.Invoke($"The ZipFit cache '{path}' was damaged ({ex.Message}); it was moved to '{aside}' and a new cache was started.");
            return OpenChecked(path);
        }
    }

    private static void RefuseForeignFile(string path)
    {
        if (!File.Exists(path))
        {
            return;
        }
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (file.Length == 0)
        {
            return;
        }
        Span<byte> header = stackalloc byte[16];
        if (file.Length < 16 || file.ReadAtLeast(header, 16, throwOnEndOfStream: false) < 16 || !header.SequenceEqual(SqliteMagic))
        {
            throw new NotACacheException(path, "it is not an SQLite database");
        }
    }

    private static ScoreCache OpenChecked(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 120,
        }.ToString());
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA busy_timeout = 120000;");
            var cache = new ScoreCache(path, connection);
            // Identify the file before changing anything in it (even the journal mode is written to the header).
            cache.InitializeOrMigrate();
            Execute(connection, "PRAGMA journal_mode = WAL;");
            Execute(connection, "PRAGMA synchronous = NORMAL;");
            // Rows staged by a run that was stopped or killed before it merged them.
            cache.MergeStaged();
            return cache;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void InitializeOrMigrate()
    {
        var tables = Query(_connection, "SELECT name FROM sqlite_master WHERE type = 'table'", r => r.GetString(0)).ToHashSet();
        if (tables.Count == 0)
        {
            using var tx = _connection.BeginTransaction(deferred: false);
            // Another process may have created it between our check and the write lock.
            if (!Query(_connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'meta'", r => r.GetString(0), tx).Any())
            {
                foreach (string statement in Schema.CreateV1)
                {
                    Execute(_connection, statement, tx);
                }
                Execute(_connection, $"INSERT INTO meta(key, value) VALUES ('format', '{FormatTag}'), ('schema_version', '1'), " +
                    $"('content_hash', '{Schema.XxHash128Name}')", tx);
            }
            tx.Commit();
        }
        else if (!tables.Contains("meta"))
        {
            throw new NotACacheException(Path, "an SQLite database of another application");
        }
        var meta = Query(_connection, "SELECT key, value FROM meta", r => (r.GetString(0), r.GetString(1))).ToDictionary(p => p.Item1, p => p.Item2);
        if (!meta.TryGetValue("format", out string? format) || format != FormatTag)
        {
            throw new NotACacheException(Path, "an SQLite database of another application");
        }
        int version = int.Parse(meta.GetValueOrDefault("schema_version", "0"), System.Globalization.CultureInfo.InvariantCulture);
        if (version > SchemaVersion)
        {
            throw new CacheVersionException(Path, version, SchemaVersion);
        }
        Migrate(version);
        _keyHashName = Query(_connection, "SELECT value FROM meta WHERE key = 'content_hash'", r => r.GetString(0)).Single();
        KeyHash = _keyHashName switch
        {
            Schema.XxHash128Name => ContentKeyHash.XxHash128,
            Schema.Sha256PrefixName => ContentKeyHash.Sha256Prefix,
            _ => throw new CacheDamagedException($"unknown content hash '{_keyHashName}'"),
        };
        string check = Query(_connection, "PRAGMA quick_check(1)", r => r.GetString(0)).FirstOrDefault() ?? "";
        if (check != "ok")
        {
            throw new CacheDamagedException(check);
        }
    }

    /// <summary>Applies each migration from <paramref name="from"/> to the current schema in one transaction.</summary>
    private void Migrate(int from)
    {
        if (from == SchemaVersion)
        {
            return;
        }
        using var tx = _connection.BeginTransaction(deferred: false);
        // Read the version again under the write lock: another process may have migrated (or just created and
        // migrated) the file since it was first read.
        from = int.Parse(Query(_connection, "SELECT value FROM meta WHERE key = 'schema_version'", r => r.GetString(0), tx).SingleOrDefault() ?? "0",
            System.Globalization.CultureInfo.InvariantCulture);
        if (from >= SchemaVersion)
        {
            return;
        }
        for (int v = from; v < SchemaVersion; v++)
        {
            foreach (string statement in Schema.Migrations[v])
            {
                Execute(_connection, statement, tx);
            }
        }
        Execute(_connection, $"UPDATE meta SET value = '{SchemaVersion}' WHERE key = 'schema_version'", tx);
        tx.Commit();
    }

    public void Dispose()
    {
        _blockProbe?.Dispose();
        _blockProbe = null;
        foreach (var command in _lookups.Values)
        {
            command.Dispose();
        }
        _lookups.Clear();
        _connection.Dispose();
    }

    private sealed class CacheDamagedException(string detail) : Exception($"integrity check: {detail}");
}
