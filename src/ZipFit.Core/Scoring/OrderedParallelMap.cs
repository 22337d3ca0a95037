using System.Collections.Concurrent;

namespace ZipFit.Core.Scoring;

/// <summary>Counts scoring threads alive in this process, so a stopped run can be seen to release them.</summary>
internal static class WorkerThreads
{
    internal static int LiveCount;

    public static int Live => Volatile.Read(ref LiveCount);
}

/// <summary>Where a parallel map's time went: its workers' busy time and how long the feeding thread waited for them.</summary>
internal interface IWorkClock
{
    /// <summary>Summed over the workers: time spent mapping items.</summary>
    TimeSpan Busy { get; }

    /// <summary>Time the thread that adds items spent blocked on the workers (a full window, or the end of the stream).</summary>
    TimeSpan Waited { get; }
}

/// <summary>One worker thread's mapping state (a compressor, scratch buffers).</summary>
public interface IMapWorker<TIn, TOut> : IDisposable
{
    TOut Map(TIn item);
}

/// <summary>A worker that maps a whole batch at once (a scorer that goes over the batch once per model, so that each
/// model's tables stay in the cache while it runs). Cancellation is then checked between batches.</summary>
internal interface IBatchMapWorker<TIn, TOut> : IMapWorker<TIn, TOut>
{
    void MapBatch(ReadOnlySpan<TIn> items, Span<TOut> outputs);
}

/// <summary>
/// Maps a stream of items on dedicated worker threads, each with its own state, and hands the
/// results back in input order to the thread that adds items. Push-based so that a cmdlet's
/// ProcessRecord can feed it and write results from the pipeline thread. Memory is bounded by
/// <c>threads × batchesPerThread × batchSize</c> items in flight, never by the stream length.
/// </summary>
public sealed class OrderedParallelMap<TIn, TOut> : IDisposable, IWorkClock
{
    private readonly BlockingCollection<Batch> _work;
    private readonly Queue<Batch> _inOrder = new();
    private readonly Thread[] _threads;
    private readonly CancellationTokenSource _cancel;
    private readonly int _batchSize;
    private readonly int _maxBatchesInFlight;
    private readonly object _gate = new();
    private Batch? _filling;
    private Batch? _draining;
    private int _drainPosition;
    private Exception? _fault;
    private long _nextIndex;
    private bool _disposed;
    private long _busyTicks;
    private int _unmapped;
    private long _waitedTicks;

    public TimeSpan Busy => System.Diagnostics.Stopwatch.GetElapsedTime(0, Volatile.Read(ref _busyTicks));

    public TimeSpan Waited => System.Diagnostics.Stopwatch.GetElapsedTime(0, _waitedTicks);

    public OrderedParallelMap(
        Func<IMapWorker<TIn, TOut>> createWorker,
        int threads,
        int batchSize,
        CancellationToken cancellationToken = default,
        int batchesPerThread = 4)
    {
        ArgumentNullException.ThrowIfNull(createWorker);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _batchSize = batchSize;
        _maxBatchesInFlight = Math.Max(2, threads * batchesPerThread);
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _work = new BlockingCollection<Batch>(new ConcurrentQueue<Batch>());
        _threads = new Thread[threads];
        for (int i = 0; i < threads; i++)
        {
            _threads[i] = new Thread(() => RunWorker(createWorker))
            {
                IsBackground = true,
                Name = $"ZipFit worker {i + 1}",
            };
            _threads[i].Start();
        }
    }

    /// <summary>Queues an item; blocks while the in-flight window is full until the oldest batch is done.</summary>
    public void Add(TIn item)
    {
        ThrowIfFaulted();
        _filling ??= new Batch(_batchSize, _nextIndex);
        _filling.Inputs[_filling.Count++] = item;
        _nextIndex++;
        if (_filling.Count == _batchSize)
        {
            Submit();
        }
    }

    /// <summary>Takes the next result in input order if it is ready, without blocking.</summary>
    public bool TryTake(out TOut result, out long index) => TryTakeCore(block: false, out result, out index);

    /// <summary>Submits what is pending and yields every remaining result in input order.</summary>
    public IEnumerable<(TOut Result, long Index)> Complete()
    {
        if (_filling is { Count: > 0 })
        {
            Submit();
        }
        while (TryTakeCore(block: true, out var result, out long index))
        {
            yield return (result, index);
        }
    }

