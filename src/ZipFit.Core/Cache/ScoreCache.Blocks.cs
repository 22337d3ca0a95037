using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ZipFit.Core.Cache;

/// <summary>A score under its example's key; what a sorted run and a block hold.</summary>
internal readonly record struct KeyedScore(ContentKey Key, double Score)
{
    /// <summary>Sorts by key. Keys are hashes, so spread evenly: a pass that distributes them into about one bucket per
    /// entry by their leading bits leaves buckets of one or two, sorted in place (a comparison sort cost a run of 65,536
    /// about 20 ms). A bucket that is large anyway (one text many times over) gets the comparison sort.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SortByKey(Span<KeyedScore> entries, Span<KeyedScore> scratch, Span<int> buckets)
    {
        int n = entries.Length;
        if (n < 64)
        {
            entries.Sort(new ByKey());
            return;
        }
        int bits = Math.Min(BitOperations.Log2((uint)Math.Min(n, buckets.Length)), 20);
        int shift = 64 - bits;
        var starts = buckets[..((1 << bits) + 1)];
        starts.Clear();
        foreach (var e in entries)
        {
            starts[(int)(e.Key.High >> shift) + 1]++;
        }
        for (int b = 1; b < starts.Length; b++)
        {
            starts[b] += starts[b - 1];
        }
        // starts[b] is now where bucket b begins; filling moves each start to the next bucket's.
        var placed = scratch[..n];
        foreach (var e in entries)
        {
            placed[starts[(int)(e.Key.High >> shift)]++] = e;
        }
        int begin = 0;
        for (int b = 0; b < (1 << bits); b++)
        {
            int end = starts[b];
            var bucket = placed[begin..end];
            if (bucket.Length > 16)
            {
                bucket.Sort(new ByKey());
            }
            else
            {
                for (int i = 1; i < bucket.Length; i++)
                {
                    var x = bucket[i];
                    int j = i - 1;
                    for (; j >= 0 && bucket[j].Key.CompareTo(x.Key) > 0; j--)
                    {
                        bucket[j + 1] = bucket[j];
                    }
                    bucket[j + 1] = x;
                }
            }
            begin = end;
        }
        placed.CopyTo(entries);
    }

    private readonly struct ByKey : IComparer<KeyedScore>
    {
        public int Compare(KeyedScore a, KeyedScore b) => a.Key.CompareTo(b.Key);
    }
}

/// <summary>
/// ScoreCache: the scores of a scope's first O(N) run, kept as sorted blocks. One row per score cost about 2 µs an
/// example to stage and merge (SQLite's per-row work and its sort of the staged rows), which at a million examples of
/// a fast method was a tenth of the run. The run instead stages sorted runs of its scores (one row per run, sorted
/// in memory) and the merge streams them, k-way, into blocks of <see cref="BlockEntries"/> scores, keyed by their
/// first key. A block stays inside its b-tree page, so a lookup reads one page. Each merge of a scope's runs writes a
/// generation of blocks of its own (two processes may merge runs of one scope), and a lookup searches each.
/// </summary>
public sealed partial class ScoreCache
{
    /// <summary>16 bytes of key (big-endian, as stored) then the score (little-endian double).</summary>
    internal const int EntrySize = ContentKey.Size + sizeof(double);
    internal const int BlockEntries = 32;
    // Runs merged at once; a scope with more (a slow method flushes a small run every second) is merged in passes, so
    // the read buffers stay within MergeFanIn × CursorEntries entries.
    internal const int MergeFanIn = 256;
    private const int CursorEntries = 1024;

    private sqlite3_stmt? _blockProbe;
    // Generations of blocks per scope, read once: asking for each batch of 256 lookups cost a warm run of a million
    // examples a fifth of a second. A generation another process merges later is not searched by this connection,
    // so its scores are computed again, as if they were not stored.
    private readonly Dictionary<long, long> _generations = new();
    private byte[] _runBytes = [];

