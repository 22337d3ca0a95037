using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ZipFit.Core.Scoring.Methods;

/// <summary>cm-mix: the per-thread scorer (one hash probe per byte, SIMD add of the component row).</summary>
public sealed partial class MixtureXentMethod
{
    public IExampleScorer CreateScorer() => new Scorer(this);

    internal sealed class Scorer : IExampleScorer
    {
        private readonly MixtureXentMethod _m;
        private readonly float[] _acc;
        private byte[] _buf = new byte[4096];
        public Scorer(MixtureXentMethod m) { _m = m; _acc = new float[m._rowWidth]; }

        // The O(N) scorers' hot loops are compiled optimised at first call: a cmdlet usually scores a pool once, and
        // tiered compilation (tier 0, then on-stack replacement) made a first pass over 20,000 examples ~1.7x slower.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public double Score(ReadOnlySpan<byte> x)
        {
            if (x.Length == 0) return ScoreConstants.Excluded;
            if (_m.Options.View == MixtureView.Skeleton)
            {
                byte[] buf = Scratch.Ensure(ref _buf, x.Length);
                x = buf.AsSpan(0, SyntaxSkeleton.Map(x, buf));
            }
            var m = _m;
            Span<float> acc = _acc;
            acc.Clear();
            if (m._high is not null)
            {
                m.AccumulateHigherOrder(x, acc);
                return BestSaving(m, acc, x.Length);
            }
            if (m._rowWidth == 2 * Vector256<float>.Count && Vector256.IsHardwareAccelerated)
            {
                AccumulateTwoVectorRows(m, x, acc);
                return BestSaving(m, acc, x.Length);
            }
            AccumulateRows(m, x, acc);
            return BestSaving(m, acc, x.Length);
        }

        /// <summary>Adds, for every byte of x, its row of code lengths under every component (order-2 context mixing).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        internal static void AccumulateRows(MixtureXentMethod m, ReadOnlySpan<byte> x, Span<float> acc)
        {
            int w = m._rowWidth, mask = m._mask;
            int[] keys = m._keys, ids = m._ids;
            ref float lp1 = ref MemoryMarshal.GetArrayDataReference(m._bigramLogProb);
            ref float bo = ref MemoryMarshal.GetArrayDataReference(m._trigramBackOff);
            ref float lp2 = ref MemoryMarshal.GetArrayDataReference(m._trigramLogProb);
            ref float a0 = ref MemoryMarshal.GetReference(acc);
            int vw = Vector<float>.Count;
            int c = 0;
            for (int i = 0; i < x.Length; i++)
            {
                byte b = x[i];
                int found = FindTrigram(keys, ids, ((c & 0xFFFF) << 8) | b, mask);
                if (found >= 0) AddRow(ref a0, ref lp2, found * w, w);
                else
                {
                    int r1 = (((c & 0xFF) << 8) | b) * w, r2 = (c & 0xFFFF) * w;
                    for (int q = 0; q < w; q += vw)
                    {
                        ref float dst = ref Unsafe.Add(ref a0, q);
                        Unsafe.As<float, Vector<float>>(ref dst) += Unsafe.As<float, Vector<float>>(ref Unsafe.Add(ref lp1, r1 + q))
                            + Unsafe.As<float, Vector<float>>(ref Unsafe.Add(ref bo, r2 + q));
                    }
                }
                c = (c << 8) | b;
            }
        }

        /// <summary>
        /// <see cref="AccumulateRows"/> for rows of two 256-bit vectors (the default 15 clusters + the target), with the sums held in
        /// registers instead of the accumulator's memory, which made each byte wait on the previous byte's store. Each
        /// lane adds the same values in the same order, so the sums are bit-identical.
        /// </summary>
        internal static void AccumulateTwoVectorRows(MixtureXentMethod m, ReadOnlySpan<byte> x, Span<float> acc)
        {
            if (m._contexts is { } contexts) AccumulateTwoVectorRows(m, x, acc, new ContextRows(contexts));
            else AccumulateTwoVectorRowsByHash(m, x, acc);
        }

        /// <summary><see cref="AccumulateTwoVectorRows"/> with the trigrams looked up in the hash table (tests and bench
        /// hold the context index to it).</summary>
        internal static void AccumulateTwoVectorRowsByHash(MixtureXentMethod m, ReadOnlySpan<byte> x, Span<float> acc) =>
            AccumulateTwoVectorRows(m, x, acc, new HashRows(m));

        // One loop for both lookups: a struct type argument gets its own compiled copy, with the lookup inlined.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void AccumulateTwoVectorRows<TRows>(MixtureXentMethod m, ReadOnlySpan<byte> x, Span<float> acc, TRows rows)
            where TRows : struct, ITrigramRows
        {
            ref float lp1 = ref MemoryMarshal.GetArrayDataReference(m._bigramLogProb);
            ref float bo = ref MemoryMarshal.GetArrayDataReference(m._trigramBackOff);
            ref float lp2 = ref MemoryMarshal.GetArrayDataReference(m._trigramLogProb);
            var low = Vector256<float>.Zero;
            var high = Vector256<float>.Zero;
            int c = 0;
            for (int i = 0; i < x.Length; i++)
            {
                byte b = x[i];
                int found = rows.Row(c & 0xFFFF, b);
                if (found >= 0)
                {
                    ref float row = ref Unsafe.Add(ref lp2, found * 16);
                    low += Vector256.LoadUnsafe(ref row);
                    high += Vector256.LoadUnsafe(ref row, 8);
                }
                else
                {
                    ref float r1 = ref Unsafe.Add(ref lp1, ((((c & 0xFF) << 8) | b) * 16));
                    ref float r2 = ref Unsafe.Add(ref bo, ((c & 0xFFFF) * 16));
                    low += Vector256.LoadUnsafe(ref r1) + Vector256.LoadUnsafe(ref r2);
                    high += Vector256.LoadUnsafe(ref r1, 8) + Vector256.LoadUnsafe(ref r2, 8);
                }
                c = (c << 8) | b;
            }
            low.StoreUnsafe(ref MemoryMarshal.GetReference(acc));
            high.StoreUnsafe(ref MemoryMarshal.GetReference(acc), 8);
        }

        /// <summary>Where the row of a seen trigram (two-byte context, byte) is: −1 when it was not seen.</summary>
        internal interface ITrigramRows
        {
            int Row(int context, int b);
        }

        private readonly struct HashRows(MixtureXentMethod m) : ITrigramRows
        {
            private readonly int[] _keys = m._keys, _ids = m._ids;
            private readonly int _mask = m._mask;

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public int Row(int context, int b) => FindTrigram(_keys, _ids, (context << 8) | b, _mask);
        }

        private readonly unsafe struct ContextRows(ContextIndex index) : ITrigramRows
        {
            private readonly ulong* _entries = index.Entries;

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public int Row(int context, int b) => ContextIndex.Row(_entries, context, b);
        }

        /// <summary>The row id of a trigram key in the open-addressing table, or −1.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static int FindTrigram(int[] keys, int[] ids, int key, int mask)
        {
            for (int h = Slot(key, mask); ; h = (h + 1) & mask)
            {
                int kk = keys[h];
                if (kk == key) return ids[h];
                if (kk == -1) return -1;
            }
        }

        private static double BestSaving(MixtureXentMethod m, Span<float> acc, int length)
        {
            float best = float.NegativeInfinity;
            for (int q = 1; q < m._components; q++) if (acc[q] > best) best = acc[q];
            return ((double)acc[0] - best) / length;
        }

        public void Dispose() { }
    }
}