    private void Submit()
    {
        var batch = _filling!;
        _filling = null;
        // Keep the window bounded: the caller takes results as the oldest batches finish.
        while (_inOrder.Count >= _maxBatchesInFlight && !IsDone(_inOrder.Peek()))
        {
            WaitFor(_inOrder.Peek());
        }
        // And at most _maxBatchesInFlight batches submitted and not yet mapped. The wait above alone was not enough: a
        // caller that adds many items between takes (the cache's lookup batches) passed it each time the oldest batch was
        // done but not yet taken, and the whole pool went in flight.
        if (Volatile.Read(ref _unmapped) >= _maxBatchesInFlight)
        {
            WaitWhile(() => Volatile.Read(ref _unmapped) >= _maxBatchesInFlight);
        }
        Interlocked.Increment(ref _unmapped);
        _inOrder.Enqueue(batch);
        try
        {
            _work.Add(batch, _cancel.Token);
        }
        catch (OperationCanceledException)
        {
            // A worker that failed cancels the others: report its failure, not the cancellation.
            ThrowIfFaulted();
            throw;
        }
    }

    private bool TryTakeCore(bool block, out TOut result, out long index)
    {
        ThrowIfFaulted();
        while (true)
        {
            if (_draining is not null)
            {
                if (_drainPosition < _draining.Count)
                {
                    index = _draining.FirstIndex + _drainPosition;
                    result = _draining.Outputs[_drainPosition];
                    _draining.Outputs[_drainPosition] = default!;
                    _draining.Inputs[_drainPosition] = default!;
                    _drainPosition++;
                    return true;
                }
                _draining = null;
            }
            if (_inOrder.Count == 0)
            {
                break;
            }
            var head = _inOrder.Peek();
            if (!IsDone(head))
            {
                if (!block)
                {
                    break;
                }
                WaitFor(head);
            }
            _draining = _inOrder.Dequeue();
            _drainPosition = 0;
        }
        result = default!;
        index = -1;
        return false;
    }

    private bool IsDone(Batch batch) => Volatile.Read(ref batch.Done);

    private void WaitFor(Batch batch) => WaitWhile(() => !batch.Done);

    /// <summary>Blocks until <paramref name="blocked"/> turns false (workers pulse the gate as batches finish), counting
    /// the time waited; a worker's failure or a stop ends the wait.</summary>
    private void WaitWhile(Func<bool> blocked)
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            lock (_gate)
            {
                while (blocked())
                {
                    ThrowIfFaulted();
                    Monitor.Wait(_gate, 50);
                }
            }
            ThrowIfFaulted();
        }
        finally
        {
            _waitedTicks += System.Diagnostics.Stopwatch.GetTimestamp() - start;
        }
    }

    private void ThrowIfFaulted()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var fault = Volatile.Read(ref _fault);
        if (fault is not null)
        {
            throw new AggregateException("A scoring worker failed: " + fault.Message, fault);
        }
        _cancel.Token.ThrowIfCancellationRequested();
    }

    private void RunWorker(Func<IMapWorker<TIn, TOut>> createWorker)
    {
        Interlocked.Increment(ref WorkerThreads.LiveCount);
        try
        {
            using var worker = createWorker();
            foreach (var batch in _work.GetConsumingEnumerable(_cancel.Token))
            {
                long start = System.Diagnostics.Stopwatch.GetTimestamp();
                if (worker is IBatchMapWorker<TIn, TOut> batchWorker)
                {
                    _cancel.Token.ThrowIfCancellationRequested();
                    batchWorker.MapBatch(batch.Inputs.AsSpan(0, batch.Count), batch.Outputs.AsSpan(0, batch.Count));
                }
                else
                {
                    for (int i = 0; i < batch.Count; i++)
                    {
                        _cancel.Token.ThrowIfCancellationRequested();
                        batch.Outputs[i] = worker.Map(batch.Inputs[i]);
                    }
                }
                Interlocked.Add(ref _busyTicks, System.Diagnostics.Stopwatch.GetTimestamp() - start);
                lock (_gate)
                {
                    batch.Done = true;
                    Interlocked.Decrement(ref _unmapped);
                    Monitor.PulseAll(_gate);
                }
            }
        }
        catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Interlocked.CompareExchange(ref _fault, ex, null);
            _cancel.Cancel();
            lock (_gate)
            {
                Monitor.PulseAll(_gate);
            }
        }
        finally
        {
            Interlocked.Decrement(ref WorkerThreads.LiveCount);
        }
    }

    /// <summary>Stops the workers (within one item's work) and waits for them to exit.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _cancel.Cancel();
        _work.CompleteAdding();
        foreach (var thread in _threads)
        {
            thread.Join();
        }
        _work.Dispose();
        _cancel.Dispose();
    }

    private sealed class Batch(int capacity, long firstIndex)
    {
        public readonly TIn[] Inputs = new TIn[capacity];
        public readonly TOut[] Outputs = new TOut[capacity];
        public readonly long FirstIndex = firstIndex;
        public int Count;
        public bool Done;
    }
}
