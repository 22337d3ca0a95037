using System.Buffers.Binary;
using System.Text;
using Microsoft.Data.Sqlite;
using ZipFit.Core.Scoring;

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
    public const int SchemaVersion = 1;
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
                Execute(_connection, $"INSERT INTO meta(key, value) VALUES ('format', '{FormatTag}'), ('schema_version', '{SchemaVersion}')", tx);
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

    // ---- ids -------------------------------------------------------------------------------

    public long CompressorId(string identity)
    {
        if (_compressorIds.TryGetValue(identity, out long id))
        {
            return id;
        }
        Execute(_connection, "INSERT OR IGNORE INTO compressors(identity) VALUES ($v)", null, ("$v", identity));
        id = Query(_connection, "SELECT id FROM compressors WHERE identity = $v", r => r.GetInt64(0), null, ("$v", identity)).Single();
        _compressorIds[identity] = id;
        return id;
    }

    /// <summary>The id of a (target set, compressor) whose pair lengths are stored; registers its members.</summary>
    public long TargetId(TargetSet target, string compressorIdentity)
    {
        long compressor = CompressorId(compressorIdentity);
        Execute(_connection,
            "INSERT OR IGNORE INTO targets(fingerprint, compressor_id, members, created) VALUES ($f, $c, $m, $t)", null,
            ("$f", target.Fingerprint), ("$c", compressor), ("$m", PackHashes(target.ExampleHashes)), ("$t", Now()));
        return Query(_connection, "SELECT id FROM targets WHERE fingerprint = $f AND compressor_id = $c", r => r.GetInt64(0), null,
            ("$f", target.Fingerprint), ("$c", compressor)).Single();
    }

    /// <summary>The id of a (method, target set) whose scores are stored.</summary>
    public long ScopeId(string method, string targetFingerprint, string? compressorIdentity)
    {
        long? compressor = compressorIdentity is null ? null : CompressorId(compressorIdentity);
        Execute(_connection, "INSERT OR IGNORE INTO scopes(method, target, compressor_id, created) VALUES ($m, $t, $c, $n)", null,
            ("$m", method), ("$t", targetFingerprint), ("$c", (object?)compressor ?? DBNull.Value), ("$n", Now()));
        return Query(_connection, "SELECT id FROM scopes WHERE method = $m AND target = $t", r => r.GetInt64(0), null,
            ("$m", method), ("$t", targetFingerprint)).Single();
    }

    /// <summary>
    /// Among target sets with stored pairs for this compressor, the one sharing the most examples
    /// with <paramref name="target"/> (other than itself), with the position in it of each current member.
    /// </summary>
    public (long TargetId, int[] Positions, int Shared)? ClosestTarget(TargetSet target, string compressorIdentity)
    {
        long compressor = CompressorId(compressorIdentity);
        (long Id, int[] Positions, int Shared)? best = null;
        var candidates = Query(_connection, "SELECT id, fingerprint, members FROM targets WHERE compressor_id = $c",
            r => (r.GetInt64(0), r.GetString(1), (byte[])r.GetValue(2)), null, ("$c", compressor)).ToList();
        foreach (var (id, fingerprint, members) in candidates)
        {
            if (fingerprint == target.Fingerprint)
            {
                continue;
            }
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            var hashes = UnpackHashes(members);
            for (int i = 0; i < hashes.Count; i++)
            {
                index.TryAdd(hashes[i], i);
            }
            var positions = target.ExampleHashes.Select(h => index.TryGetValue(h, out int p) ? p : -1).ToArray();
            int shared = positions.Count(p => p >= 0);
            if (shared > 0 && (best is null || shared > best.Value.Shared))
            {
                best = (id, positions, shared);
            }
        }
        return best;
    }

    // ---- batched lookups -------------------------------------------------------------------

    public Dictionary<string, double> LookupScores(long scopeId, IReadOnlyList<string> hashes) =>
        Lookup("SELECT hash, score FROM scores WHERE scope_id = $k AND hash IN ({0})", scopeId, hashes, r => r.GetDouble(1));

    public Dictionary<string, int> LookupLengths(long compressorId, IReadOnlyList<string> hashes) =>
        Lookup("SELECT hash, length FROM lengths WHERE compressor_id = $k AND hash IN ({0})", compressorId, hashes, r => r.GetInt32(1));

    public Dictionary<string, int[]> LookupPairs(long targetId, IReadOnlyList<string> hashes) =>
        Lookup("SELECT hash, lengths FROM pairs WHERE target_id = $k AND hash IN ({0})", targetId, hashes, r => UnpackInts((byte[])r.GetValue(1)));

    private Dictionary<string, T> Lookup<T>(string sqlTemplate, long key, IReadOnlyList<string> hashes, Func<SqliteDataReader, T> read)
    {
        var result = new Dictionary<string, T>(StringComparer.Ordinal);
        for (int start = 0; start < hashes.Count; start += MaxBatch)
        {
            int n = Math.Min(MaxBatch, hashes.Count - start);
            var command = PreparedLookup(sqlTemplate, n);
            command.Parameters[0].Value = key;
            for (int i = 0; i < n; i++)
            {
                command.Parameters[i + 1].Value = Convert.FromHexString(hashes[start + i]);
            }
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                result[Convert.ToHexString((byte[])reader.GetValue(0)).ToLowerInvariant()] = read(reader);
            }
        }
        return result;
    }

    private SqliteCommand PreparedLookup(string sqlTemplate, int n)
    {
        if (_lookups.TryGetValue((sqlTemplate, n), out var command))
        {
            return command;
        }
        command = _connection.CreateCommand();
        command.CommandText = string.Format(System.Globalization.CultureInfo.InvariantCulture, sqlTemplate,
            string.Join(",", Enumerable.Range(0, n).Select(i => "$h" + i)));
        command.Parameters.Add(new SqliteParameter("$k", SqliteType.Integer));
        for (int i = 0; i < n; i++)
        {
            command.Parameters.Add(new SqliteParameter("$h" + i, SqliteType.Blob));
        }
        command.Prepare();
        _lookups[(sqlTemplate, n)] = command;
        return command;
    }

    // ---- batched writes --------------------------------------------------------------------

    /// <summary>One computed example: any of its length, pair lengths and score may be stored.</summary>
    public readonly record struct Entry(string Hash, long? CompressorId, int? Length, long? TargetId, int[]? Pairs, long ScopeId, double Score);

    /// <summary>Stores a batch in one transaction: either all of it is durable or none.</summary>
    public void Write(IReadOnlyList<Entry> entries)
    {
        if (entries.Count == 0)
        {
            return;
        }
        long now = Now();
        using var tx = _connection.BeginTransaction(deferred: false);
        using var lengths = Command("INSERT OR REPLACE INTO lengths(hash, compressor_id, length, created) VALUES ($h, $c, $v, $t)", tx, "$h", "$c", "$v", "$t");
        using var pairs = Command("INSERT OR REPLACE INTO pairs(hash, target_id, lengths, created) VALUES ($h, $c, $v, $t)", tx, "$h", "$c", "$v", "$t");
        using var scores = Command("INSERT OR REPLACE INTO scores(hash, scope_id, score, created) VALUES ($h, $c, $v, $t)", tx, "$h", "$c", "$v", "$t");
        foreach (var e in entries)
        {
            byte[] hash = Convert.FromHexString(e.Hash);
            if (e.Length is { } length && e.CompressorId is { } compressor)
            {
                Run(lengths, hash, compressor, length, now);
            }
            if (e.Pairs is { } p && e.TargetId is { } target)
            {
                Run(pairs, hash, target, PackInts(p), now);
            }
            if (double.IsFinite(e.Score))
            {
                Run(scores, hash, e.ScopeId, e.Score, now);
            }
        }
        tx.Commit();

        static void Run(SqliteCommand command, object a, object b, object c, object d)
        {
            command.Parameters[0].Value = a;
            command.Parameters[1].Value = b;
            command.Parameters[2].Value = c;
            command.Parameters[3].Value = d;
            command.ExecuteNonQuery();
        }
    }

    private SqliteCommand Command(string sql, SqliteTransaction tx, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        foreach (string p in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = p });
        }
        command.Prepare();
        return command;
    }

    // ---- housekeeping ----------------------------------------------------------------------

    public CacheInfo GetInfo()
    {
        long Count(string table) => Query(_connection, $"SELECT count(*) FROM {table}", r => r.GetInt64(0)).Single();
        long size = new[] { "", "-wal" }.Select(s => new FileInfo(Path + s)).Where(f => f.Exists).Sum(f => f.Length);
        return new CacheInfo(Path, size, SchemaVersion, Count("lengths"), Count("pairs"), Count("scores"), Count("targets"),
            Query(_connection, "SELECT identity FROM compressors ORDER BY identity", r => r.GetString(0)).ToList(),
            Query(_connection, "SELECT DISTINCT method FROM scopes ORDER BY method", r => r.GetString(0)).ToList());
    }

    /// <summary>Deletes entries (optionally only one compressor's, or only those older than a date); returns rows removed.</summary>
    public long Clear(string? compressorPattern = null, DateTimeOffset? olderThan = null)
    {
        long cutoff = olderThan?.ToUnixTimeSeconds() ?? long.MaxValue;
        string compressorFilter = compressorPattern is null ? "1" : "compressor_id IN (SELECT id FROM compressors WHERE identity LIKE $p ESCAPE '\\')";
        long removed = 0;
        using (var tx = _connection.BeginTransaction(deferred: false))
        {
            (string Sql, bool UsesPattern)[] statements =
            [
                ($"DELETE FROM scores WHERE created < $t AND scope_id IN (SELECT id FROM scopes WHERE {compressorFilter})", true),
                ($"DELETE FROM pairs WHERE created < $t AND target_id IN (SELECT id FROM targets WHERE {compressorFilter})", true),
                ($"DELETE FROM lengths WHERE created < $t AND {compressorFilter}", true),
                ("DELETE FROM targets WHERE id NOT IN (SELECT DISTINCT target_id FROM pairs)", false),
                ("DELETE FROM scopes WHERE id NOT IN (SELECT DISTINCT scope_id FROM scores)", false),
                ("DELETE FROM compressors WHERE id NOT IN (SELECT compressor_id FROM lengths UNION SELECT compressor_id FROM targets UNION SELECT compressor_id FROM scopes WHERE compressor_id IS NOT NULL)", false),
            ];
            foreach (var (sql, _) in statements)
            {
                using var command = _connection.CreateCommand();
                command.Transaction = tx;
                command.CommandText = sql;
                command.Parameters.AddWithValue("$t", cutoff);
                if (compressorPattern is not null)
                {
                    command.Parameters.AddWithValue("$p", PatternToLike(compressorPattern));
                }
                removed += command.ExecuteNonQuery();
            }
            tx.Commit();
        }
        Execute(_connection, "PRAGMA wal_checkpoint(TRUNCATE);");
        Execute(_connection, "VACUUM;");
        return removed;
    }

    /// <summary>
    /// <c>gzip</c> (every level), <c>gzip-9</c> (that level, any implementation), a full identity, or a
    /// pattern with * and ? wildcards.
    /// </summary>
    internal static string PatternToLike(string pattern)
    {
        bool wildcard = pattern.Contains('*') || pattern.Contains('?');
        string like = pattern.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_").Replace('*', '%').Replace('?', '_');
        if (wildcard || like.Contains('/'))
        {
            return like;
        }
        int dash = like.LastIndexOf('-');
        bool hasLevel = dash > 0 && like[(dash + 1)..].All(char.IsDigit) && dash + 1 < like.Length;
        return hasLevel ? like + "/%" : like + "-%";
    }

    public void Dispose()
    {
        foreach (var command in _lookups.Values)
        {
            command.Dispose();
        }
        _lookups.Clear();
        _connection.Dispose();
    }

    // ---- helpers ---------------------------------------------------------------------------

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    internal static byte[] PackHashes(IReadOnlyList<string> hashes)
    {
        var bytes = new byte[hashes.Count * 16];
        for (int i = 0; i < hashes.Count; i++)
        {
            Convert.FromHexString(hashes[i]).CopyTo(bytes, i * 16);
        }
        return bytes;
    }

    internal static List<string> UnpackHashes(byte[] packed) =>
        Enumerable.Range(0, packed.Length / 16).Select(i => Convert.ToHexString(packed, i * 16, 16).ToLowerInvariant()).ToList();

    internal static byte[] PackInts(int[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * 4), values[i]);
        }
        return bytes;
    }

    internal static int[] UnpackInts(byte[] bytes)
    {
        var values = new int[bytes.Length / 4];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(i * 4));
        }
        return values;
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? tx = null, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        command.ExecuteNonQuery();
    }

    private static List<T> Query<T>(SqliteConnection connection, string sql, Func<SqliteDataReader, T> read, SqliteTransaction? tx = null,
        params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        using var reader = command.ExecuteReader();
        var list = new List<T>();
        while (reader.Read())
        {
            list.Add(read(reader));
        }
        return list;
    }

    private sealed class CacheDamagedException(string detail) : Exception($"integrity check: {detail}");
}