    /// <summary>Stages one run of a scope's scores, sorted by key (one statement, so one transaction).</summary>
    internal void StageRun(long scopeId, ReadOnlySpan<KeyedScore> sorted)
    {
        if (sorted.IsEmpty)
        {
            return;
        }
        if (_runBytes.Length < sorted.Length * EntrySize)
        {
            _runBytes = new byte[sorted.Length * EntrySize];
        }
        var bytes = _runBytes.AsSpan(0, sorted.Length * EntrySize);
        for (int i = 0; i < sorted.Length; i++)
        {
            Encode(sorted[i], bytes.Slice(i * EntrySize, EntrySize));
        }
        var db = _connection.Handle!;
        Check(raw.sqlite3_prepare_v2(db, "INSERT INTO staged_score_runs(scope_id, created, entries) VALUES (?1, ?2, ?3)", out var insert), db);
        using (insert)
        {
            raw.sqlite3_bind_int64(insert, 1, scopeId);
            raw.sqlite3_bind_int64(insert, 2, Now());
            raw.sqlite3_bind_blob(insert, 3, bytes);
            Check(raw.sqlite3_step(insert), db, raw.SQLITE_DONE);
        }
    }

    /// <summary>Merges every staged run into blocks, one new generation per scope, inside the caller's transaction.</summary>
    private long MergeStagedRuns(SqliteTransaction tx)
    {
        long moved = 0;
        foreach (long scope in Query(_connection, "SELECT DISTINCT scope_id FROM staged_score_runs", r => r.GetInt64(0), tx))
        {
            List<(long Id, long Created, int Entries)> Runs() => Query(_connection,
                "SELECT id, created, length(entries) FROM staged_score_runs WHERE scope_id = $s ORDER BY id",
                r => (r.GetInt64(0), r.GetInt64(1), (int)(r.GetInt64(2) / EntrySize)), tx, ("$s", scope));
            var runs = Runs();
            while (runs.Count > MergeFanIn)
            {
                // The smallest first, so a pass's output stays near the size of what it merged.
                var group = runs.OrderBy(r => r.Entries).Take(MergeFanIn).ToList();
                MergeRunsIntoRun(scope, group, tx);
                runs = Runs();
            }
            long generation = Query(_connection, "SELECT coalesce(max(generation) + 1, 0) FROM score_blocks WHERE scope_id = $s",
                r => r.GetInt64(0), tx, ("$s", scope)).Single();
            moved += MergeRunsIntoBlocks(scope, generation, runs);
            _generations.Remove(scope);
            Execute(_connection, "DELETE FROM staged_score_runs WHERE scope_id = $s", tx, ("$s", scope));
        }
        return moved;
    }

