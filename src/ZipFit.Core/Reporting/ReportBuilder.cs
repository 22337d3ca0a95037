namespace ZipFit.Core.Reporting;

/// <summary>One example shown in a report table (the text is kept only as a short preview).</summary>
public sealed record ShownExample(long Rank, string Id, string Source, double Score, long Bytes, string Preview, string? Group, string Method);

/// <summary>
/// Streams scored examples into what an HTML report shows, in memory O(bins + shown examples + K):
/// an adaptive histogram over a running range, a fixed-size reservoir of (bytes, score) points for the
/// scatter plot, running sums for the Pearson correlation, bounded heaps for the best, worst and around
/// the cut, counts per group and per method identity. The stream itself is never held.
/// </summary>
/// <remarks>
/// The cut is Select-ZipFitTop's: the best <c>Top</c> by score (input order breaks ties; NaN ranks
/// last), and/or only scores at or above <c>MinScore</c>.
/// </remarks>
public sealed class ReportBuilder
{
    public const int ShownCount = 20;
    public const int ScatterCapacity = 5000;
    private const int HalfCut = ShownCount / 2;
    private const int OverlapDefaultK = 100;

    private readonly int? _top;
    private readonly double? _minScore;
    private readonly bool _grouped;
    private readonly BoundedHeap<ShownExample> _best;
    private readonly BoundedHeap<ShownExample> _worst;
    private readonly BoundedHeap<ShownExample>? _topHeap;      // top K+10, when -Top is given
    private readonly BoundedHeap<ShownExample>? _lowestKept;   // lowest 10 at or above MinScore (MinScore alone)
    private readonly BoundedHeap<ShownExample>? _highestCut;   // highest 10 below MinScore (MinScore alone)
    private readonly AdaptiveHistogram _histogram = new(128);
    private readonly (double Bytes, double Score)[] _scatter = new (double, double)[ScatterCapacity];
    private readonly Random _random = new(18);
    private readonly Dictionary<string, long> _poolGroups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _keptGroups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _methods = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BoundedHeap<ShownExample>> _methodTops = new(StringComparer.Ordinal);
    private long _sequence;
    private long _finite;
    private long _atOrAboveMin;
    private double _meanX, _meanY, _m2X, _m2Y, _coXY; // Welford moments of (log10 bytes, score)
    private double _min = double.PositiveInfinity, _max = double.NegativeInfinity;

