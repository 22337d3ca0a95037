using System;
using System.Runtime.CompilerServices;

namespace ZipFit.Core.Compression.Deflate
{
    /// <summary>
    /// Computes exactly the number of bytes zlib 1.2.13 produces for raw deflate
    /// (deflateInit2(level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), all input in one
    /// deflate(Z_FINISH) call) without producing the compressed bits. gzip length = raw + 18.
    /// Not thread-safe: use one instance per thread. No allocation per call once the internal
    /// buffers have grown to the largest input seen.
    /// </summary>
    public sealed unsafe class DeflateLengthCalculator
    {
        private const int Padding = 16;

        private readonly int _level;
        private readonly BlockCoster _coster = new BlockCoster();
        private readonly DeflateEngine _oneShot;
        private readonly DeflateEngine _prefixEngine;

        // Linear input buffers (pinned, with padding for 8-byte compares past the end).
        private byte[] _buf;
        private byte* _bufPtr;
        private byte[] _pbuf;
        private byte* _pbufPtr;

        // Prefix snapshot.
        private bool _hasPrefix;
        // Whether the prefix engine's tables hold x's tail as PrepareTail put it (plan runs) or
        // the snapshot's state (other suffix runs).
        private bool _tailInserted;
        private bool _gramsBuilt;
        private int _prefixLen;
        private int _snapStrstart, _snapBase, _snapBlockStart, _snapMatchLength, _snapMatchStart, _snapSymCount;
        private bool _snapMatchAvailable;
        private long _snapBits;
        private readonly int[] _snapLFreq = new int[DeflateTables.LCodes];
        private readonly int[] _snapDFreq = new int[DeflateTables.DCodes];
        private readonly int[] _snapHead;
        private readonly int[] _snapPrev;
        private readonly int[] _snapPrev2;

        public DeflateLengthCalculator(int level)
        {
            if (level < 1 || level > 9)
                throw new ArgumentOutOfRangeException(nameof(level), level, "level must be 1..9");
            _level = level;
            var cfg = LevelConfig.For(level);
            _oneShot = new DeflateEngine(cfg, _coster);
            _prefixEngine = new DeflateEngine(cfg, _coster);
            _snapHead = new int[DeflateEngine.HashSize];
            _snapPrev = new int[DeflateEngine.WSize];
            _snapPrev2 = new int[DeflateEngine.WSize];
            _buf = AllocPinned(64 * 1024, out _bufPtr);
            _pbuf = AllocPinned(64 * 1024, out _pbufPtr);
        }

        public int Level => _level;

        /// <summary>gzip length (raw deflate + 10-byte header + 8-byte trailer).</summary>
        public int GzipLength(ReadOnlySpan<byte> data) => RawDeflateLength(data) + 18;

        /// <summary>Exact length in bytes of zlib's raw deflate output for <paramref name="data"/>.</summary>
        public int RawDeflateLength(ReadOnlySpan<byte> data)
        {
            int n = data.Length;
            EnsureCapacity(ref _buf, ref _bufPtr, n);
            data.CopyTo(new Span<byte>(_bufPtr, n));
            new Span<byte>(_bufPtr + n, Padding).Clear();
            var e = _oneShot;
            e.Reset(n);
            e.Run(_bufPtr, n, prefixOnly: false);
            return checked((int)(e.Bits >> 3));
        }

        /// <summary>
        /// Processes <paramref name="x"/> as far as possible independently of what follows and
        /// keeps that state, so that <see cref="RawDeflateLengthWithSuffix"/> can compute
        /// RawDeflateLength(x + y) by processing only the tail of x and y.
        /// </summary>
        public void SetPrefix(ReadOnlySpan<byte> x)
        {
            int n = x.Length;
            EnsureCapacity(ref _pbuf, ref _pbufPtr, n);
            x.CopyTo(new Span<byte>(_pbufPtr, n));
            RunPrefix(n, SuffixReserve);
        }

        // Room reserved in the table offset space for suffixes (larger ones re-run the prefix).
        private const int SuffixReserve = 16 << 20;

        private void RunPrefix(int n, int reserve)
        {
            new Span<byte>(_pbufPtr + n, Padding).Clear();
            var e = _prefixEngine;
            e.Reset((int)Math.Min((long)n + reserve, int.MaxValue - 64L));
            e.Run(_pbufPtr, n, prefixOnly: true);

            _prefixLen = n;
            SnapshotScalars(e);
            new ReadOnlySpan<int>(e.Head, DeflateEngine.HashSize).CopyTo(_snapHead);
            new ReadOnlySpan<int>(e.Prev, DeflateEngine.WSize).CopyTo(_snapPrev);
            new ReadOnlySpan<int>(e.Prev2, DeflateEngine.WSize).CopyTo(_snapPrev2);
            _hasPrefix = true;
            _tailInserted = false;
            _gramsBuilt = false;
        }

