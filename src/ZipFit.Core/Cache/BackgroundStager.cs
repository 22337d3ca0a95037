using System.Collections.Concurrent;

namespace ZipFit.Core.Cache;

/// <summary>
/// Stages a run's computed entries on a thread of its own and merges them when the run is complete, so that SQLite's
/// work is off the caller's thread (which reads the pool and hands out results) and the merge overlaps whatever comes
/// after scoring. While it runs it is the only user of the cache's connection. Batches wait in a queue of a few, so a
/// slow disk slows the run instead of filling memory. A run that ends without <see cref="Complete"/> (stopped, failed)
/// leaves its staged rows for the next open of the cache to merge.
/// </summary>
internal sealed class BackgroundStager : IDisposable
{
    private const int QueuedBatches = 4;

    private readonly ScoreCache _cache;
    private readonly BlockingCollection<List<ScoreCache.Entry>> _batches = new(QueuedBatches);
    private readonly ConcurrentQueue<string> _warnings = new();
    // Batches come back here once staged: new ones each flush would reach the older generations while they wait, and
    // the process grew by megabytes a second until the next full collection.
    private readonly ConcurrentQueue<List<ScoreCache.Entry>> _free = new();
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _staged = new();
    private volatile bool _merge;
    private volatile bool _failed;

    public BackgroundStager(ScoreCache cache)
    {
        _cache = cache;
        _thread = new Thread(Run) { IsBackground = true, Name = "ZipFit cache writer" };
        _thread.Start();
    }

    /// <summary>An empty batch to fill: one staged before, or a new one.</summary>
    public List<ScoreCache.Entry> Rent(int capacity) => _free.TryDequeue(out var batch) ? batch : new List<ScoreCache.Entry>(capacity);

    public void Add(List<ScoreCache.Entry> batch)
    {
        if (!_failed)
        {
            _batches.Add(batch);
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
        foreach (var batch in _batches.GetConsumingEnumerable())
        {
            Guard(() => _cache.Stage(batch));
            batch.Clear();
            _free.Enqueue(batch);
        }
        _staged.Set();
        if (_merge)
        {
            Guard(() => _cache.MergeStaged());
        }
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
