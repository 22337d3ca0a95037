using Microsoft.Data.Sqlite;

namespace ZipFit.Core.Cache;

/// <summary>ScoreCache: housekeeping (statistics, clearing by compressor or age).</summary>
public sealed partial class ScoreCache
{
    // ---- housekeeping ----------------------------------------------------------------------

    public CacheInfo GetInfo()
    {
        long Count(string table) => Query(_connection, $"SELECT count(*) FROM {table}", r => r.GetInt64(0)).Single();
        long size = new[] { "", "-wal" }.Select(s => new FileInfo(Path + s)).Where(f => f.Exists).Sum(f => f.Length);
        return new CacheInfo(Path, size, SchemaVersion, _keyHashName, Count("lengths"), Count("pairs"), Count("scores") + BlockScores(), Count("targets"),
            Query(_connection, "SELECT identity FROM compressors ORDER BY identity", r => r.GetString(0)).ToList(),
            Query(_connection, "SELECT DISTINCT method FROM scopes ORDER BY method", r => r.GetString(0)).ToList());
    }

    private long BlockScores(SqliteTransaction? tx = null) =>
        Query(_connection, $"SELECT coalesce(sum(length(entries)), 0) / {EntrySize} FROM score_blocks", r => r.GetInt64(0), tx).Single();

    /// <summary>Deletes entries (optionally only one compressor's, or only those older than a date); returns rows removed.</summary>
    public long Clear(string? compressorPattern = null, DateTimeOffset? olderThan = null)
    {
        long cutoff = olderThan?.ToUnixTimeSeconds() ?? long.MaxValue;
        string compressorFilter = compressorPattern is null ? "1" : "compressor_id IN (SELECT id FROM compressors WHERE identity LIKE $p ESCAPE '\\')";
        long removed = 0;
        using (var tx = _connection.BeginTransaction(deferred: false))
        {
            long blockScores = BlockScores(tx); // a block holds many scores: they are counted, not the blocks
            (string Sql, bool UsesPattern)[] statements =
            [
                ($"DELETE FROM scores WHERE created < $t AND scope_id IN (SELECT id FROM scopes WHERE {compressorFilter})", true),
                ($"DELETE FROM score_blocks WHERE created < $t AND scope_id IN (SELECT id FROM scopes WHERE {compressorFilter})", true),
                ($"DELETE FROM pairs WHERE created < $t AND target_id IN (SELECT id FROM targets WHERE {compressorFilter})", true),
                ($"DELETE FROM lengths WHERE created < $t AND {compressorFilter}", true),
                ("DELETE FROM targets WHERE id NOT IN (SELECT target_id FROM pairs UNION SELECT target_id FROM staged_pairs)", false),
                ("DELETE FROM scopes WHERE id NOT IN (SELECT scope_id FROM scores UNION SELECT scope_id FROM staged_scores " +
                    "UNION SELECT scope_id FROM score_blocks UNION SELECT scope_id FROM staged_score_runs)", false),
                ("DELETE FROM compressors WHERE id NOT IN (SELECT compressor_id FROM lengths UNION SELECT compressor_id FROM staged_lengths UNION SELECT compressor_id FROM targets UNION SELECT compressor_id FROM scopes WHERE compressor_id IS NOT NULL)", false),
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
                int rows = command.ExecuteNonQuery();
                removed += sql.Contains("FROM score_blocks WHERE created", StringComparison.Ordinal) ? 0 : rows;
            }
            removed += blockScores - BlockScores(tx);
            tx.Commit();
            _generations.Clear();
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
}