    public ReportBuilder(int? top, double? minScore, bool grouped)
    {
        if (top is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(top), top, "Top must be at least 1.");
        }
        _top = top;
        _minScore = minScore;
        _grouped = grouped;
        _best = new BoundedHeap<ShownExample>(ShownCount, BestFirst.Instance);
        _worst = new BoundedHeap<ShownExample>(ShownCount, WorstFirst.Instance);
        if (top is { } k)
        {
            _topHeap = new BoundedHeap<ShownExample>(Math.Min(k, int.MaxValue - HalfCut) + HalfCut, BestFirst.Instance);
        }
        else if (minScore is not null)
        {
            _lowestKept = new BoundedHeap<ShownExample>(HalfCut, WorstFirst.Instance);
        }
        if (minScore is not null)
        {
            _highestCut = new BoundedHeap<ShownExample>(HalfCut, BestFirst.Instance);
        }
    }

    public int? Top => _top;

    public double? MinScore => _minScore;

    public bool Grouped => _grouped;

    /// <summary>Examples added.</summary>
    public long Count => _sequence;

    /// <summary>Examples whose score is a finite number (the histogram and the scatter plot show these).</summary>
    public long FiniteCount => _finite;

    public double MinimumScore => _min;

    public double MaximumScore => _max;

    public IReadOnlyDictionary<string, long> Methods => _methods;

    /// <summary>Adds one scored example. <paramref name="text"/> is only previewed.</summary>
    public void Add(string id, string source, double score, long bytes, string text, string? group, string method)
    {
        long rank = _sequence++;
        var shown = new ShownExample(rank, id, source, score, bytes, MakePreview(text), group, method);
        _best.Add(shown);
        _worst.Add(shown);
        _methods[method] = _methods.GetValueOrDefault(method) + 1;
        if (!_methodTops.TryGetValue(method, out var methodTop))
        {
            methodTop = new BoundedHeap<ShownExample>(_top ?? OverlapDefaultK, BestFirst.Instance);
            _methodTops[method] = methodTop;
        }
        methodTop.Add(shown with { Preview = "" });
        bool kept = _minScore is not { } min || score >= min;
        if (kept)
        {
            _atOrAboveMin++;
            _topHeap?.Add(shown);
            _lowestKept?.Add(shown);
        }
        else
        {
            _highestCut?.Add(shown);
        }
        if (_grouped)
        {
            string g = group ?? "";
            _poolGroups[g] = _poolGroups.GetValueOrDefault(g) + 1;
            if (kept && _top is null)
            {
                _keptGroups[g] = _keptGroups.GetValueOrDefault(g) + 1;
            }
        }
        if (!double.IsFinite(score))
        {
            return;
        }
        _finite++;
        _min = Math.Min(_min, score);
        _max = Math.Max(_max, score);
        _histogram.Add(score);
        double x = Math.Log10(Math.Max(1, bytes));
        if (_finite <= ScatterCapacity)
        {
            _scatter[_finite - 1] = (Math.Max(1, bytes), score);
        }
        else
        {
            long j = _random.NextInt64(_finite);
            if (j < ScatterCapacity)
            {
                _scatter[j] = (Math.Max(1, bytes), score);
            }
        }
        double dx = x - _meanX;
        _meanX += dx / _finite;
        double dy = score - _meanY;
        _meanY += dy / _finite;
        _m2X += dx * (x - _meanX);
        _m2Y += dy * (score - _meanY);
        _coXY += dx * (score - _meanY);
    }

    /// <summary>How many examples the cut keeps.</summary>
    public long SelectedCount => _top is { } k ? Math.Min(k, _atOrAboveMin) : _minScore is null ? _sequence : _atOrAboveMin;

    /// <summary>Whether there is a cut at all (-Top or -MinScore).</summary>
    public bool HasCut => _top is not null || _minScore is not null;

    /// <summary>The score of the last example kept (the cut line on the histogram); null without a cut or a selection.</summary>
    public double? CutScore
    {
        get
        {
            if (!HasCut)
            {
                return null;
            }
            if (_top is not null)
            {
                var kept = _topHeap!.Sorted();
                long s = SelectedCount;
                return s == 0 ? _minScore : kept[(int)s - 1].Score;
            }
            return _minScore;
        }
    }

    /// <summary>Pearson's r between log10(bytes) and the score over every finite score; NaN with fewer than two or no spread.</summary>
    public double Correlation => _finite < 2 || _m2X <= 0 || _m2Y <= 0 ? double.NaN : _coXY / Math.Sqrt(_m2X * _m2Y);

    public IReadOnlyList<ShownExample> Best => _best.Sorted();

    /// <summary>The worst examples, worst last (ranked like the others: best first).</summary>
    public IReadOnlyList<ShownExample> Worst
    {
        get
        {
            var worst = _worst.Sorted().ToList();
            worst.Reverse();
            return worst;
        }
    }

    /// <summary>The examples ranked just above and just below the cut, best first, with the number kept among them.</summary>
    public (IReadOnlyList<ShownExample> Items, int KeptAmongThem) AtCut
    {
        get
        {
            if (_topHeap is not null)
            {
                var ranked = _topHeap.Sorted();
                int s = (int)SelectedCount;
                int from = Math.Max(0, s - HalfCut);
                int to = Math.Min(ranked.Count, s + HalfCut);
                var items = ranked.Skip(from).Take(to - from).ToList();
                if (_highestCut is not null && to < s + HalfCut)
                {
                    // The heap holds only scores at or above MinScore; the best of those below it come next.
                    items.AddRange(_highestCut.Sorted().Take(s + HalfCut - to));
                }
                return (items, s - from);
            }
            if (_lowestKept is not null)
            {
                var above = _lowestKept.Sorted().Reverse().ToList();
                var below = _highestCut!.Sorted();
                return (above.Concat(below).ToList(), above.Count);
            }
            return ([], 0);
        }
    }

    /// <summary>Non-empty histogram bins (lower edge, width, count).</summary>
    public IReadOnlyList<(double Low, double Width, long Count)> Histogram => _histogram.Bins();

    /// <summary>The scatter sample: (bytes, score), at most <see cref="ScatterCapacity"/> points chosen uniformly.</summary>
    public ReadOnlySpan<(double Bytes, double Score)> Scatter => _scatter.AsSpan(0, (int)Math.Min(_finite, ScatterCapacity));

    /// <summary>Counts per group value (empty name: no value), in the pool and in the selection, largest pool first.</summary>
    public IReadOnlyList<(string Group, long Pool, long Selected)> Groups
    {
        get
        {
            var kept = _keptGroups;
            if (_top is not null)
            {
                kept = new Dictionary<string, long>(StringComparer.Ordinal);
                foreach (var e in _topHeap!.Sorted().Take((int)SelectedCount))
                {
                    string g = e.Group ?? "";
                    kept[g] = kept.GetValueOrDefault(g) + 1;
                }
            }
            else if (_minScore is null)
            {
                kept = _poolGroups;
            }
            return _poolGroups
                .Select(p => (p.Key, p.Value, kept.GetValueOrDefault(p.Key)))
                .OrderByDescending(t => t.Value).ThenBy(t => t.Key, StringComparer.Ordinal)
                .ToList();
        }
    }

    /// <summary>The K the method overlap is measured at: -Top, else 100.</summary>
    public int OverlapK => _top ?? OverlapDefaultK;

    /// <summary>For every pair of method identities, how many ids their best K share.</summary>
    public IReadOnlyList<(string A, string B, int Shared, int SizeA, int SizeB)> Overlap
    {
        get
        {
            var names = _methodTops.Keys.Order(StringComparer.Ordinal).ToList();
            var sets = names.ToDictionary(n => n, n => _methodTops[n].Sorted().Select(e => e.Id).ToHashSet(StringComparer.Ordinal));
            var result = new List<(string, string, int, int, int)>();
            for (int i = 0; i < names.Count; i++)
            {
                for (int j = i + 1; j < names.Count; j++)
                {
                    var a = sets[names[i]];
                    var b = sets[names[j]];
                    result.Add((names[i], names[j], a.Count(b.Contains), a.Count, b.Count));
                }
            }
            return result;
        }
    }

    /// <summary>A one-line preview: whitespace runs folded, at most <paramref name="width"/> characters (also the objects' ToString in PowerShell).</summary>
    public static string MakePreview(string text, int width = 160)
    {
        var sb = new System.Text.StringBuilder(Math.Min(text.Length, width + 1));
        bool space = false;
        foreach (char c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = sb.Length > 0;
                continue;
            }
            if (space)
            {
                sb.Append(' ');
                space = false;
            }
            sb.Append(c);
            if (sb.Length >= width)
            {
                return sb.ToString(0, width - 1) + "…";
            }
        }
        return sb.ToString();
    }

    private static double RankScore(double score) => double.IsNaN(score) ? double.NegativeInfinity : score;

    private sealed class BestFirst : IComparer<ShownExample>
    {
        public static readonly BestFirst Instance = new();

        public int Compare(ShownExample? a, ShownExample? b)
        {
            int byScore = RankScore(b!.Score).CompareTo(RankScore(a!.Score));
            return byScore != 0 ? byScore : a.Rank.CompareTo(b.Rank);
        }
    }

    private sealed class WorstFirst : IComparer<ShownExample>
    {
        public static readonly WorstFirst Instance = new();

        public int Compare(ShownExample? a, ShownExample? b) => BestFirst.Instance.Compare(b, a);
    }
}

