// Computes the exact number of bits zlib 1.2.13 emits for one deflate block, given the
// literal/length and distance symbol frequencies: it reproduces zlib's Huffman construction
// (heap with depth tie-break, length limiting by the overflow redistribution over the heap
// order), the code-length-code run-length scan, and the stored/fixed/dynamic block choice.
using System;

namespace ZipFit.Core.Compression.Deflate
{
    internal sealed unsafe class BlockCoster
    {
        private const int HeapSize = DeflateTables.HeapSize;

        // Pinned scratch: heap of packed nodes (freq << 18 | depth << 10 | node), the node
        // order produced by the construction (zlib's heap[heap_max..]), parents; per tree (lit/len,
        // dist, code-length) the lengths and a copy of the leaf frequencies whose entries for
        // internal nodes stay 0; per node id the extra bits and the fixed code's lengths (0 past
        // the symbols), so that the length pass needs no branch on leaf or internal node.
        private readonly long* _heap;
        private readonly int* _order;
        private readonly int* _dad;
        private readonly int* _blCount;
        private readonly int* _lLen, _dLen, _bLen;
        private readonly int* _freqL, _freqD, _freqB;
        private readonly int* _blFreq;
        private readonly byte* _extraL, _extraD, _extraB;
        private readonly byte* _staticL, _staticD;
        private readonly byte* _blOrder;
        private readonly long[] _pinnedLongs;
        private readonly int[] _pinnedInts;
        private readonly byte[] _pinnedBytes;

        private long _optLen;
        private long _staticLen;

        public BlockCoster()
        {
            const int Node = HeapSize + 8; // room for a vector read past the last symbol
            _pinnedLongs = GC.AllocateArray<long>(HeapSize + 1, pinned: true);
            _heap = (long*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref _pinnedLongs[0]);
            _pinnedInts = GC.AllocateArray<int>(2 * HeapSize + 32 + 6 * Node + 32, pinned: true);
            int* pi = (int*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref _pinnedInts[0]);
            _order = pi; pi += HeapSize;
            _dad = pi; pi += HeapSize;
            _blCount = pi; pi += 32;
            _lLen = pi; pi += Node;
            _dLen = pi; pi += Node;
            _bLen = pi; pi += Node;
            _freqL = pi; pi += Node;
            _freqD = pi; pi += Node;
            _freqB = pi; pi += Node;
            _blFreq = pi;
            _pinnedBytes = GC.AllocateArray<byte>(5 * Node + 32, pinned: true);
            byte* pb = (byte*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref _pinnedBytes[0]);
            _extraL = pb; pb += Node;
            _extraD = pb; pb += Node;
            _extraB = pb; pb += Node;
            _staticL = pb; pb += Node;
            _staticD = pb; pb += Node;
            _blOrder = pb;
            for (int i = 0; i < DeflateTables.ExtraLBits.Length; i++) _extraL[DeflateTables.Literals + 1 + i] = DeflateTables.ExtraLBits[i];
            for (int i = 0; i < DeflateTables.ExtraDBits.Length; i++) _extraD[i] = DeflateTables.ExtraDBits[i];
            for (int i = 0; i < DeflateTables.ExtraBlBits.Length; i++) _extraB[i] = DeflateTables.ExtraBlBits[i];
            for (int i = 0; i < DeflateTables.LCodes; i++) _staticL[i] = DeflateTables.StaticLLen[i];
            for (int i = 0; i < DeflateTables.DCodes; i++) _staticD[i] = DeflateTables.StaticDLen[i];
            for (int i = 0; i < DeflateTables.BlOrder.Length; i++) _blOrder[i] = DeflateTables.BlOrder[i];
        }

