using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ZipFit.Core.Scoring.Methods;

public sealed partial class MixtureXentMethod
{
    /// <summary>
    /// Scoring tables of order 3 or 4 over the order-2 model of <see cref="Tables"/>, for the final partition only (the
    /// hard EM stays order 2). Witten-Bell interpolation as at order 2:
    /// p_n(b | ctx) = (count(ctx b) + u(ctx) · p_{n−1}(b | shorter ctx)) / (count(ctx) + u(ctx)), u = distinct bytes seen after ctx.
    /// Rows hold log p of every seen gram (order-4 grams: 4 context bytes + byte; order-3 grams) and the log escape weight
    /// log(u / (count + u)) of every seen context, one float per component, padded to the SIMD width; an unseen gram costs
    /// the escape weights down to the longest seen gram. Scoring a byte whose 5-byte string was seen is one probe and one
    /// SIMD row add. Strings are looked up in open-addressed tables (load ≤ 0.5, linear probing) laid out in key order,
    /// so the tables, and therefore the scores, do not depend on dictionary enumeration order.
    /// </summary>
    private sealed class HigherOrderTables
    {
        public int Order;
        public ulong[] Grams5 = [];              // key5 << 24 | (row + 1); 0 = empty. key5 = 4 context bytes + byte (40 bits)
        public int Bits5;
        public int[] Strings4 = [], Strings3 = []; // 4 ints per slot: key, gram row + 1, context row + 1, 0
        public int Bits4, Bits3;
        public float[] Lp5 = [], Lp4 = [], Bo4 = [], Bo3 = [];

