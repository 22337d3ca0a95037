namespace ZipFit.Core.Selection;

/// <summary>Splits a number of picks across modes in proportion to their shares.</summary>
public static class QuotaAllocation
{
    /// <summary>
    /// Largest-remainder (Hamilton) allocation of <paramref name="total"/> over <paramref name="shares"/>, capped by what
    /// each mode has (<paramref name="available"/>, or unlimited): a mode that runs short hands its remainder to the
    /// others in proportion to their shares. Ties in the remainders go to the earlier mode. Sums to
    /// min(total, Σ available).
    /// </summary>
    public static int[] Allocate(IReadOnlyList<double> shares, int total, IReadOnlyList<int>? available = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(total);
        int n = shares.Count;
        if (shares.Any(s => !(s >= 0) || double.IsInfinity(s))) throw new ArgumentException("Shares must be finite and not negative.", nameof(shares));
        if (available is not null && available.Count != n) throw new ArgumentException("One availability per share.", nameof(available));
        var quota = new int[n];
        var open = Enumerable.Range(0, n).Where(i => shares[i] > 0 && Capacity(i) > 0).ToList();
        long capacity = open.Sum(i => (long)Capacity(i));
        int left = (int)Math.Min(total, capacity);
        while (left > 0 && open.Count > 0)
        {
            double sum = open.Sum(i => shares[i]);
            var exact = open.ToDictionary(i => i, i => shares[i] / sum * left);
            var add = open.ToDictionary(i => i, i => (int)Math.Floor(exact[i]));
            int remainder = left - add.Values.Sum();
            foreach (int i in open.OrderByDescending(i => exact[i] - add[i]).ThenBy(i => i).Take(remainder)) add[i]++;
            int given = 0;
            foreach (int i in open)
            {
                int take = Math.Min(add[i], Capacity(i) - quota[i]);
                quota[i] += take;
                given += take;
            }
            left -= given;
            open = open.Where(i => quota[i] < Capacity(i)).ToList();
            if (given == 0) break;
        }
        return quota;

        int Capacity(int i) => available is null ? int.MaxValue : available[i];
    }
}

/// <summary>
/// Keeps, per mode, the best K items by key (O(K × modes) memory), then takes each mode's quota of the target's
/// proportions from its own best, best first overall; a mode with too few items leaves its quota to the others.
/// Modes are named by the items as they come, with their share of the target. Equal keys keep input order.
/// </summary>
public sealed class BalancedSelector<T>
{
    private readonly int _top;
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<(string Name, double Share, TopSelector<T> Kept)> _modes = [];

    public BalancedSelector(int top)
    {
        if (top < 1) throw new ArgumentOutOfRangeException(nameof(top), top, "Top must be at least 1.");
        _top = top;
    }

    /// <summary>How many items are held now (at most K per mode).</summary>
    public int Retained => _modes.Sum(m => m.Kept.Count);

    /// <summary>Adds an item of <paramref name="mode"/>; the mode's share is the one given with its first item.</summary>
    public void Add(string mode, double share, double key, T item)
    {
        if (!_index.TryGetValue(mode, out int i))
        {
            if (!(share >= 0) || double.IsInfinity(share)) throw new ArgumentOutOfRangeException(nameof(share), share, "A mode's share must be finite and not negative.");
            i = _modes.Count;
            _index[mode] = i;
            _modes.Add((mode, share, new TopSelector<T>(_top, null)));
        }
        _modes[i].Kept.Add(key, item);
    }

    /// <summary>The selection, best key first, each item with its mode.</summary>
    public IReadOnlyList<(double Key, string Mode, T Item)> Result()
    {
        var kept = _modes.Select(m => m.Kept.Result()).ToArray();
        var quotas = QuotaAllocation.Allocate(_modes.Select(m => m.Share).ToArray(), _top, kept.Select(k => k.Count).ToArray());
        return kept.SelectMany((items, mode) => items.Take(quotas[mode]).Select((e, rank) => (e.Score, mode, rank, e.Item)))
            .OrderByDescending(e => e.Score).ThenBy(e => e.mode).ThenBy(e => e.rank)
            .Select(e => (e.Score, _modes[e.mode].Name, e.Item)).ToList();
    }
}