    /// <summary>One pass of a many-run merge: the runs become one (duplicates kept; the last pass drops them).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void MergeRunsIntoRun(long scope, List<(long Id, long Created, int Entries)> runs, SqliteTransaction tx)
    {
        var db = _connection.Handle!;
        int total = runs.Sum(r => r.Entries);
        long created = runs.Min(r => r.Created);
        Check(raw.sqlite3_prepare_v2(db, "INSERT INTO staged_score_runs(scope_id, created, entries) VALUES (?1, ?2, zeroblob(?3))", out var insert), db);
        using (insert)
        {
            raw.sqlite3_bind_int64(insert, 1, scope);
            raw.sqlite3_bind_int64(insert, 2, created);
            raw.sqlite3_bind_int64(insert, 3, (long)total * EntrySize);
            Check(raw.sqlite3_step(insert), db, raw.SQLITE_DONE);
        }
        long id = raw.sqlite3_last_insert_rowid(db);
        Check(raw.sqlite3_blob_open(db, "main", "staged_score_runs", "entries", id, 1, out var blob), db);
        using (blob)
        {
            var buffer = new byte[CursorEntries * EntrySize];
            int offset = 0;
            using var merger = new RunMerger(db, runs, dropDuplicates: false);
            var entries = new KeyedScore[CursorEntries];
            int n;
            while ((n = merger.Fill(entries)) > 0)
            {
                for (int i = 0; i < n; i++)
                {
                    Encode(entries[i], buffer.AsSpan(i * EntrySize, EntrySize));
                }
                Check(raw.sqlite3_blob_write(blob, buffer.AsSpan(0, n * EntrySize), offset), db);
                offset += n * EntrySize;
            }
        }
        Execute(_connection, $"DELETE FROM staged_score_runs WHERE id IN ({string.Join(",", runs.Select(r => r.Id))})", tx);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private long MergeRunsIntoBlocks(long scope, long generation, List<(long Id, long Created, int Entries)> runs)
    {
        var db = _connection.Handle!;
        long created = runs.Min(r => r.Created);
        Check(raw.sqlite3_prepare_v2(db,
            "INSERT INTO score_blocks(scope_id, generation, first_hash, created, entries) VALUES (?1, ?2, ?3, ?4, ?5)", out var insert), db);
        using (insert)
        {
            var block = new byte[BlockEntries * EntrySize];
            int filled = 0;
            long written = 0;
            void Write()
            {
                raw.sqlite3_bind_int64(insert, 1, scope);
                raw.sqlite3_bind_int64(insert, 2, generation);
                raw.sqlite3_bind_blob(insert, 3, block.AsSpan(0, ContentKey.Size));
                raw.sqlite3_bind_int64(insert, 4, created);
                raw.sqlite3_bind_blob(insert, 5, block.AsSpan(0, filled));
                Check(raw.sqlite3_step(insert), db, raw.SQLITE_DONE);
                raw.sqlite3_reset(insert);
                written += filled / EntrySize;
                filled = 0;
            }
            using var merger = new RunMerger(db, runs, dropDuplicates: true);
            var entries = new KeyedScore[CursorEntries];
            int n;
            while ((n = merger.Fill(entries)) > 0)
            {
                for (int i = 0; i < n; i++)
                {
                    Encode(entries[i], block.AsSpan(filled, EntrySize));
                    filled += EntrySize;
                    if (filled == block.Length)
                    {
                        Write();
                    }
                }
            }
            if (filled > 0)
            {
                Write();
            }
            return written;
        }
    }

    /// <summary>Scores of <paramref name="hashes"/> found in the scope's blocks, every generation searched.</summary>
    private void LookupBlocks(long scopeId, IReadOnlyList<ContentKey> hashes, Dictionary<ContentKey, double> found)
    {
        if (!_generations.TryGetValue(scopeId, out long generations))
        {
            generations = Query(_connection, "SELECT coalesce(max(generation) + 1, 0) FROM score_blocks WHERE scope_id = $s",
                r => r.GetInt64(0), null, ("$s", scopeId)).Single();
            _generations[scopeId] = generations;
        }
        if (generations == 0)
        {
            return;
        }
        var db = _connection.Handle!;
        if (_blockProbe is null)
        {
            Check(raw.sqlite3_prepare_v2(db, "SELECT entries FROM score_blocks WHERE scope_id = ?1 AND generation = ?2 AND first_hash <= ?3 " +
                "ORDER BY first_hash DESC LIMIT 1", out var probe), db);
            _blockProbe = probe;
        }
        // One read transaction for the batch: on its own, each probe took and released the file's locks (system calls
        // that cost more than the probe).
        using var tx = _connection.BeginTransaction(deferred: true);
        Span<byte> key = stackalloc byte[ContentKey.Size];
        foreach (var hash in hashes)
        {
            hash.WriteTo(key);
            for (long g = 0; g < generations && !found.ContainsKey(hash); g++)
            {
                raw.sqlite3_bind_int64(_blockProbe, 1, scopeId);
                raw.sqlite3_bind_int64(_blockProbe, 2, g);
                raw.sqlite3_bind_blob(_blockProbe, 3, key);
                int rc = raw.sqlite3_step(_blockProbe);
                if (rc == raw.SQLITE_ROW && FindInBlock(raw.sqlite3_column_blob(_blockProbe, 0), hash) is { } score)
                {
                    found[hash] = score;
                }
                raw.sqlite3_reset(_blockProbe);
                if (rc != raw.SQLITE_ROW)
                {
                    Check(rc, db, raw.SQLITE_DONE);
                }
            }
        }
        tx.Commit();
    }

    internal static double? FindInBlock(ReadOnlySpan<byte> block, ContentKey key)
    {
        int lo = 0, hi = block.Length / EntrySize - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            var entry = Decode(block.Slice(mid * EntrySize, EntrySize));
            int c = entry.Key.CompareTo(key);
            if (c == 0)
            {
                return entry.Score;
            }
            (lo, hi) = c < 0 ? (mid + 1, hi) : (lo, mid - 1);
        }
        return null;
    }