/// <summary>Keeps the first <c>capacity</c> items in the order of a comparer (the "best" ones) in O(capacity).</summary>
internal sealed class BoundedHeap<T>
{
    private readonly int _capacity;
    private readonly IComparer<T> _order;
    private readonly PriorityQueue<T, T> _heap;

    public BoundedHeap(int capacity, IComparer<T> order)
    {
        _capacity = capacity;
        _order = order;
        // The root is the last kept item in the order: the first to go.
        _heap = new PriorityQueue<T, T>(Comparer<T>.Create((a, b) => order.Compare(b, a)));
    }

    public void Add(T item)
    {
        if (_heap.Count < _capacity)
        {
            _heap.Enqueue(item, item);
        }
        else if (_order.Compare(item, _heap.Peek()) < 0)
        {
            _heap.DequeueEnqueue(item, item);
        }
    }

    public IReadOnlyList<T> Sorted()
    {
        var items = _heap.UnorderedItems.Select(e => e.Element).ToList();
        items.Sort(_order);
        return items;
    }
}

/// <summary>
/// A histogram over a range learned as it goes: the first values fix a range; a value outside it doubles
/// the range (pairs of bins merge, so every count stays exact) toward that value.
/// </summary>
internal sealed class AdaptiveHistogram
{
    private const int Warmup = 1024;
    private readonly int _bins;
    private readonly List<double> _pending = [];
    private long[]? _counts;
    private double _low;
    private double _width;

