namespace ZipFit.Core.Selection;

/// <summary>
/// Keeps the best <c>K</c> items by score (and/or all at or above a minimum score) in O(K)
/// memory, then hands them out best first; equal scores keep input order. NaN ranks last.
/// </summary>
public sealed class TopSelector<T>
{
    private readonly int? _top;
    private readonly double? _minScore;
    private readonly PriorityQueue<Entry, Entry> _heap;
    private readonly List<Entry> _all = [];
    private long _sequence;

    public TopSelector(int? top, double? minScore)
    {
        if (top is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(top), top, "Top must be at least 1.");
        }
        if (top is null && minScore is null)
        {
            throw new ArgumentException("Give a number of examples to keep, a minimum score, or both.");
        }
        _top = top;
        _minScore = minScore;
        // The heap's root is the worst kept entry: the first to go when a better one arrives.
        _heap = new PriorityQueue<Entry, Entry>(WorstFirst.Instance);
    }

    public void Add(double score, T item)
    {
        var entry = new Entry(double.IsNaN(score) ? double.NegativeInfinity : score, _sequence++, item);
        if (_minScore is { } min && !(score >= min))
        {
            return;
        }
        if (_top is not { } k)
        {
            _all.Add(entry);
            return;
        }
        if (_heap.Count < k)
        {
            _heap.Enqueue(entry, entry);
        }
        else if (BestFirst.Instance.Compare(entry, _heap.Peek()) < 0)
        {
            _heap.DequeueEnqueue(entry, entry);
        }
    }

    /// <summary>How many items are held now.</summary>
    public int Count => _top is null ? _all.Count : _heap.Count;

    /// <summary>The kept items, best first.</summary>
    public IReadOnlyList<(double Score, T Item)> Result()
    {
        var entries = _top is null ? _all : _heap.UnorderedItems.Select(e => e.Element).ToList();
        entries.Sort(BestFirst.Instance);
        return entries.Select(e => (e.Score, e.Item)).ToList();
    }

    private readonly record struct Entry(double Score, long Sequence, T Item);

    private sealed class BestFirst : IComparer<Entry>
    {
        public static readonly BestFirst Instance = new();

        public int Compare(Entry a, Entry b)
        {
            int byScore = b.Score.CompareTo(a.Score);
            return byScore != 0 ? byScore : a.Sequence.CompareTo(b.Sequence);
        }
    }

    private sealed class WorstFirst : IComparer<Entry>
    {
        public static readonly WorstFirst Instance = new();

        public int Compare(Entry a, Entry b) => BestFirst.Instance.Compare(b, a);
    }
}
