namespace ZipFit.Core.Measures;

/// <summary>
/// An interpolated Witten-Bell byte n-gram model (5-grams by default: four bytes of context, interpolated down to
/// order 0 and a uniform byte), trained on every byte of a dataset and evaluated in bits per byte on target examples:
/// the benchmarks' downstream yardstick (order 5) and Measure-ZipFitAlignment's target-side measure (order 3).
/// Deterministic. Each example is modelled on its own: the history starts empty at its first byte, so nothing leaks
/// from one example into the next. Memory grows with the number of distinct n-grams seen, which order 3 bounds by
/// 2^24 whatever the dataset's size.
/// </summary>
public sealed class WittenBellByteModel
{
    private readonly int _context;
    // Per context (length and bytes packed): total count and number of distinct following bytes.
    private readonly Dictionary<ulong, (long Total, int Distinct)> _contexts = new();
    // Per (context, next byte): count.
    private readonly Dictionary<ulong, int> _counts = new();

    public WittenBellByteModel(int order = 5)
    {
        if (order is < 1 or > 7) throw new ArgumentOutOfRangeException(nameof(order));
        _context = order - 1;
    }

    public long TrainedBytes { get; private set; }

    /// <summary>Adds every n-gram of <paramref name="example"/> (up to the model's order) to the counts.</summary>
    public void Train(ReadOnlySpan<byte> example)
    {
        for (int i = 0; i < example.Length; i++)
        {
            for (int n = 0; n <= Math.Min(_context, i); n++)
            {
                ulong context = ContextKey(example, i, n);
                ulong pair = (context << 8) | example[i];
                ref int count = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_counts, pair, out bool seen);
                count++;
                ref var stats = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_contexts, context, out _);
                stats.Total++;
                if (!seen) stats.Distinct++;
            }
        }
        TrainedBytes += example.Length;
    }

    /// <summary>Code length of <paramref name="example"/> in bits under the model.</summary>
    public double Bits(ReadOnlySpan<byte> example)
    {
        double bits = 0;
        for (int i = 0; i < example.Length; i++)
        {
            double p = 1.0 / 256;
            for (int n = 0; n <= Math.Min(_context, i); n++)
            {
                ulong context = ContextKey(example, i, n);
                if (!_contexts.TryGetValue(context, out var stats)) break;
                _counts.TryGetValue((context << 8) | example[i], out int count);
                p = (count + stats.Distinct * p) / (stats.Total + stats.Distinct);
            }
            bits -= Math.Log2(p);
        }
        return bits;
    }

    /// <summary>Bits per byte over a set of held-out examples.</summary>
    public double BitsPerByte(IEnumerable<byte[]> heldOut)
    {
        double bits = 0;
        long bytes = 0;
        foreach (var example in heldOut)
        {
            bits += Bits(example);
            bytes += example.Length;
        }
        return bits / bytes;
    }

    /// <summary>Trains a model of <paramref name="order"/> on <paramref name="selection"/> and returns the bits per byte of <paramref name="heldOut"/>.</summary>
    public static double Evaluate(IEnumerable<byte[]> selection, IReadOnlyList<byte[]> heldOut, int order = 5)
    {
        var model = new WittenBellByteModel(order);
        foreach (var example in selection) model.Train(example);
        return model.BitsPerByte(heldOut);
    }

    private static ulong ContextKey(ReadOnlySpan<byte> text, int position, int length)
    {
        ulong key = (ulong)length;
        for (int k = 1; k <= length; k++) key = (key << 8) | text[position - k];
        return key;
    }
}