        /// <summary>Builds the tables of the highest order up to <paramref name="order"/> whose distinct grams stay within
        /// <paramref name="maxGrams"/> (memory is grams × row width × 4 bytes); null when even order 3 would not.</summary>
        public static HigherOrderTables? Build(IReadOnlyList<byte[]> target, IReadOnlyList<byte[]> background, int[] assign,
            Dictionary<int, int> trigramId, Tables t, int order, int maxGrams)
        {
            int k = t.Components, w = t.RowWidth;
            var gram5 = new Dictionary<long, int>();
            var gram4 = new Dictionary<uint, int>();
            var ctx4 = new Dictionary<uint, int>();
            var ctx3 = new Dictionary<uint, int>();
            // parents of each gram, appended as grams are first seen
            var g4Of5 = new List<int>(); var c4Of5 = new List<int>(); var c3Of4 = new List<int>(); var g2Of4 = new List<int>();
            var n5 = new List<int>(); var n4 = new List<int>();      // per gram × k, grown as grams appear
            var nc4 = new List<int>(); var nc3 = new List<int>();

            void Grow(List<int> counts, int id) { while (counts.Count < (id + 1) * k) counts.Add(0); }
            int Id<TKey>(Dictionary<TKey, int> d, TKey key, out bool added) where TKey : notnull
            {
                added = !d.TryGetValue(key, out int id);
                if (added) { id = d.Count; d[key] = id; }
                return id;
            }

            bool Count(byte[] x, int component)
            {
                uint c = 0;
                foreach (byte b in x)
                {
                    if (gram4.Count > maxGrams) return false;
                    if (order >= 4 && gram5.Count > maxGrams)
                    {
                        order = 3; // too many distinct order-4 grams: drop to order 3, whose counts are complete so far
                        gram5.Clear(); ctx4.Clear(); g4Of5.Clear(); c4Of5.Clear(); n5.Clear(); nc4.Clear();
                    }
                    uint s4 = ((c & 0xFFFFFF) << 8) | b;
                    int i4 = Id(gram4, s4, out bool new4);
                    if (new4)
                    {
                        c3Of4.Add(Id(ctx3, c & 0xFFFFFF, out _));
                        g2Of4.Add(trigramId[(int)(((c & 0xFFFF) << 8) | b)]);
                        Grow(n4, i4);
                    }
                    n4[i4 * k + component]++;
                    int x3 = c3Of4[i4];
                    Grow(nc3, x3);
                    nc3[x3 * k + component]++;
                    if (order >= 4)
                    {
                        int i5 = Id(gram5, ((long)c << 8) | b, out bool new5);
                        if (new5)
                        {
                            g4Of5.Add(i4);
                            c4Of5.Add(Id(ctx4, c, out _));
                            Grow(n5, i5);
                        }
                        n5[i5 * k + component]++;
                        int x4 = c4Of5[i5];
                        Grow(nc4, x4);
                        nc4[x4 * k + component]++;
                    }
                    c = (c << 8) | b;
                }
                return true;
            }
            foreach (var x in target)
                if (!Count(x, 0)) return null;
            for (int i = 0; i < background.Count; i++)
                if (!Count(background[i], assign[i])) return null;
            if (gram4.Count > maxGrams) return null;
            if (order >= 4 && gram5.Count > maxGrams) order = 3;

            var u3 = new int[ctx3.Count * k];
            for (int i4 = 0; i4 < gram4.Count; i4++)
                for (int q = 0; q < k; q++) if (n4[i4 * k + q] > 0) u3[c3Of4[i4] * k + q]++;
            var u4 = new int[ctx4.Count * k];
            for (int i5 = 0; i5 < gram5.Count; i5++)
                for (int q = 0; q < k; q++) if (n5[i5 * k + q] > 0) u4[c4Of5[i5] * k + q]++;

            var r = new HigherOrderTables { Order = order };
            var p3 = new double[gram4.Count * k];
            r.Lp4 = new float[(long)gram4.Count * w];
            for (int i4 = 0; i4 < gram4.Count; i4++)
            {
                int i2 = g2Of4[i4], key2 = t.KeyOfId[i2], x2 = key2 >> 8, x3 = c3Of4[i4];
                for (int q = 0; q < k; q++)
                {
                    double p2 = Interpolate(t.N3[i2 * k + q], t.N2ctx[x2 * k + q], t.U2[x2 * k + q], t.P1[(key2 & 0xFFFF) * k + q]);
                    double p = Interpolate(n4[i4 * k + q], nc3[x3 * k + q], u3[x3 * k + q], p2);
                    p3[i4 * k + q] = p;
                    r.Lp4[(long)i4 * w + q] = (float)Math.Log(p);
                }
            }
            r.Bo3 = EscapeRows(nc3, u3, ctx3.Count, k, w);
            if (order >= 4)
            {
                r.Lp5 = new float[(long)gram5.Count * w];
                for (int i5 = 0; i5 < gram5.Count; i5++)
                {
                    int i4 = g4Of5[i5], x4 = c4Of5[i5];
                    for (int q = 0; q < k; q++)
                        r.Lp5[(long)i5 * w + q] = (float)Math.Log(Interpolate(n5[i5 * k + q], nc4[x4 * k + q], u4[x4 * k + q], p3[i4 * k + q]));
                }
                r.Bo4 = EscapeRows(nc4, u4, ctx4.Count, k, w);
                r.Bits5 = BitsFor(gram5.Count);
                r.Grams5 = new ulong[1 << r.Bits5];
                int mask = r.Grams5.Length - 1;
                foreach (var (key, id) in gram5.OrderBy(p => p.Key))
                {
                    int h = Slot64((ulong)key, r.Bits5);
                    while (r.Grams5[h] != 0) h = (h + 1) & mask;
                    r.Grams5[h] = ((ulong)key << 24) | (uint)(id + 1);
                }
            }

            // 4-byte strings are order-3 grams and order-4 contexts; 3-byte strings are order-2 grams and order-3 contexts
            var strings4 = gram4.ToDictionary(p => p.Key, p => (Gram: p.Value + 1, Context: 0));
            foreach (var (key, id) in ctx4)
                strings4[key] = (strings4.TryGetValue(key, out var v) ? v.Gram : 0, id + 1);
            (r.Strings4, r.Bits4) = StringTable(strings4);
            var strings3 = trigramId.ToDictionary(p => (uint)p.Key, p => (Gram: p.Value + 1, Context: 0));
            foreach (var (key, id) in ctx3)
                strings3[key] = (strings3.TryGetValue(key, out var v) ? v.Gram : 0, id + 1);
            (r.Strings3, r.Bits3) = StringTable(strings3);
            return r;
        }