    public AdaptiveHistogram(int bins)
    {
        _bins = bins % 2 == 0 ? bins : bins + 1;
    }

    public void Add(double value)
    {
        if (_counts is null)
        {
            _pending.Add(value);
            if (_pending.Count >= Warmup)
            {
                Start();
            }
            return;
        }
        Place(value);
    }

    private void Start()
    {
        double lo = _pending.Min(), hi = _pending.Max();
        double span = hi - lo;
        if (!(span > 0))
        {
            span = Math.Max(Math.Abs(lo) * 1e-6, 1e-9);
        }
        _low = lo;
        _width = span * (1 + 1e-9) / _bins;
        _counts = new long[_bins];
        foreach (double v in _pending)
        {
            Place(v);
        }
        _pending.Clear();
    }

    private void Place(double value)
    {
        while (value < _low)
        {
            Grow(downward: true);
        }
        while (value >= _low + _width * _bins)
        {
            Grow(downward: false);
        }
        int i = (int)Math.Floor((value - _low) / _width);
        _counts![Math.Clamp(i, 0, _bins - 1)]++;
    }

    private void Grow(bool downward)
    {
        var merged = new long[_bins];
        int offset = downward ? _bins / 2 : 0;
        for (int i = 0; i < _bins; i++)
        {
            merged[offset + i / 2] += _counts![i];
        }
        if (downward)
        {
            _low -= _width * _bins;
        }
        _width *= 2;
        _counts = merged;
    }

    public IReadOnlyList<(double Low, double Width, long Count)> Bins()
    {
        if (_counts is null)
        {
            if (_pending.Count == 0)
            {
                return [];
            }
            // Fewer values than the warm-up: bin them exactly over their own range.
            var small = new AdaptiveHistogram(Math.Clamp(_pending.Count, 2, 40) & ~1);
            foreach (double v in _pending)
            {
                small._pending.Add(v);
            }
            small.Start();
            return small.Bins();
        }
        int first = Array.FindIndex(_counts, c => c > 0);
        int last = Array.FindLastIndex(_counts, c => c > 0);
        var result = new List<(double, double, long)>();
        for (int i = first; i <= last && first >= 0; i++)
        {
            result.Add((_low + i * _width, _width, _counts[i]));
        }
        return result;
    }
}
