using Microsoft.Data.Sqlite;
using SQLitePCL;
using ZipFit.Core.Scoring;

namespace ZipFit.Core.Cache;

/// <summary>ScoreCache: ids of compressors, targets and scopes, and batched reads and writes of lengths, pairs and scores.</summary>
public sealed partial class ScoreCache
{
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
    /// <param name="created">Whether this call made the scope, so nothing can be stored under it yet.</param>
    public long ScopeId(string method, string targetFingerprint, string? compressorIdentity, out bool created)
    {
        long? compressor = compressorIdentity is null ? null : CompressorId(compressorIdentity);
        created = Execute(_connection, "INSERT OR IGNORE INTO scopes(method, target, compressor_id, created) VALUES ($m, $t, $c, $n)", null,
            ("$m", method), ("$t", targetFingerprint), ("$c", (object?)compressor ?? DBNull.Value), ("$n", Now())) == 1;
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

    /// <summary>Stored scores of a scope: those in its blocks (a first O(N) run's), then those in rows.</summary>
    public Dictionary<ContentKey, double> LookupScores(long scopeId, IReadOnlyList<ContentKey> hashes)
    {
        var found = new Dictionary<ContentKey, double>();
        LookupBlocks(scopeId, hashes, found);
        var rest = found.Count == 0 ? hashes : hashes.Where(h => !found.ContainsKey(h)).ToList();
        foreach (var (hash, score) in Lookup("SELECT hash, score FROM scores WHERE scope_id = $k AND hash IN ({0})", scopeId, rest, r => r.GetDouble(1)))
        {
            found[hash] = score;
        }
        return found;
    }

    public Dictionary<ContentKey, int> LookupLengths(long compressorId, IReadOnlyList<ContentKey> hashes) =>
        Lookup("SELECT hash, length FROM lengths WHERE compressor_id = $k AND hash IN ({0})", compressorId, hashes, r => r.GetInt32(1));

    public Dictionary<ContentKey, int[]> LookupPairs(long targetId, IReadOnlyList<ContentKey> hashes) =>
        Lookup("SELECT hash, lengths FROM pairs WHERE target_id = $k AND hash IN ({0})", targetId, hashes, r => UnpackInts((byte[])r.GetValue(1)));

    private Dictionary<ContentKey, T> Lookup<T>(string sqlTemplate, long key, IReadOnlyList<ContentKey> hashes, Func<SqliteDataReader, T> read)
    {
        var result = new Dictionary<ContentKey, T>();
        for (int start = 0; start < hashes.Count; start += MaxBatch)
        {
            int n = Math.Min(MaxBatch, hashes.Count - start);
            var command = PreparedLookup(sqlTemplate, n);
            command.Parameters[0].Value = key;
            for (int i = 0; i < n; i++)
            {
                command.Parameters[i + 1].Value = hashes[start + i].ToArray();
            }
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                result[ContentKey.FromBytes((byte[])reader.GetValue(0))] = read(reader);
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
    public readonly record struct Entry(ContentKey Hash, long? CompressorId, int? Length, long? TargetId, int[]? Pairs, long ScopeId, double Score);

    /// <summary>Appends a batch to the staging tables (one transaction); <see cref="MergeStaged"/> moves it into lengths, pairs
    /// and scores. Rows are bound through SQLite's own statement API: Microsoft.Data.Sqlite's parameter objects cost a few
    /// µs a row, which a first run over millions of examples felt.</summary>
    public void Stage(IReadOnlyList<Entry> entries)
    {
        if (entries.Count == 0)
        {
            return;
        }
        long now = Now();
        using var tx = _connection.BeginTransaction(deferred: false);
        var db = _connection.Handle!;
        Check(raw.sqlite3_prepare_v2(db, "INSERT INTO staged_lengths(hash, compressor_id, length, created) VALUES (?1, ?2, ?3, ?4)", out var lengths), db);
        Check(raw.sqlite3_prepare_v2(db, "INSERT INTO staged_pairs(hash, target_id, lengths, created) VALUES (?1, ?2, ?3, ?4)", out var pairs), db);
        Check(raw.sqlite3_prepare_v2(db, "INSERT INTO staged_scores(hash, scope_id, score, created) VALUES (?1, ?2, ?3, ?4)", out var scores), db);
        using (lengths)
        using (pairs)
        using (scores)
        {
            Span<byte> hash = stackalloc byte[ContentKey.Size];
            foreach (var e in entries)
            {
                e.Hash.WriteTo(hash);
                if (e.Length is { } length && e.CompressorId is { } compressor)
                {
                    raw.sqlite3_bind_blob(lengths, 1, hash);
                    raw.sqlite3_bind_int64(lengths, 2, compressor);
                    raw.sqlite3_bind_int(lengths, 3, length);
                    Step(lengths, now, db);
                }
                if (e.Pairs is { } p && e.TargetId is { } target)
                {
                    raw.sqlite3_bind_blob(pairs, 1, hash);
                    raw.sqlite3_bind_int64(pairs, 2, target);
                    raw.sqlite3_bind_blob(pairs, 3, PackInts(p));
                    Step(pairs, now, db);
                }
                if (double.IsFinite(e.Score))
                {
                    raw.sqlite3_bind_blob(scores, 1, hash);
                    raw.sqlite3_bind_int64(scores, 2, e.ScopeId);
                    raw.sqlite3_bind_double(scores, 3, e.Score);
                    Step(scores, now, db);
                }
            }
        }
        tx.Commit();

        static void Step(sqlite3_stmt statement, long created, sqlite3 db)
        {
            raw.sqlite3_bind_int64(statement, 4, created);
            Check(raw.sqlite3_step(statement), db, raw.SQLITE_DONE);
            raw.sqlite3_reset(statement);
        }
    }

    private static void Check(int rc, sqlite3 db, int ok = raw.SQLITE_OK)
    {
        if (rc != ok)
        {
            throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), rc);
        }
    }

    /// <summary>Staged rows, and the scores in staged runs.</summary>
    internal long StagedRowCount => Query(_connection,
        "SELECT (SELECT count(*) FROM staged_scores) + (SELECT count(*) FROM staged_lengths) + (SELECT count(*) FROM staged_pairs) " +
        $"+ (SELECT coalesce(sum(length(entries)), 0) / {EntrySize} FROM staged_score_runs)",
        r => r.GetInt64(0)).Single();

    /// <summary>Moves every staged row into its table in key order, and every staged run into blocks (one transaction);
    /// returns how many rows and scores there were.</summary>
    public long MergeStaged()
    {
        if (!Query(_connection, "SELECT EXISTS(SELECT 1 FROM staged_scores) OR EXISTS(SELECT 1 FROM staged_lengths) OR EXISTS(SELECT 1 FROM staged_pairs) " +
            "OR EXISTS(SELECT 1 FROM staged_score_runs)",
            r => r.GetInt64(0) != 0).Single())
        {
            return 0;
        }
        using var tx = _connection.BeginTransaction(deferred: false);
        Execute(_connection, "INSERT OR REPLACE INTO lengths(hash, compressor_id, length, created) SELECT hash, compressor_id, length, created FROM staged_lengths ORDER BY hash, compressor_id", tx);
        Execute(_connection, "INSERT OR REPLACE INTO pairs(hash, target_id, lengths, created) SELECT hash, target_id, lengths, created FROM staged_pairs ORDER BY hash, target_id", tx);
        Execute(_connection, "INSERT OR REPLACE INTO scores(hash, scope_id, score, created) SELECT hash, scope_id, score, created FROM staged_scores ORDER BY hash, scope_id", tx);
        long moved = Execute(_connection, "DELETE FROM staged_lengths", tx)
            + (long)Execute(_connection, "DELETE FROM staged_pairs", tx)
            + Execute(_connection, "DELETE FROM staged_scores", tx)
            + MergeStagedRuns(tx);
        tx.Commit();
        return moved;
    }
}