        private void SnapshotScalars(DeflateEngine e)
        {
            _snapStrstart = e.Strstart;
            _snapBase = e.Base;
            _snapBlockStart = e.BlockStart;
            _snapMatchLength = e.MatchLength;
            _snapMatchStart = e.MatchStart;
            _snapMatchAvailable = e.MatchAvailable;
            _snapSymCount = e.SymCount;
            _snapBits = e.Bits;
            new ReadOnlySpan<int>(e.LFreq, DeflateTables.LCodes).CopyTo(_snapLFreq);
            new ReadOnlySpan<int>(e.DFreq, DeflateTables.DCodes).CopyTo(_snapDFreq);
        }

        /// <summary>Number of prefix bytes whose processing is shared by all suffixes.</summary>
        public int SharedPrefixBytes => _hasPrefix ? _snapStrstart : 0;

        /// <summary>Exactly RawDeflateLength(x + y) for the x given to <see cref="SetPrefix"/>.</summary>
        public int RawDeflateLengthWithSuffix(ReadOnlySpan<byte> y)
        {
            if (!_hasPrefix) throw new InvalidOperationException("SetPrefix must be called first.");
            int xn = _prefixLen;
            long total = (long)xn + y.Length;
            if (total > int.MaxValue - 64) throw new ArgumentException("input too large", nameof(y));
            int n = (int)total;
            var e = _prefixEngine;
            if (!DeflateEngine.FitsOffset(e.Off, n))
            {
                // Offset space too small for this suffix: redo the prefix with enough room.
                RunPrefix(xn, y.Length);
            }

            EnsureCapacity(ref _pbuf, ref _pbufPtr, n, preserve: xn);
            byte* d = _pbufPtr;
            y.CopyTo(new Span<byte>(d + xn, y.Length));
            new Span<byte>(d + n, Padding).Clear();

            if (_tailInserted)
            {
                // This run inserts x's tail itself: take PrepareTail's positions out of the head
                // table (their prev slots are only reached after they are inserted again).
                fixed (int* sh = _snapHead)
                {
                    RestoreHeads(e.Head, sh, d, _snapStrstart, e.TailTo);
                }
                _tailInserted = false;
            }

            e.ExtendRun(n);
            RestoreScalars(e);

            e.Run(d, n, prefixOnly: false);
            int result = checked((int)(e.Bits >> 3));

            // Undo the table writes of positions >= snapshot strstart (only those were inserted).
            int start = _snapStrstart;
            int endIns = n - 2; // positions p with p + 2 < n can have been inserted
            if (endIns > start)
            {
                int* head = e.Head;
                int* prev = e.Prev;
                int* prev2 = e.Prev2;
                fixed (int* sh = _snapHead)
                fixed (int* sp = _snapPrev)
                fixed (int* sp2 = _snapPrev2)
                {
                    RestoreHeads(head, sh, d, start, endIns);
                    int count = endIns - start;
                    if (count >= DeflateEngine.WSize)
                    {
                        new ReadOnlySpan<int>(sp, DeflateEngine.WSize).CopyTo(new Span<int>(prev, DeflateEngine.WSize));
                        new ReadOnlySpan<int>(sp2, DeflateEngine.WSize).CopyTo(new Span<int>(prev2, DeflateEngine.WSize));
                    }
                    else
                    {
                        // A suffix position p < WSize writes a prev slot that no prefix position
                        // owns; the next suffix run reads a slot only after inserting its own
                        // position there, so only slots of positions >= WSize need restoring.
                        for (int p = Math.Max(start, DeflateEngine.WSize); p < endIns; p++)
                        {
                            int k = p & DeflateEngine.WMask;
                            prev[k] = sp[k];
                            prev2[k] = sp2[k];
                        }
                    }
                }
            }
            return result;
        }

