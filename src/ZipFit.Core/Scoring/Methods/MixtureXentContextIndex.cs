using System.Numerics;
using System.Runtime.CompilerServices;

namespace ZipFit.Core.Scoring.Methods;

public sealed partial class MixtureXentMethod
{
    /// <summary>
    /// The seen trigrams of the order-2 model by their two-byte context, for the scorer: one 64-byte entry per context
    /// (a 256-bit set of the bytes seen after it, and the first row of each 64-bit word of that set), with the trigram
    /// rows laid out in key order, so a trigram's row is its word's first row plus the seen bytes below it in the word.
    /// Looking a byte up reads its context's entry, which code's few frequent contexts keep in cache, where the hash
    /// table's probes land anywhere in megabytes. Same rows, found for the same trigrams: the sums do not change.
    /// </summary>
    internal sealed class ContextIndex
    {
        private const int EntryLongs = 8; // 4 bit words, 4 first rows (as 32-bit halves of 2 longs), 2 longs unused
        private readonly ulong[] _entries; // pinned, so that the 64-byte alignment of _start holds
        private readonly int _start;

        /// <param name="keyOfId">The trigram key (c2 &lt;&lt; 16 | c1 &lt;&lt; 8 | b) of every row id.</param>
        /// <param name="rowOfId">Filled with each id's row in key order.</param>
        public ContextIndex(int[] keyOfId, int[] rowOfId)
        {
            _entries = GC.AllocateArray<ulong>(65536 * EntryLongs + 8, pinned: true);
            unsafe
            {
                long address = (long)Unsafe.AsPointer(ref _entries[0]);
                _start = (int)(((64 - (address & 63)) & 63) / sizeof(ulong));
            }
            var idsByKey = new int[keyOfId.Length];
            for (int i = 0; i < idsByKey.Length; i++) idsByKey[i] = i;
            var keys = (int[])keyOfId.Clone();
            Array.Sort(keys, idsByKey);
            for (int row = 0; row < idsByKey.Length; row++)
            {
                rowOfId[idsByKey[row]] = row;
                int key = keys[row], context = key >> 8, b = key & 0xFF;
                _entries[_start + context * EntryLongs + (b >> 6)] |= 1UL << b;
            }
            int next = 0;
            for (int context = 0; context < 65536; context++)
            {
                int e = _start + context * EntryLongs;
                for (int word = 0; word < 4; word++)
                {
                    _entries[e + 4 + (word >> 1)] |= (ulong)(uint)next << (32 * (word & 1));
                    next += BitOperations.PopCount(_entries[e + word]);
                }
            }
        }

        /// <summary>The first entry (context 0); the entry of a context is <c>context * 8</c> longs on. The array is
        /// pinned, so the pointer holds for the index's life.</summary>
        public unsafe ulong* Entries => (ulong*)Unsafe.AsPointer(ref _entries[_start]);

        /// <summary>The row of trigram (context, b), or −1 when it was not seen.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static unsafe int Row(ulong* entries, int context, int b)
        {
            ulong* e = entries + context * EntryLongs;
            ulong word = e[b >> 6];
            ulong bit = 1UL << b;
            if ((word & bit) == 0) return -1;
            int first = (int)(uint)(e[4 + (b >> 7)] >> (32 * ((b >> 6) & 1)));
            return first + BitOperations.PopCount(word & (bit - 1));
        }
    }
}
