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
        // order produced by the construction (zlib's heap[heap_max..]), parents and leaf
        // frequencies; one length array per tree (lit/len, dist, code-length).
        private readonly long* _heap;
        private readonly int* _order;
        private readonly int* _dad;
        private readonly int* _freq;
        private readonly int* _blCount;
        private readonly int* _lLen;
        private readonly int* _dLen;
        private readonly int* _bLen;
        private readonly int* _blFreq;
        private readonly byte* _staticL;
        private readonly byte* _staticD;
        private readonly byte* _extraL;
        private readonly byte* _extraD;
        private readonly byte* _extraB;
        private readonly byte* _blOrder;
        private readonly byte[] _pinnedBytes;
        private readonly long[] _pinnedLongs;
        private readonly int[] _pinnedInts;

        private long _optLen;
        private long _staticLen;

        public BlockCoster()
        {
            _pinnedLongs = GC.AllocateArray<long>(HeapSize + 1, pinned: true);
            _heap = (long*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref _pinnedLongs[0]);
            int lenSize = HeapSize + 2;
            _pinnedInts = GC.AllocateArray<int>(HeapSize * 3 + 16 + lenSize * 3 + 32, pinned: true);
            int* pi = (int*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref _pinnedInts[0]);
            _order = pi; pi += HeapSize;
            _dad = pi; pi += HeapSize;
            _freq = pi; pi += HeapSize;
            _blCount = pi; pi += 16;
            _lLen = pi; pi += lenSize;
            _dLen = pi; pi += lenSize;
            _bLen = pi; pi += lenSize;
            _blFreq = pi;
            _pinnedBytes = GC.AllocateArray<byte>(288 + 32 + 32 + 32 + 32 + 32, pinned: true);
            byte* pb = (byte*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref _pinnedBytes[0]);
            _staticL = pb; pb += 288;
            _staticD = pb; pb += 32;
            _extraL = pb; pb += 32;
            _extraD = pb; pb += 32;
            _extraB = pb; pb += 32;
            _blOrder = pb;
            for (int i = 0; i < 288; i++) _staticL[i] = DeflateTables.StaticLLen[i];
            for (int i = 0; i < DeflateTables.DCodes; i++) _staticD[i] = DeflateTables.StaticDLen[i];
            for (int i = 0; i < DeflateTables.ExtraLBits.Length; i++) _extraL[i] = DeflateTables.ExtraLBits[i];
            for (int i = 0; i < DeflateTables.ExtraDBits.Length; i++) _extraD[i] = DeflateTables.ExtraDBits[i];
            for (int i = 0; i < DeflateTables.ExtraBlBits.Length; i++) _extraB[i] = DeflateTables.ExtraBlBits[i];
            for (int i = 0; i < DeflateTables.BlOrder.Length; i++) _blOrder[i] = DeflateTables.BlOrder[i];
        }

        /// <summary>
        /// Adds the bits of one flushed block to <paramref name="bits"/> (the running bit
        /// position of the output) and aligns to a byte when <paramref name="last"/>.
        /// The frequency arrays are read and not modified.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        public long BlockBits(int* lFreq, int* dFreq, long bits, long storedLen, bool bufAvailable, bool last)
        {
            _optLen = 0;
            _staticLen = 0;

            int lMax = BuildTree(lFreq, DeflateTables.LCodes, _lLen, _staticL, _extraL, DeflateTables.Literals + 1, DeflateTables.MaxBits);
            int dMax = BuildTree(dFreq, DeflateTables.DCodes, _dLen, _staticD, _extraD, 0, DeflateTables.MaxBits);

            // Code-length tree.
            int* blFreq = _blFreq;
            for (int i = 0; i < DeflateTables.BlCodes; i++) blFreq[i] = 0;
            ScanTree(_lLen, lMax);
            ScanTree(_dLen, dMax);
            BuildTree(blFreq, DeflateTables.BlCodes, _bLen, null, _extraB, 0, DeflateTables.MaxBlBits);
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
        private int BuildTree(int* srcFreq, int elems, int* len, byte* staticLens, byte* extra, int extraBase, int maxLength)
        {
            long* heap = _heap;
            int* order = _order, dad = _dad, freq = _freq;
            int heapLen = 0;
            int heapMax = HeapSize;
            int maxCode = -1;

            for (int n = 0; n < elems; n++)
            {
                int f = srcFreq[n];
                freq[n] = f;
                if (f != 0)
                {
                    heap[++heapLen] = ((long)f << 18) | (long)n;
                    maxCode = n;
                }
                else
                {
                    len[n] = 0;
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

            GenBitLengths(len, heapMax, maxCode, staticLens, extra, extraBase, maxLength);
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
                long d = (heap[j] >> 10) - (heap[j + 1] >> 10);
                j += 1 - (int)((ulong)d >> 63); // right child if key(j+1) <= key(j)
                long hj = heap[j];
                if (vk <= (hj >> 10)) break;
                heap[k] = hj;
                k = j;
                j <<= 1;
            }
            heap[k] = v;
        }

        private void GenBitLengths(int* len, int heapMax, int maxCode, byte* staticLens, byte* extra, int extraBase, int maxLength)
        {
            int* order = _order, freq = _freq, dad = _dad, blCount = _blCount;
            for (int b = 0; b <= DeflateTables.MaxBits; b++) blCount[b] = 0;

            len[order[heapMax]] = 0; // root
            int overflow = 0;
            int h;
            long opt = 0, stat = 0;
            for (h = heapMax + 1; h < HeapSize; h++)
            {
                int n = order[h];
                int bits = len[dad[n]] + 1;
                if (bits > maxLength) { bits = maxLength; overflow++; }
                len[n] = bits;
                if (n > maxCode) continue; // internal node
                blCount[bits]++;
                int xbits = n >= extraBase ? extra[n - extraBase] : 0;
                long f = freq[n];
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
        private void ScanTree(int* len, int maxCode)
        {
            int* bl = _blFreq;
            int prevLen = -1;
            int nextLen = len[0];
            int count = 0;
            int maxCount = 7, minCount = 4;
            if (nextLen == 0) { maxCount = 138; minCount = 3; }
            len[maxCode + 1] = 0xFFFF; // guard

            for (int n = 0; n <= maxCode; n++)
            {
                int curLen = nextLen;
                nextLen = len[n + 1];
                if (++count < maxCount && curLen == nextLen)
                {
                    continue;
                }
                else if (count < minCount)
                {
                    bl[curLen] += count;
                }
                else if (curLen != 0)
                {
                    if (curLen != prevLen) bl[curLen]++;
                    bl[16]++;
                }
                else if (count <= 10)
                {
                    bl[17]++;
                }
                else
                {
                    bl[18]++;
                }
                count = 0;
                prevLen = curLen;
                if (nextLen == 0) { maxCount = 138; minCount = 3; }
                else if (curLen == nextLen) { maxCount = 6; minCount = 3; }
                else { maxCount = 7; minCount = 4; }
            }
        }
    }
}