        /// <summary>
        /// Adds the bits of one flushed block to <paramref name="bits"/> (the running bit
        /// position of the output) and aligns to a byte when <paramref name="last"/>.
        /// The frequency arrays are read and not modified; they must be readable for a whole
        /// vector of 8 past the last symbol (LCodes + 2 and DCodes + 2 entries).
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        public long BlockBits(int* lFreq, int* dFreq, long bits, long storedLen, bool bufAvailable, bool last)
        {
            _optLen = 0;
            _staticLen = 0;

            int lMax = BuildTree(lFreq, DeflateTables.LCodes, _lLen, _freqL, _staticL, _extraL, DeflateTables.MaxBits);
            int dMax = BuildTree(dFreq, DeflateTables.DCodes, _dLen, _freqD, _staticD, _extraD, DeflateTables.MaxBits);

            // Code-length tree.
            int* blFreq = _blFreq;
            for (int i = 0; i < DeflateTables.BlCodes; i++) blFreq[i] = 0;
            ScanTree(_lLen, lMax);
            ScanTree(_dLen, dMax);
            BuildTree(blFreq, DeflateTables.BlCodes, _bLen, _freqB, null, _extraB, DeflateTables.MaxBlBits);
            int maxBlIndex;
            for (maxBlIndex = DeflateTables.BlCodes - 1; maxBlIndex >= 3; maxBlIndex--)
            {
                if (_bLen[_blOrder[maxBlIndex]] != 0) break;
            }
            _optLen += 3L * (maxBlIndex + 1) + 5 + 5 + 4;

            long optLenB = (_optLen + 3 + 7) >> 3;
            long staticLenB = (_staticLen + 3 + 7) >> 3;
            if (staticLenB <= optLenB) optLenB = staticLenB;

            if (storedLen + 4 <= optLenB && bufAvailable)
            {
                // 3 header bits, pad to byte, LEN and NLEN, then the raw bytes.
                bits = ((bits + 3 + 7) & ~7L) + 32 + 8 * storedLen;
            }
            else if (staticLenB == optLenB)
            {
                bits += 3 + _staticLen;
            }
            else
            {
                bits += 3 + _optLen;
            }
            if (last) bits = (bits + 7) & ~7L;
            return bits;
        }

        /// <summary>
        /// Builds a length-limited Huffman tree exactly as zlib does and accumulates the
        /// dynamic (and, when <paramref name="staticLens"/> is given, fixed) cost of the
        /// symbols into _optLen/_staticLen. Returns the largest code with nonzero frequency
        /// (after zlib's "at least two codes" padding).
        /// Heap entries pack (freq, depth, node) so that zlib's smaller(n, m) — freq[n] &lt;
        /// freq[m] or equal freq and depth[n] &lt;= depth[m] — is (key n) &lt;= (key m) on the
        /// bits above the node id.
        /// </summary>
        private int BuildTree(int* srcFreq, int elems, int* len, int* freq, byte* staticLens, byte* extra, int maxLength)
        {
            long* heap = _heap;
            int* order = _order, dad = _dad;
            int heapLen = 0;
            int heapMax = HeapSize;
            int maxCode = -1;

            new ReadOnlySpan<int>(srcFreq, elems).CopyTo(new Span<int>(freq, elems));
            new Span<int>(len, elems).Clear();
            // Symbols with a nonzero frequency, in order, eight at a time (the frequency arrays have
            // room for a whole last vector; lanes past elems are masked off).
            for (int n = 0; n < elems; n += 8)
            {
                var v = System.Runtime.Intrinsics.Vector256.Load(srcFreq + n);
                uint mask = ~System.Runtime.Intrinsics.Vector256.ExtractMostSignificantBits(System.Runtime.Intrinsics.Vector256.Equals(v, System.Runtime.Intrinsics.Vector256<int>.Zero)) & 0xFFu;
                if (elems - n < 8) mask &= (1u << (elems - n)) - 1;
                while (mask != 0)
                {
                    int i = n + System.Numerics.BitOperations.TrailingZeroCount(mask);
                    heap[++heapLen] = ((long)srcFreq[i] << 18) | (long)i;
                    maxCode = i;
                    mask &= mask - 1;
                }
            }

            // A valid code needs at least two symbols: give zero-frequency symbols weight 1.
            while (heapLen < 2)
            {
                int node = maxCode < 2 ? ++maxCode : 0;
                heap[++heapLen] = (1L << 18) | (long)node;
                freq[node] = 1;
                _optLen--;
                if (staticLens != null) _staticLen -= staticLens[node];
            }

            heap[heapLen + 1] = long.MaxValue;
            for (int k = heapLen / 2; k >= 1; k--) DownHeap(heap, heapLen, k);

            int next = elems;
            do
            {
                long n = heap[1];
                heap[1] = heap[heapLen];
                heap[heapLen--] = long.MaxValue;
                DownHeap(heap, heapLen, 1);
                long m = heap[1];
                int ni = (int)(n & 1023), mi = (int)(m & 1023);

                order[--heapMax] = ni;
                order[--heapMax] = mi;

                long f = (n >> 18) + (m >> 18);
                long dn = (n >> 10) & 0xFF, dm = (m >> 10) & 0xFF;
                long dep = ((dn >= dm ? dn : dm) + 1) & 0xFF;
                dad[ni] = next;
                dad[mi] = next;
                heap[1] = (f << 18) | (dep << 10) | (long)next;
                next++;
                DownHeap(heap, heapLen, 1);
            } while (heapLen >= 2);

            order[--heapMax] = (int)(heap[1] & 1023);

            GenBitLengths(len, heapMax, maxCode, freq, staticLens, extra, maxLength);
            return maxCode;
        }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        private static void DownHeap(long* heap, int heapLen, int k)
        {
            // heap[heapLen + 1] holds long.MaxValue (sentinel), so the right child test
            // needs no bounds branch: a missing right child is never "smaller".
            long v = heap[k];
            long vk = v >> 10;
            int j = k << 1;
            while (j <= heapLen)
            {
                long a = heap[j], b = heap[j + 1];
                long d = (a >> 10) - (b >> 10);
                long sel = ~(d >> 63); // all ones: right child (key(j+1) <= key(j))
                long hj = a ^ ((a ^ b) & sel);
                j += (int)(sel & 1);
                if (vk <= (hj >> 10)) break;
                heap[k] = hj;
                k = j;
                j <<= 1;
            }
            heap[k] = v;
        }