        /// <summary>
        /// Exactly RawDeflateLength(x + y) for the x given to <see cref="SetPrefix"/> and the y of
        /// <paramref name="plan"/>; faster than the span overload when the same y is used with many x.
        /// </summary>
        public int RawDeflateLengthWithSuffix(DeflateSuffixPlan plan)
        {
            ArgumentNullException.ThrowIfNull(plan);
            if (plan.Level != _level) throw new ArgumentException($"the plan is for level {plan.Level}, this calculator for {_level}", nameof(plan));
            if (!_hasPrefix) throw new InvalidOperationException("SetPrefix must be called first.");
            int xn = _prefixLen;
            // With an empty x, y's first byte would sit at position 0, which zlib never offers as a
            // match (0 is its NIL); the plan assumes every y position is a candidate.
            if (!plan.Usable || xn == 0 || (long)xn + plan.Length > DeflateEngine.MaxDist) return RawDeflateLengthWithSuffix(plan.Bytes);

            int n = xn + plan.Length;
            var e = _prefixEngine;
            if (!DeflateEngine.FitsOffset(e.Off, n)) RunPrefix(xn, plan.Length);
            EnsureCapacity(ref _pbuf, ref _pbufPtr, n, preserve: xn);
            byte* d = _pbufPtr;
            plan.Bytes.CopyTo(new Span<byte>(d + xn, plan.Length));
            new Span<byte>(d + n, Padding).Clear();

            if (!_tailInserted)
            {
                // First plan run after SetPrefix (or after a span run): x's strings and tail.
                if (!_gramsBuilt)
                {
                    e.SetPrefixGrams(d, xn);
                    _gramsBuilt = true;
                }
                e.PrepareTail(d, xn, _snapStrstart);
                _tailInserted = true;
            }

            // The run inserts at most x's last two positions (y's never are): keep their head
            // slots. Their prev slots are below WSize and need no restoring (see
            // RawDeflateLengthWithSuffix(ReadOnlySpan)).
            int* head = e.Head;
            int first = e.TailTo, end = Math.Min(xn, n - 2);
            int h0 = 0, h1 = 0, v0 = 0, v1 = 0;
            if (first < end)
            {
                h0 = DeflateEngine.Hash(d + first);
                v0 = head[h0];
                if (first + 1 < end)
                {
                    h1 = DeflateEngine.Hash(d + first + 1);
                    v1 = head[h1];
                }
            }

            e.ExtendRun(n);
            RestoreScalars(e);
            e.RunWithPlan(d, n, xn, plan);
            int result = checked((int)(e.Bits >> 3));

            if (first + 1 < end) head[h1] = v1;
            if (first < end) head[h0] = v0;
            return result;
        }

        /// <summary>Puts back the snapshot's head slot of every position in [start, end) (found by rehashing).</summary>
        private static void RestoreHeads(int* head, int* snapHead, byte* d, int start, int end)
        {
            // Rolling form of the hash: ((h << 5) ^ d[p + 2]) & mask drops byte p - 1.
            int h = ((d[start] << 5) ^ d[start + 1]) & DeflateEngine.HashMask;
            for (int p = start; p < end; p++)
            {
                h = ((h << 5) ^ d[p + 2]) & DeflateEngine.HashMask;
                head[h] = snapHead[h];
            }
        }

        private void RestoreScalars(DeflateEngine e)
        {
            e.Strstart = _snapStrstart;
            e.Base = _snapBase;
            e.BlockStart = _snapBlockStart;
            e.MatchLength = _snapMatchLength;
            e.MatchStart = _snapMatchStart;
            e.MatchAvailable = _snapMatchAvailable;
            e.SymCount = _snapSymCount;
            e.Bits = _snapBits;
            _snapLFreq.AsSpan().CopyTo(new Span<int>(e.LFreq, DeflateTables.LCodes));
            _snapDFreq.AsSpan().CopyTo(new Span<int>(e.DFreq, DeflateTables.DCodes));
        }

        private static byte[] AllocPinned(int size, out byte* ptr)
        {
            var a = GC.AllocateUninitializedArray<byte>(size + Padding, pinned: true);
            ptr = (byte*)Unsafe.AsPointer(ref a[0]);
            return a;
        }

        private static void EnsureCapacity(ref byte[] buf, ref byte* ptr, int n, int preserve = 0)
        {
            if (buf.Length >= n + Padding) return;
            long newSize = Math.Max((long)n, (long)(buf.Length - Padding) * 2);
            if (newSize > int.MaxValue - 1024) newSize = n;
            var nb = AllocPinned((int)newSize, out byte* np);
            if (preserve > 0) new ReadOnlySpan<byte>(ptr, preserve).CopyTo(new Span<byte>(np, preserve));
            buf = nb;
            ptr = np;
        }
    }
}