    private static void Encode(KeyedScore entry, Span<byte> destination)
    {
        entry.Key.WriteTo(destination);
        BinaryPrimitives.WriteDoubleLittleEndian(destination[ContentKey.Size..], entry.Score);
    }

    private static KeyedScore Decode(ReadOnlySpan<byte> source) =>
        new(ContentKey.FromBytes(source[..ContentKey.Size]), BinaryPrimitives.ReadDoubleLittleEndian(source[ContentKey.Size..]));

    /// <summary>
    /// Merges staged runs in key order through a binary heap of their cursors. It runs once per first run, too briefly
    /// for the runtime's tiered compilation to reach optimized code, so its loops are compiled optimized at once.
    /// </summary>
    private sealed class RunMerger : IDisposable
    {
        private readonly RunCursor[] _all;
        private readonly RunCursor[] _heap;
        private readonly bool _dropDuplicates;
        private int _count;
        private bool _any;
        private ContentKey _last;

        public RunMerger(sqlite3 db, List<(long Id, long Created, int Entries)> runs, bool dropDuplicates)
        {
            _dropDuplicates = dropDuplicates;
            _all = new RunCursor[runs.Count];
            _heap = new RunCursor[runs.Count];
            try
            {
                for (int i = 0; i < runs.Count; i++)
                {
                    Check(raw.sqlite3_blob_open(db, "main", "staged_score_runs", "entries", runs[i].Id, 0, out var blob), db);
                    _all[i] = new RunCursor(db, blob, runs[i].Entries);
                    if (_all[i].MoveNext())
                    {
                        _heap[_count++] = _all[i];
                    }
                }
            }
            catch
            {
                Dispose();
                throw;
            }
            for (int i = _count / 2 - 1; i >= 0; i--)
            {
                SiftDown(i);
            }
        }

        /// <summary>Fills <paramref name="destination"/> with the next entries; 0 when every run is done.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public int Fill(Span<KeyedScore> destination)
        {
            int n = 0;
            while (n < destination.Length && _count > 0)
            {
                var top = _heap[0];
                var entry = top.Current;
                if (!top.MoveNext())
                {
                    _heap[0] = _heap[--_count];
                }
                if (_count > 1)
                {
                    SiftDown(0);
                }
                if (_dropDuplicates && _any && entry.Key == _last)
                {
                    continue;
                }
                (_any, _last) = (true, entry.Key);
                destination[n++] = entry;
            }
            return n;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void SiftDown(int i)
        {
            var item = _heap[i];
            var key = item.Current.Key;
            while (true)
            {
                int child = 2 * i + 1;
                if (child >= _count)
                {
                    break;
                }
                if (child + 1 < _count && _heap[child + 1].Current.Key.CompareTo(_heap[child].Current.Key) < 0)
                {
                    child++;
                }
                if (_heap[child].Current.Key.CompareTo(key) >= 0)
                {
                    break;
                }
                _heap[i] = _heap[child];
                i = child;
            }
            _heap[i] = item;
        }

        public void Dispose()
        {
            foreach (var cursor in _all)
            {
                cursor?.Dispose();
            }
        }
    }

    /// <summary>Reads a staged run in order through a small window, so a merge never holds whole runs.</summary>
    private sealed class RunCursor(sqlite3 db, sqlite3_blob blob, int entries) : IDisposable
    {
        private readonly byte[] _window = new byte[Math.Min(entries, CursorEntries) * EntrySize];
        private int _read;      // entries read from the blob so far
        private int _inWindow;  // entries in the window
        private int _next;      // next entry of the window

        public KeyedScore Current { get; private set; }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool MoveNext()
        {
            if (_next == _inWindow)
            {
                if (_read == entries)
                {
                    return false;
                }
                _inWindow = Math.Min(entries - _read, CursorEntries);
                Check(raw.sqlite3_blob_read(blob, _window.AsSpan(0, _inWindow * EntrySize), _read * EntrySize), db);
                _read += _inWindow;
                _next = 0;
            }
            Current = Decode(_window.AsSpan(_next++ * EntrySize, EntrySize));
            return true;
        }

        public void Dispose() => blob.Dispose();
    }
}
