using System.Collections.Concurrent;

namespace ZipFit.Core.Cache;

/// <summary>
/// Stages the scores of a new scope's O(N) run on a thread of its own and merges them when the run is complete, so that
/// SQLite's work is off the caller's thread (which reads the pool and hands out results) and the merge overlaps
/// whatever comes after scoring. Scores are gathered into runs of up to <see cref="RunEntries"/>, sorted here and
/// staged as one row each (<see cref="ScoreCache.StageRun"/>), at least every second so that a killed run loses at most
/// a second of work. While it runs it is the only user of the cache's connection. Batches wait in a queue of a few, so
/// a slow disk slows the run instead of filling memory. A run that ends without <see cref="Complete"/> (stopped,
/// failed) stages what it holds and leaves its runs for the next open of the cache to merge.
/// </summary>
internal sealed class BackgroundStager : IDisposable
{
    private const int QueuedBatches = 4;
    internal const int RunEntries = 1 << 16;
    private static readonly TimeSpan RunInterval = TimeSpan.FromSeconds(1);

    private readonly ScoreCache _cache;
    private readonly long _scopeId;
    private readonly KeyedScore[] _run = new KeyedScore[RunEntries];
    private readonly KeyedScore[] _sortScratch = new KeyedScore[RunEntries];
    private readonly int[] _sortBuckets = new int[RunEntries + 1];
    private int _inRun;
    private readonly System.Diagnostics.Stopwatch _sinceRun = System.Diagnostics.Stopwatch.StartNew();
    private readonly BlockingCollection<(KeyedScore[] Batch, int Count)> _batches = new(QueuedBatches);
    private readonly ConcurrentQueue<string> _warnings = new();
    // Batches come back here once copied into the run: new ones each flush would reach the older generations while they
    // wait, and the process grew by megabytes a second until the next full collection.
    private readonly ConcurrentQueue<KeyedScore[]> _free = new();
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _staged = new();
    private volatile bool _merge;
    private volatile bool _failed;

    public BackgroundStager(ScoreCache cache, long scopeId)
    {
        _cache = cache;
        _scopeId = scopeId;
        _thread = new Thread(Run) { IsBackground = true, Name = "ZipFit cache writer" };
        _thread.Start();
    }

    /// <summary>An empty batch to fill: one staged before, or a new one.</summary>
    public KeyedScore[] Rent(int capacity) => _free.TryDequeue(out var batch) && batch.Length == capacity ? batch : new KeyedScore[capacity];

    /// <summary>Hands over the first <paramref name="count"/> scores of a rented batch, which must not be touched after.</summary>
    public void Add(KeyedScore[] batch, int count)
    {
        if (!_failed)
        {
            _batches.Add((batch, count));
        }
    }

    /// <summary>No more batches: waits until what is queued is staged (so any warning is in), then lets the thread
    /// merge every staged row while the caller goes on. A merge that fails loses nothing: the rows stay staged, and the
    /// next open of the cache merges them.</summary>
    public void Complete()
    {
        _merge = true;
        _batches.CompleteAdding();
        _staged.Wait();
    }

    public bool TryTakeWarning(out string warning) => _warnings.TryDequeue(out warning!);

    /// <summary>Waits for the thread: what was queued is staged, and merged if the run was complete.</summary>
    public void Dispose()
    {
        if (!_batches.IsAddingCompleted)
        {
            _batches.CompleteAdding();
        }
        _thread.Join();
        _batches.Dispose();
        _staged.Dispose();
    }

    private void Run()
    {
        foreach (var (batch, count) in _batches.GetConsumingEnumerable())
        {
            for (int i = 0; i < count; i++)
            {
                _run[_inRun++] = batch[i];
                if (_inRun == RunEntries)
                {
                    StageRun();
                }
            }
            _free.Enqueue(batch);
            if (_sinceRun.Elapsed >= RunInterval)
            {
                StageRun();
            }
        }
        StageRun();
        _staged.Set();
        if (_merge)
        {
            Guard(() => _cache.MergeStaged());
        }
    }

    private void StageRun()
    {
        var run = _run.AsSpan(0, _inRun);
        KeyedScore.SortByKey(run, _sortScratch, _sortBuckets);
        int count = _inRun;
        Guard(() => _cache.StageRun(_scopeId, _run.AsSpan(0, count)));
        _inRun = 0;
        _sinceRun.Restart();
    }

    private void Guard(Action action)
    {
        if (_failed)
        {
            return;
        }
        try
        {
            action();
        }
        catch (Exception ex) // on this thread, anything uncaught would end the process
        {
            _failed = true;
            _warnings.Enqueue($"The cache '{_cache.Path}' failed ({ex.Message}); scoring goes on without it.");
        }
    }
}
