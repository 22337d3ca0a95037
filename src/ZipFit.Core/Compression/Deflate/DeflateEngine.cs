// Match finder + symbol tally that replays zlib 1.2.13's deflate_fast / deflate_slow decisions
// (windowBits 15, memLevel 8, default strategy, all input in one deflate(Z_FINISH) call),
// counting symbol frequencies per block instead of writing bits.
//
// Positions are absolute offsets into the input. zlib's sliding window is modelled by
// `Base` (how far the window has been slid): a hash-table entry p is "NIL" in zlib exactly
// when p <= Base, the chain limit is max(strstart - MAX_DIST, Base), and a block's stored
// copy is only possible while block_start >= Base. Table entries are stored as p + Off,
// where Off grows from run to run so stale entries of earlier runs decode to p <= 0 (NIL)
// and the 128 KB hash table never needs clearing.
using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace ZipFit.Core.Compression.Deflate
{
    internal sealed unsafe class DeflateEngine
    {
        public const int WSize = 32768;
        public const int WMask = WSize - 1;
        public const int HashSize = 32768;
        public const int HashMask = HashSize - 1;
        public const int MinMatch = 3;
        public const int MaxMatch = 258;
        public const int MinLookahead = MaxMatch + MinMatch + 1; // 262
        public const int MaxDist = WSize - MinLookahead; // 32506
        public const int TooFar = 4096;
        public const int SymEnd = (1 << (8 + 6)) - 1; // lit_bufsize - 1 = 16383 symbols per block

        private readonly int[] _headArr;
        private readonly int[] _prevArr;
        private readonly int[] _prev2Arr;
        private readonly int[] _lFreqArr;
        private readonly int[] _dFreqArr;
        internal readonly int* Head;
        internal readonly int* Prev;
        // Prev2[p] = Prev[Prev[p]] (the chain entry two steps on), set when p is inserted. It lets
        // the chain walk load entry i+2 while entry i+1 is examined (halves the load latency chain).
        internal readonly int* Prev2;
        internal readonly int* LFreq;
        internal readonly int* DFreq;

        private readonly BlockCoster _coster;
        private PrefixGrams? _grams;

        // x's tail, prepared once per prefix for plan runs (see PrepareTail): positions
        // [_tailFrom, _tailTo) are already in the tables; per position, the chain head before it
        // and the outcome of its search over x (TailValid when y cannot change it).
        private const int TailCapacity = MinLookahead + 8;
        private const int TailValid = 1 << 9;
        private readonly int[] _tailArr = GC.AllocateArray<int>(3 * TailCapacity, pinned: true);
        private int _tailFrom, _tailTo;

        /// <summary>End of the tail positions PrepareTail put in the tables.</summary>
        internal int TailTo => _tailTo;

        /// <summary>Records the strings of the prefix x (d[0..xLen)) for <see cref="RunWithPlan"/>'s walk filter.</summary>
        internal void SetPrefixGrams(byte* x, int xLen) => (_grams ??= new PrefixGrams()).Build(x, xLen);
        private readonly int _good, _lazy, _nice, _chain;
        private readonly bool _slow;

        // Offset added to positions stored in Head/Prev.
        internal int Off;
        // Largest stored value that may be in the tables (Off + length of the longest run so far).
        internal long MaxStored;

        // Resumable state (values at a loop top of deflate_fast/deflate_slow).
        internal int Strstart;
        internal int Base;
        internal int BlockStart;
        internal int MatchLength;
        internal int MatchStart;
        internal bool MatchAvailable;
        internal int SymCount;
        internal long Bits;

        public DeflateEngine(LevelConfig cfg, BlockCoster coster)
        {
            _coster = coster;
            _good = cfg.GoodLength;
            _lazy = cfg.MaxLazy;
            _nice = cfg.NiceLength;
            _chain = cfg.MaxChain;
            _slow = cfg.Slow;
            _headArr = GC.AllocateArray<int>(HashSize, pinned: true);
            _prevArr = GC.AllocateArray<int>(WSize, pinned: true);
            _prev2Arr = GC.AllocateArray<int>(WSize, pinned: true);
            _lFreqArr = GC.AllocateArray<int>(DeflateTables.LCodes + 2, pinned: true);
            _dFreqArr = GC.AllocateArray<int>(DeflateTables.DCodes + 2, pinned: true);
            Head = (int*)Unsafe.AsPointer(ref _headArr[0]);
            Prev = (int*)Unsafe.AsPointer(ref _prevArr[0]);
            Prev2 = (int*)Unsafe.AsPointer(ref _prev2Arr[0]);
            LFreq = (int*)Unsafe.AsPointer(ref _lFreqArr[0]);
            DFreq = (int*)Unsafe.AsPointer(ref _dFreqArr[0]);
        }

        /// <summary>
        /// For plan runs after a prefix run over x = d[0..xLen) (xLen &lt;= MAX_DIST): inserts x's tail
        /// positions [Strstart, xLen - 2) into the tables, so suffix runs need not insert or restore
        /// them, and works out each one's search over x. The two last positions are left out: their
        /// hashes take bytes of y. A search's outcome is kept only when no candidate's comparison
        /// reaches x's end (past it lie y's bytes); the others are walked in the run.
        /// </summary>
        internal void PrepareTail(byte* d, int xLen, int from)
        {
            int to = Math.Max(from, xLen - 2);
            _tailFrom = from;
            _tailTo = to;
            int off = Off;
            int* head = Head, prev = Prev, prev2 = Prev2;
            fixed (int* t = _tailArr)
            {
                int* tailHead = t, full = t + TailCapacity, quarter = t + 2 * TailCapacity;
                for (int p = from; p < to; p++)
                {
                    tailHead[p - from] = Insert(head, prev, prev2, Hash(d + p), p, off) - off;
                }
                for (int p = from; p < to; p++)
                {
                    TailSearch(d, p, xLen, tailHead[p - from], out full[p - from], out quarter[p - from]);
                }
            }
        }

        // The search at s over x's part of its chain (positions before s, most recent first), with
        // zlib's budget and with a quarter of it (the walk as far as the quarter budget reaches):
        // the longest match and the first candidate reaching it, packed pos << 10 | TailValid |
        // length; 0 (not valid) when a comparison within that budget would run past x's end.
        private void TailSearch(byte* d, int s, int xLen, int cur, out int full, out int quarter)
        {
            int cap = Math.Min(MaxMatch, xLen - s);
            bool capIsEnd = xLen - s <= MaxMatch;
            int quarterBudget = _chain >> 2;
            int best = 0, pos = 0, seen = 0;
            quarter = -1;
            int* prev = Prev;
            int off = Off;
            while (cur > 0)
            {
                if (seen == quarterBudget) quarter = pos << 10 | TailValid | best;
                int len = CommonPrefix(d + cur, d + s, cap);
                if (len == cap && capIsEnd)
                {
                    full = 0;
                    if (quarter < 0) quarter = 0;
                    return;
                }
                if (len > best)
                {
                    best = len;
                    pos = cur;
                    if (len >= _nice) break;
                }
                if (++seen == _chain) break;
                cur = prev[(cur + off) & WMask] - off;
            }
            full = pos << 10 | TailValid | best;
            if (quarter < 0) quarter = full;
        }

        /// <summary>Length of the common prefix of a and b, at most <paramref name="max"/> (both readable for max + 8 bytes).</summary>
        internal static int CommonPrefix(byte* a, byte* b, int max)
        {
            int i = 0;
            while (i < max)
            {
                ulong x = *(ulong*)(a + i) ^ *(ulong*)(b + i);
                if (x != 0) return Math.Min(max, i + (BitOperations.TrailingZeroCount(x) >> 3));
                i += 8;
            }
            return max;
        }

        /// <summary>Starts a new run over an input of at most <paramref name="maxLen"/> bytes.</summary>
        public void Reset(int maxLen)
        {
            // New offset above every value stored so far; positions p of this run are stored as
            // p + Off, old entries decode to values <= 0 which zlib would see as NIL.
            // Off is a multiple of WSize so that (p + Off) & WMask == p & WMask: chain walks index
            // prev[] with the stored value directly (no subtraction on the dependent-load path).
            long next = (MaxStored + 1 + WMask) & ~(long)WMask;
            if (next + maxLen + 16 >= int.MaxValue)
            {
                Array.Clear(_headArr);
                Array.Clear(_prevArr);
                Array.Clear(_prev2Arr);
                next = 0;
            }
            Off = (int)next;
            MaxStored = next + maxLen;

            Strstart = 0;
            Base = 0;
            BlockStart = 0;
            MatchLength = MinMatch - 1;
            MatchStart = 0;
            MatchAvailable = false;
            SymCount = 0;
            Bits = 0;
            InitBlock();
        }

        /// <summary>Marks that this run may go up to <paramref name="maxLen"/> bytes (for suffix runs).</summary>
        public void ExtendRun(int maxLen)
        {
            if (Off + (long)maxLen > MaxStored) MaxStored = Off + (long)maxLen;
        }

        public static bool FitsOffset(int off, int maxLen) => (long)off + maxLen + 16 < int.MaxValue;

        private void InitBlock()
        {
            new Span<int>(LFreq, DeflateTables.LCodes).Clear();
            new Span<int>(DFreq, DeflateTables.DCodes).Clear();
            LFreq[DeflateTables.EndBlock] = 1;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private void FlushBlock(int strstart, int baseW, bool last)
        {
            Bits = _coster.BlockBits(LFreq, DFreq, Bits, (long)strstart - BlockStart, BlockStart >= baseW, last);
            BlockStart = strstart;
            SymCount = 0;
            InitBlock();
        }

        /// <summary>
        /// Runs the compressor over d[0..n) from the current state. When
        /// <paramref name="prefixOnly"/> is set it stops at the first loop top whose decisions
        /// could depend on bytes at or after n (lookahead &lt; MIN_LOOKAHEAD) and returns false;
        /// otherwise it finishes the stream (last block, byte alignment) and returns true.
        /// d must have at least 8 readable bytes after n.
        /// </summary>
        public bool Run(byte* d, int n, bool prefixOnly)
            => _slow ? RunSlow(d, n, prefixOnly, int.MaxValue, null) : RunFast(d, n, prefixOnly);

        /// <summary>
        /// Runs to the end of x + y (x = d[0..xLen)) where y comes with a <see cref="DeflateSuffixPlan"/>: positions
        /// of y are not inserted into the tables, and a search at a position of y combines the plan's y part of the
        /// chain with a walk over the x part. Requires a slow level, n &lt;= MAX_DIST (no slide, chain limit 0) and
        /// a state resumed at a loop top before y.
        /// </summary>
        internal void RunWithPlan(byte* d, int n, int xLen, DeflateSuffixPlan plan) => RunSlow(d, n, false, xLen, plan);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static int Hash(byte* p) => ((p[0] << 10) ^ (p[1] << 5) ^ p[2]) & HashMask;

        /// <summary>zlib's INSERT_STRING of position p with hash h; returns the previous head (stored value).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static int Insert(int* head, int* prev, int* prev2, int h, int p, int off)
        {
            int v = head[h];
            prev2[p & WMask] = prev[v & WMask];
            prev[p & WMask] = v;
            head[h] = p + off;
            return v;
        }

        /// <summary>Inserts positions first..last (inclusive; none when last &lt; first) with the rolling hash.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void InsertRun(byte* d, int first, int last, int* head, int* prev, int* prev2, int off)
        {
            if (first > last) return;
            // Rolling form: ((h << 5) ^ next byte) & mask drops the byte three back.
            int h = ((d[first] << 5) ^ d[first + 1]) & HashMask;
            for (int p = first; p <= last; p++)
            {
                h = ((h << 5) ^ d[p + 2]) & HashMask;
                Insert(head, prev, prev2, h, p, off);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void TallyMatch(int* lf, int* df, int length, int dist)
        {
            lf[DeflateTables.LengthCode[length - MinMatch] + DeflateTables.Literals + 1]++;
            df[DeflateTables.DistCode(dist - 1)]++;
        }

        /// <summary>fill_window: the window slides when strstart >= WSIZE + MAX_DIST and the (window-limited)
        /// lookahead is below MIN_LOOKAHEAD; returns the window's new base.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static int SlideWindow(int s, int n, int baseW)
        {
            int endW = n - baseW < 2 * WSize ? n : baseW + 2 * WSize;
            return s - baseW >= WSize + MaxDist && endW - s < MinLookahead ? baseW + WSize : baseW;
        }

        private bool RunFast(byte* d, int n, bool prefixOnly)
        {
            int s = Strstart;
            int baseW = Base;
            int off = Off;
            int* head = Head;
            int* prev = Prev;
            int* prev2 = Prev2;
            int* lf = LFreq;
            int* df = DFreq;
            int maxInsertLength = _lazy;

            while (true)
            {
                baseW = SlideWindow(s, n, baseW);
                int la = n - s;
                if (la < MinLookahead)
                {
                    if (prefixOnly)
                    {
                        Strstart = s; Base = baseW;
                        return false;
                    }
                    if (la == 0) break;
                }

                int hashHead = 0;
                if (la >= MinMatch)
                {
                    hashHead = Insert(head, prev, prev2, Hash(d + s), s, off) - off;
                }

                int ml = 0;
                if (hashHead > baseW && s - hashHead <= MaxDist)
                {
                    ml = LongestMatch(d, s, la, hashHead + off, MinMatch - 1, baseW, out int ms);
                    if (ml >= MinMatch)
                    {
                        TallyMatch(lf, df, ml, s - ms);
                        la -= ml;
                        if (ml <= maxInsertLength && la >= MinMatch)
                        {
                            InsertRun(d, s + 1, s + ml - 1, head, prev, prev2, off);
                            s += ml;
                        }
                        else
                        {
                            s += ml;
                        }
                        goto tallied;
                    }
                }
                lf[d[s]]++;
                s++;
            tallied:
                if (++SymCount == SymEnd) FlushBlock(s, baseW, false);
            }

            Strstart = s; Base = baseW;
            FlushBlock(s, baseW, true);
            return true;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private bool RunSlow(byte* d, int n, bool prefixOnly, int xLen, DeflateSuffixPlan? plan)
        {
            int s = Strstart;
            int baseW = Base;
            int off = Off;
            int* head = Head;
            int* prev = Prev;
            int* prev2 = Prev2;
            int* lf = LFreq;
            int* df = DFreq;
            int ml = MatchLength;
            int ms = MatchStart;
            bool avail = MatchAvailable;
            int lazy = _lazy;

            while (true)
            {
                if (plan == null) baseW = SlideWindow(s, n, baseW); // a plan run stays in one window
                int la = n - s;
                if (la < MinLookahead)
                {
                    if (prefixOnly)
                    {
                        Strstart = s; Base = baseW; MatchLength = ml; MatchStart = ms; MatchAvailable = avail;
                        return false;
                    }
                    if (la == 0) break;
                }

                int hashHead = 0;
                int xHead = 0;
                int h = 0;
                if (la >= MinMatch)
                {
                    h = Hash(d + s);
                    if (s < xLen)
                    {
                        hashHead = plan != null && s < _tailTo
                            ? _tailArr[s - _tailFrom]
                            : Insert(head, prev, prev2, h, s, off) - off;
                    }
                    else
                    {
                        // A position of y: the chain's most recent entry is in y if the plan has one, else in x.
                        int q = plan!.LastY[s - xLen];
                        xHead = head[h];
                        hashHead = q >= 0 ? xLen + q : xHead - off;
                    }
                }

                int prevLength = ml;
                int prevMatch = ms;
                ml = MinMatch - 1;

                if (hashHead > baseW && prevLength < lazy && s - hashHead <= MaxDist)
                {
                    int newStart;
                    if (s >= xLen) ml = PlanMatch(d, s, la, xLen, plan!, xHead, prevLength, out newStart);
                    else if (plan != null) ml = TailMatch(d, s, la, xLen, hashHead + off, prevLength, out newStart);
                    else ml = LongestMatch(d, s, la, hashHead + off, prevLength, baseW, out newStart);
                    ms = newStart;
                    if (ml == MinMatch && s - ms > TooFar) ml = MinMatch - 1;
                }

                if (prevLength >= MinMatch && ml <= prevLength)
                {
                    int maxInsert = s + la - MinMatch;
                    TallyMatch(lf, df, prevLength, s - 1 - prevMatch);

                    int last = s + prevLength - 2; // last position covered by the match
                    int insEnd = last < maxInsert ? last : maxInsert;
                    if (insEnd > xLen - 1) insEnd = xLen - 1; // positions of y are never inserted
                    // In a plan run, x's tail before _tailTo is in the tables already.
                    InsertRun(d, plan != null && s + 1 < _tailTo ? _tailTo : s + 1, insEnd, head, prev, prev2, off);
                    s = last + 1;
                    avail = false;
                    ml = MinMatch - 1;
                    if (++SymCount == SymEnd) FlushBlock(s, baseW, false);
                }
                else if (avail)
                {
                    lf[d[s - 1]]++;
                    if (++SymCount == SymEnd) FlushBlock(s, baseW, false);
                    s++;
                }
                else
                {
                    avail = true;
                    s++;
                }
            }

            if (avail)
            {
                lf[d[s - 1]]++;
                SymCount++;
                avail = false;
            }
            Strstart = s; Base = baseW; MatchLength = ml; MatchStart = ms; MatchAvailable = avail;
            FlushBlock(s, baseW, true);
            return true;
        }

        // longest_match at a position of y: the y part of the chain from the plan, then the x part
        // (head slot xHead, which holds only x positions) with what is left of the budget.
        private int PlanMatch(byte* d, int s, int la, int xLen, DeflateSuffixPlan plan, int xHead, int prevLength, out int matchStart)
        {
            matchStart = 0;
            if (prevLength >= la) return la;
            int p = s - xLen;
            int budget = _chain;
            int r;
            if (prevLength >= _good) { budget >>= 2; r = plan.QuarterY[p]; }
            else r = plan.FullY[p];
            int best = prevLength;
            int yLen = r & ((1 << DeflateSuffixPlan.LenBits) - 1);
            if (yLen > best)
            {
                best = yLen;
                matchStart = xLen + (r >> DeflateSuffixPlan.PosShift);
            }
            if ((r & DeflateSuffixPlan.StopBit) != 0) return best;
            int left = budget - plan.CountY[p];
            if (left <= 0 || xHead <= Off) return best;
            if (!XMayBeat(d, s, xLen, xHead, best, out int stopAt)) return best;
            int xl = LongestMatch(d, s, la, xHead, best, left, stopAt, out int xStart);
            if (xl > best)
            {
                best = xl;
                matchStart = xStart;
            }
            return best;
        }

        // longest_match at a position of x's tail in a plan run (one window, no slide): the outcome
        // worked out by PrepareTail when y cannot change it; else a walk, where with a pending match
        // the prefix filter can rule out the candidates whose bytes lie inside x.
        private int TailMatch(byte* d, int s, int la, int xLen, int cur, int prevLength, out int matchStart)
        {
            if (s < _tailTo)
            {
                if (prevLength >= la)
                {
                    matchStart = 0;
                    return la;
                }
                int r = _tailArr[(prevLength >= _good ? 2 * TailCapacity : TailCapacity) + s - _tailFrom];
                if ((r & TailValid) != 0)
                {
                    int len = r & (TailValid - 1);
                    if (len > prevLength)
                    {
                        matchStart = r >> 10;
                        return len;
                    }
                    matchStart = 0;
                    return prevLength;
                }
            }
            if (prevLength >= la || !XMayBeat(d, s, xLen, cur, prevLength, out int stopAt))
            {
                // LongestMatch gives the same for these, without a walk.
                matchStart = 0;
                return prevLength >= la ? la : prevLength;
            }
            return LongestMatch(d, s, la, cur, prevLength, prevLength >= _good ? _chain >> 2 : _chain, stopAt, out matchStart);
        }

        // Whether a candidate of x on the chain from `cur` (stored value) could beat a match of `best`
        // at s; `stopAt` is then the chain limit to walk with (0: none). A candidate needs best + 1
        // equal bytes: when x lacks the first or last strings of y[s .. s+best+1), none whose bytes
        // lie inside x can win, and only those in x's last best + 1 bytes (compared into y), which
        // come first on the chain, are left. Needs best < the lookahead; best below 3 is not filtered.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private bool XMayBeat(byte* d, int s, int xLen, int cur, int best, out int stopAt)
        {
            stopAt = 0;
            if (best < MinMatch || _grams!.MayContain(d + s, best + 1)) return true;
            stopAt = xLen - best - 1;
            return cur - Off > stopAt;
        }

        /// <summary>
        /// zlib's longest_match: walks the hash chain from the stored value <paramref name="cur"/> (position + Off) and returns
        /// the best length (capped at the lookahead), setting <paramref name="matchStart"/> to
        /// the first candidate reaching it. Only a candidate whose bytes at best_len-1 and
        /// best_len and whose first two bytes agree is compared; the third byte is taken as
        /// equal (it is implied by the hash), and comparison runs from the fourth byte.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private int LongestMatch(byte* d, int s, int la, int cur, int prevLength, int baseW, out int matchStart)
            => LongestMatch(d, s, la, cur, prevLength, prevLength >= _good ? _chain >> 2 : _chain, baseW, out matchStart);

        [MethodImpl(MethodImplOptions.AggressiveOptimization | MethodImplOptions.NoInlining)]
        private int LongestMatch(byte* d, int s, int la, int cur, int prevLength, int chain, int baseW, out int matchStart)
        {
            matchStart = 0;
            int nice = _nice;
            if (nice > la) nice = la;
            int best = prevLength;
            // Any result is then capped to la and ml <= prev_length: the caller's choice
            // does not depend on which candidate zlib would have picked.
            if (best >= la) return la;

            int limit = s - MaxDist;
            if (limit < baseW) limit = baseW;
            int off = Off;
            int limitV = limit + off; // candidates are stored values v > limitV
            byte* dm = d - off;        // candidate bytes at dm + v
            int* prev = Prev;
            int* prev2 = Prev2;
            byte* scan = d + s;
            int maxLen = la < MaxMatch ? la : MaxMatch;
            int cmpMax = maxLen - 3;
            uint scan01 = *(ushort*)scan;
            uint scanEnd = *(ushort*)(scan + best - 1); // bytes best-1 and best

            int nxt = prev[cur & WMask]; // chain entry after cur
            do
            {
                int nxt2 = prev2[cur & WMask]; // entry after nxt (valid whenever nxt > limitV)
                byte* m = dm + cur;
                if (((*(ushort*)(m + best - 1) ^ scanEnd) | (*(ushort*)m ^ scan01)) != 0) goto next;

                int i = 0;
                byte* a = scan + 3;
                byte* b = m + 3;
                while (true)
                {
                    ulong x = *(ulong*)(a + i) ^ *(ulong*)(b + i);
                    if (x != 0)
                    {
                        i += BitOperations.TrailingZeroCount(x) >> 3;
                        break;
                    }
                    i += 8;
                    if (i >= cmpMax) break;
                }
                if (i > cmpMax) i = cmpMax;
                int len = i + 3;

                if (len > best)
                {
                    matchStart = cur - off;
                    best = len;
                    if (len >= nice) break;
                    scanEnd = *(ushort*)(scan + best - 1);
                }
            next:
                cur = nxt;
                nxt = nxt2;
            } while (cur > limitV && --chain != 0);

            return best;
        }
    }
}