        private static double Interpolate(int n, int contextCount, int distinct, double lower) =>
            contextCount > 0 ? (n + distinct * lower) / (contextCount + distinct) : lower;

        private static float[] EscapeRows(List<int> contextCount, int[] distinct, int contexts, int k, int w)
        {
            var rows = new float[(long)contexts * w];
            for (int x = 0; x < contexts; x++)
                for (int q = 0; q < k; q++)
                {
                    int nc = contextCount[x * k + q], u = distinct[x * k + q];
                    rows[(long)x * w + q] = nc > 0 ? (float)Math.Log(u / (double)(nc + u)) : 0f;
                }
            return rows;
        }

        private static (int[] Slots, int Bits) StringTable(Dictionary<uint, (int Gram, int Context)> strings)
        {
            int bits = BitsFor(strings.Count);
            var slots = new int[4 << bits];
            int mask = (1 << bits) - 1;
            foreach (var (key, (gram, context)) in strings.OrderBy(p => p.Key))
            {
                int h = Slot64(key, bits);
                while ((slots[4 * h + 1] | slots[4 * h + 2]) != 0) h = (h + 1) & mask;
                slots[4 * h] = (int)key;
                slots[4 * h + 1] = gram;
                slots[4 * h + 2] = context;
            }
            return (slots, bits);
        }

