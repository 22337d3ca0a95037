// What a suffix y contributes to zlib's match search on its own, whatever prefix x comes before it.
//
// When deflate_slow searches at a position s inside y (of x + y), the hash chain it walks holds
// every earlier position with the same hash, most recent first: first the positions of y before
// s, then those of x. Which y positions are on the chain, in what order, and how long each one's
// match is, depend on y alone; so does the lookahead (what is left of y), hence nice_match and the
// length cap. The plan records, per position of y, the outcome of the y part of that walk (the
// longest match and the first candidate reaching it, whether it stopped at nice_match, how many
// chain entries it visited) for both chain budgets zlib may use there (max_chain, and a quarter
// of it once the previous match reaches good_match). A suffix run then never inserts y positions
// and walks only the x part of each chain, starting from y's best and with the budget y left.
// It holds while the whole input stays within one window (|x| + |y| <= MAX_DIST: no slide, no
// chain limit other than the budget).
using System;
using System.Buffers;
using System.Runtime.CompilerServices;

namespace ZipFit.Core.Compression.Deflate
{
    /// <summary>
    /// A suffix prepared once for <see cref="DeflateLengthCalculator.RawDeflateLengthWithSuffix(DeflateSuffixPlan)"/>
    /// at one level. Immutable after construction: one plan can be shared by any number of
    /// calculators and threads.
    /// </summary>
    public sealed unsafe class DeflateSuffixPlan
    {
        internal const int LenBits = 9;          // match length 0..258
        internal const int StopBit = 1 << LenBits; // the walk stopped at nice_match inside y
        internal const int PosShift = LenBits + 1;

        private readonly byte[] _bytes;
        private readonly int[] _tables;

        /// <summary>The suffix bytes.</summary>
        public ReadOnlySpan<byte> Bytes => new ReadOnlySpan<byte>(_bytes, 0, Length);

        internal ReadOnlyMemory<byte> Memory => new ReadOnlyMemory<byte>(_bytes, 0, Length);

        public int Length { get; }

        public int Level { get; }

        /// <summary>False when y is too long for the plan (the calculator then processes y in full).</summary>
        internal bool Usable { get; }

        // Per position p of y (pinned, read-only): the most recent earlier y position with the
        // same hash (-1 if none); the number of y entries on p's chain; the y walk's outcome with
        // the full budget and with the quartered budget, packed as pos << PosShift | stop | length.
        internal readonly int* LastY;
        internal readonly int* CountY;
        internal readonly int* FullY;
        internal readonly int* QuarterY;

        public DeflateSuffixPlan(int level, ReadOnlySpan<byte> y)
        {
            var cfg = LevelConfig.For(level);
            Level = level;
            Length = y.Length;
            _bytes = GC.AllocateArray<byte>(y.Length + 16, pinned: true);
            y.CopyTo(_bytes);
            int m = y.Length;
            Usable = cfg.Slow && m <= DeflateEngine.MaxDist;
            _tables = GC.AllocateArray<int>(Usable ? 4 * m + 4 : 4, pinned: true);
            int* t = (int*)Unsafe.AsPointer(ref _tables[0]);
            LastY = t;
            CountY = t + m;
            FullY = t + 2 * m;
            QuarterY = t + 3 * m;
            if (Usable) Build(cfg);
        }

        private void Build(LevelConfig cfg)
        {
            int m = Length;
            int chain = cfg.MaxChain, quarter = cfg.MaxChain >> 2;
            int[] head = ArrayPool<int>.Shared.Rent(DeflateEngine.HashSize);
            int[] depth = ArrayPool<int>.Shared.Rent(m);
            head.AsSpan(0, DeflateEngine.HashSize).Fill(-1);
            fixed (byte* d = _bytes)
            {
                for (int p = 0; p < m; p++)
                {
                    if (m - p < DeflateEngine.MinMatch)
                    {
                        LastY[p] = -1;
                        CountY[p] = 0;
                        FullY[p] = QuarterY[p] = 0;
                        continue;
                    }
                    int h = ((d[p] << 10) ^ (d[p + 1] << 5) ^ d[p + 2]) & DeflateEngine.HashMask;
                    int q0 = head[h];
                    head[h] = p;
                    LastY[p] = q0;
                    CountY[p] = q0 >= 0 ? depth[q0] : 0;
                    depth[p] = CountY[p] + 1;

                    int la = m - p;
                    int maxLen = la < DeflateEngine.MaxMatch ? la : DeflateEngine.MaxMatch;
                    int nice = cfg.NiceLength < la ? cfg.NiceLength : la;
                    int best = 0, pos = 0, stop = 0;
                    int quarterResult = -1;
                    int k = 0;
                    for (int q = q0; q >= 0 && k < chain; q = LastY[q], k++)
                    {
                        if (k == quarter) quarterResult = pos << PosShift | best;
                        if (d[q] != d[p] || d[q + 1] != d[p + 1]) continue;
                        int len = 2;
                        while (len < maxLen && d[q + len] == d[p + len]) len++;
                        if (len > best)
                        {
                            best = len;
                            pos = q;
                            if (len >= nice) { stop = StopBit; break; }
                        }
                    }
                    int full = pos << PosShift | stop | best;
                    FullY[p] = full;
                    QuarterY[p] = quarterResult >= 0 ? quarterResult : full;
                }
            }
            ArrayPool<int>.Shared.Return(head);
            ArrayPool<int>.Shared.Return(depth);
        }
    }
}