        private void GenBitLengths(int* len, int heapMax, int maxCode, int* freq, byte* staticLens, byte* extra, int maxLength)
        {
            int* order = _order, dad = _dad, blCount = _blCount;
            for (int b = 0; b < 32; b++) blCount[b] = 0;

            len[order[heapMax]] = 0; // root
            int overflow = 0;
            int h;
            long opt = 0, stat = 0;
            // Without a branch on leaf or internal node: internal nodes have frequency 0 in freq[]
            // (so they add no cost) and are counted in blCount[16 + bits], which is not used.
            for (h = heapMax + 1; h < HeapSize; h++)
            {
                int n = order[h];
                int bits = len[dad[n]] + 1;
                if (bits > maxLength) { bits = maxLength; overflow++; }
                len[n] = bits;
                blCount[bits + ((maxCode - n) >>> 31 << 4)]++;
                long f = freq[n];
                int xbits = extra[n];
                opt += f * (bits + xbits);
                if (staticLens != null) stat += f * (staticLens[n] + xbits);
            }
            _optLen += opt;
            _staticLen += stat;
            if (overflow == 0) return;

            // Move overflowed leaves up: take a leaf from the deepest non-full level below
            // maxLength, replace it by an internal node with two children one level deeper.
            do
            {
                int bits = maxLength - 1;
                while (blCount[bits] == 0) bits--;
                blCount[bits]--;
                blCount[bits + 1] += 2;
                blCount[maxLength]--;
                overflow -= 2;
            } while (overflow > 0);

            // Reassign lengths walking the construction order from the least frequent end.
            for (int bits = maxLength; bits != 0; bits--)
            {
                int n = blCount[bits];
                while (n != 0)
                {
                    int m = order[--h];
                    if (m > maxCode) continue;
                    if (len[m] != bits)
                    {
                        _optLen += ((long)bits - len[m]) * freq[m];
                        len[m] = bits;
                    }
                    n--;
                }
            }
        }

        /// <summary>Counts the code-length codes needed to send the lengths len[0..maxCode].</summary>
        /// <remarks>
        /// zlib's scan_tree goes symbol by symbol; this goes run by run (a run: equal lengths), found
        /// eight symbols at a time. zlib cuts a run of zeros into pieces of up to 138 (REPZ_11_138
        /// for 11 or more, REPZ_3_10 for 3 to 10, single zeros below 3); a run of a nonzero length
        /// into a first piece of up to 7 (the length itself, then REP_3_6 for the other 3 to 6, or
        /// single lengths below 4) and further pieces of up to 6 (REP_3_6, or single lengths below 3).
        /// </remarks>
        private void ScanTree(int* len, int maxCode)
        {
            int* bl = _blFreq;
            len[maxCode + 1] = 0xFFFF; // guard: a run always ends at maxCode
            int start = 0;
            for (int n = 0; n <= maxCode; n += 8)
            {
                var a = System.Runtime.Intrinsics.Vector256.Load(len + n);
                var b = System.Runtime.Intrinsics.Vector256.Load(len + n + 1);
                uint ends = ~System.Runtime.Intrinsics.Vector256.ExtractMostSignificantBits(System.Runtime.Intrinsics.Vector256.Equals(a, b)) & 0xFFu;
                while (ends != 0)
                {
                    int e = n + System.Numerics.BitOperations.TrailingZeroCount(ends);
                    ends &= ends - 1;
                    if (e > maxCode) break;
                    int v = len[e];
                    int c = e - start + 1;
                    start = e + 1;
                    if (v == 0)
                    {
                        bl[18] += c / 138;
                        int r = c % 138;
                        if (r >= 11) bl[18]++;
                        else if (r >= 3) bl[17]++;
                        else bl[0] += r;
                    }
                    else
                    {
                        if (c < 4)
                        {
                            bl[v] += c;
                            continue;
                        }
                        bl[v]++;
                        int rest = c - 7;
                        if (rest <= 0)
                        {
                            bl[16]++;
                            continue;
                        }
                        bl[16] += 1 + rest / 6;
                        int r = rest % 6;
                        if (r >= 3) bl[16]++;
                        else bl[v] += r;
                    }
                }
            }
        }
    }
}