        private static int BitsFor(int n)
        {
            int bits = 4;
            while ((1L << bits) < 2L * n) bits++;
            return bits;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Slot64(ulong key, int bits) => (int)((key * 0x9E3779B97F4A7C15UL) >> (64 - bits));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRow(ref float acc, ref float table, int row, int w)
    {
        for (int q = 0; q < w; q += Vector<float>.Count)
            Unsafe.As<float, Vector<float>>(ref Unsafe.Add(ref acc, q)) += Unsafe.As<float, Vector<float>>(ref Unsafe.Add(ref table, row + q));
    }

    /// <summary>Slot of a 3- or 4-byte string in a string table, or −1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Probe(ref int slots, uint key, int bits)
    {
        int mask = (1 << bits) - 1;
        for (int h = Slot64(key, bits); ; h = (h + 1) & mask)
        {
            ref int e = ref Unsafe.Add(ref slots, 4 * h);
            if ((Unsafe.Add(ref e, 1) | Unsafe.Add(ref e, 2)) == 0) return -1;
            if ((uint)e == key) return h;
        }
    }

    /// <summary>Code lengths under every component (into acc, natural log, summed over x) with the order-3/4 tables.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void AccumulateHigherOrder(ReadOnlySpan<byte> x, Span<float> acc)
    {
        if (_rowWidth == 2 * Vector256<float>.Count && Vector256.IsHardwareAccelerated)
        {
            AccumulateHigherOrderTwoVectorRows(x, acc);
            return;
        }
        AccumulateHigherOrderRows(x, acc);
    }

    /// <summary>
    /// <see cref="AccumulateHigherOrderRows"/> for rows of two 256-bit vectors (the default 15 clusters + the target), the
    /// sums held in registers: through the accumulator's memory each row waited on the previous row's store. Each lane
    /// adds the same values in the same order, so the sums are bit-identical.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void AccumulateHigherOrderTwoVectorRows(ReadOnlySpan<byte> x, Span<float> acc)
    {
        var t = _high!;
        ref float lp5 = ref MemoryMarshal.GetArrayDataReference(t.Lp5);
        ref float lp4 = ref MemoryMarshal.GetArrayDataReference(t.Lp4);
        ref float bo4 = ref MemoryMarshal.GetArrayDataReference(t.Bo4);
        ref float bo3 = ref MemoryMarshal.GetArrayDataReference(t.Bo3);
        ref float lp2 = ref MemoryMarshal.GetArrayDataReference(_trigramLogProb);
        ref float lp1 = ref MemoryMarshal.GetArrayDataReference(_bigramLogProb);
        ref float bo2 = ref MemoryMarshal.GetArrayDataReference(_trigramBackOff);
        ref ulong g5 = ref MemoryMarshal.GetArrayDataReference(t.Grams5);
        ref int s4 = ref MemoryMarshal.GetArrayDataReference(t.Strings4);
        ref int s3 = ref MemoryMarshal.GetArrayDataReference(t.Strings3);
        int bits5 = t.Bits5, bits4 = t.Bits4, bits3 = t.Bits3, mask5 = (1 << bits5) - 1;
        bool order4 = t.Order >= 4;
        var low = Vector256<float>.Zero;
        var high = Vector256<float>.Zero;
        uint c = 0;
        foreach (byte b in x)
        {
            ref float row = ref lp1;
            if (order4)
            {
                ulong key5 = ((ulong)c << 8) | b;
                int row5 = 0;
                for (int h = Slot64(key5, bits5); ; h = (h + 1) & mask5)
                {
                    ulong e = Unsafe.Add(ref g5, h);
                    if (e == 0) break;
                    if ((e >> 24) == key5) { row5 = (int)(e & 0xFFFFFF); break; }
                }
                if (row5 != 0)
                {
                    row = ref Unsafe.Add(ref lp5, (row5 - 1) * 16);
                    low += Vector256.LoadUnsafe(ref row);
                    high += Vector256.LoadUnsafe(ref row, 8);
                    c = (c << 8) | b;
                    continue;
                }
                int hc = Probe(ref s4, c, bits4);
                if (hc >= 0 && Unsafe.Add(ref s4, 4 * hc + 2) is int cx4 and not 0)
                {
                    row = ref Unsafe.Add(ref bo4, (cx4 - 1) * 16);
                    low += Vector256.LoadUnsafe(ref row);
                    high += Vector256.LoadUnsafe(ref row, 8);
                }
            }
            int h4 = Probe(ref s4, ((c & 0xFFFFFF) << 8) | b, bits4);
            if (h4 >= 0 && Unsafe.Add(ref s4, 4 * h4 + 1) is int g4 and not 0)
            {
                row = ref Unsafe.Add(ref lp4, (g4 - 1) * 16);
                low += Vector256.LoadUnsafe(ref row);
                high += Vector256.LoadUnsafe(ref row, 8);
            }
            else
            {
                int hx = Probe(ref s3, c & 0xFFFFFF, bits3);
                if (hx >= 0 && Unsafe.Add(ref s3, 4 * hx + 2) is int cx3 and not 0)
                {
                    row = ref Unsafe.Add(ref bo3, (cx3 - 1) * 16);
                    low += Vector256.LoadUnsafe(ref row);
                    high += Vector256.LoadUnsafe(ref row, 8);
                }
                int h3 = Probe(ref s3, ((c & 0xFFFF) << 8) | b, bits3);
                if (h3 >= 0 && Unsafe.Add(ref s3, 4 * h3 + 1) is int g3 and not 0)
                {
                    row = ref Unsafe.Add(ref lp2, (g3 - 1) * 16);
                    low += Vector256.LoadUnsafe(ref row);
                    high += Vector256.LoadUnsafe(ref row, 8);
                }
                else
                {
                    row = ref Unsafe.Add(ref lp1, (int)(((c & 0xFF) << 8) | b) * 16);
                    low += Vector256.LoadUnsafe(ref row);
                    high += Vector256.LoadUnsafe(ref row, 8);
                    row = ref Unsafe.Add(ref bo2, (int)(c & 0xFFFF) * 16);
                    low += Vector256.LoadUnsafe(ref row);
                    high += Vector256.LoadUnsafe(ref row, 8);
                }
            }
            c = (c << 8) | b;
        }
        // acc is clear (the scorer clears it), so the sums are stored as they are, as the accumulator would hold them.
        low.StoreUnsafe(ref MemoryMarshal.GetReference(acc));
        high.StoreUnsafe(ref MemoryMarshal.GetReference(acc), 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void AccumulateHigherOrderRows(ReadOnlySpan<byte> x, Span<float> acc)
    {
        var t = _high!;
        int w = _rowWidth;
        ref float a0 = ref MemoryMarshal.GetReference(acc);
        ref float lp5 = ref MemoryMarshal.GetArrayDataReference(t.Lp5);
        ref float lp4 = ref MemoryMarshal.GetArrayDataReference(t.Lp4);
        ref float bo4 = ref MemoryMarshal.GetArrayDataReference(t.Bo4);
        ref float bo3 = ref MemoryMarshal.GetArrayDataReference(t.Bo3);
        ref float lp2 = ref MemoryMarshal.GetArrayDataReference(_trigramLogProb);
        ref float lp1 = ref MemoryMarshal.GetArrayDataReference(_bigramLogProb);
        ref float bo2 = ref MemoryMarshal.GetArrayDataReference(_trigramBackOff);
        ref ulong g5 = ref MemoryMarshal.GetArrayDataReference(t.Grams5);
        ref int s4 = ref MemoryMarshal.GetArrayDataReference(t.Strings4);
        ref int s3 = ref MemoryMarshal.GetArrayDataReference(t.Strings3);
        int bits5 = t.Bits5, bits4 = t.Bits4, bits3 = t.Bits3, mask5 = (1 << bits5) - 1;
        bool order4 = t.Order >= 4;
        uint c = 0;
        foreach (byte b in x)
        {
            if (order4)
            {
                ulong key5 = ((ulong)c << 8) | b;
                int row5 = 0;
                for (int h = Slot64(key5, bits5); ; h = (h + 1) & mask5)
                {
                    ulong e = Unsafe.Add(ref g5, h);
                    if (e == 0) break;
                    if ((e >> 24) == key5) { row5 = (int)(e & 0xFFFFFF); break; }
                }
                if (row5 != 0)
                {
                    AddRow(ref a0, ref lp5, (row5 - 1) * w, w);
                    c = (c << 8) | b;
                    continue;
                }
                int hc = Probe(ref s4, c, bits4);
                if (hc >= 0 && Unsafe.Add(ref s4, 4 * hc + 2) is int cx4 and not 0) AddRow(ref a0, ref bo4, (cx4 - 1) * w, w);
            }
            int h4 = Probe(ref s4, ((c & 0xFFFFFF) << 8) | b, bits4);
            if (h4 >= 0 && Unsafe.Add(ref s4, 4 * h4 + 1) is int g4 and not 0) AddRow(ref a0, ref lp4, (g4 - 1) * w, w);
            else
            {
                int hx = Probe(ref s3, c & 0xFFFFFF, bits3);
                if (hx >= 0 && Unsafe.Add(ref s3, 4 * hx + 2) is int cx3 and not 0) AddRow(ref a0, ref bo3, (cx3 - 1) * w, w);
                int h3 = Probe(ref s3, ((c & 0xFFFF) << 8) | b, bits3);
                if (h3 >= 0 && Unsafe.Add(ref s3, 4 * h3 + 1) is int g3 and not 0) AddRow(ref a0, ref lp2, (g3 - 1) * w, w);
                else
                {
                    AddRow(ref a0, ref lp1, (int)(((c & 0xFF) << 8) | b) * w, w);
                    AddRow(ref a0, ref bo2, (int)(c & 0xFFFF) * w, w);
                }
            }
            c = (c << 8) | b;
        }
    }
}
