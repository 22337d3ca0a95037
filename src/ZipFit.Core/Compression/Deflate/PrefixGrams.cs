// A filter of the byte strings of a prefix x: which 4-, 8- and 16-byte strings occur in x (as
// hashed bitsets, so "may contain" can be wrong only towards yes).
//
// At a search inside y, a candidate of x replaces y's best match of length b only with at least
// b + 1 equal bytes, so x must contain the string y[s .. s+b+1), and with it every string inside
// it, in particular its first and last k bytes. When either is not in x, no candidate of x whose
// b + 1 bytes lie inside x can win. Candidates in x's last b + 1 bytes compare into y's bytes and
// are not covered; they are the most recent, so the caller walks them first and stops there
// (DeflateEngine.XMayBeat).
using System;
using System.Runtime.CompilerServices;

namespace ZipFit.Core.Compression.Deflate
{
    internal sealed unsafe class PrefixGrams
    {
        private const int Bits = 15;
        private const int Words = (1 << Bits) / 64;

        private readonly ulong[] _sets = GC.AllocateArray<ulong>(3 * Words, pinned: true);
        private readonly ulong* _g4, _g8, _g16;

        public PrefixGrams()
        {
            _g4 = (ulong*)Unsafe.AsPointer(ref _sets[0]);
            _g8 = _g4 + Words;
            _g16 = _g8 + Words;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static uint Hash4(byte* p) => (*(uint*)p * 0x9E3779B1u) >> (32 - Bits);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static uint Hash8(byte* p) => (uint)((*(ulong*)p * 0x9E3779B97F4A7C15ul) >> (64 - Bits));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static uint Hash16(byte* p)
        {
            ulong v = *(ulong*)p * 0x9E3779B97F4A7C15ul ^ *(ulong*)(p + 8) * 0xC2B2AE3D27D4EB4Ful;
            return (uint)((v * 0x165667B19E3779F9ul) >> (64 - Bits));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Set(ulong* set, uint h) => set[h >> 6] |= 1ul << (int)(h & 63);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool Has(ulong* set, uint h) => (set[h >> 6] & (1ul << (int)(h & 63))) != 0;

        public void Build(byte* x, int n)
        {
            new Span<ulong>(_g4, 3 * Words).Clear();
            for (int p = 0; p + 4 <= n; p++) Set(_g4, Hash4(x + p));
            for (int p = 0; p + 8 <= n; p++) Set(_g8, Hash8(x + p));
            for (int p = 0; p + 16 <= n; p++) Set(_g16, Hash16(x + p));
        }

        /// <summary>False only when the first or the last k bytes of s[0..len) (k = 16, 8 or 4, the largest not above len) occur nowhere in x.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool MayContain(byte* s, int len)
        {
            if (len >= 16) return Has(_g16, Hash16(s + len - 16)) && Has(_g16, Hash16(s));
            if (len >= 8) return Has(_g8, Hash8(s + len - 8)) && Has(_g8, Hash8(s));
            return Has(_g4, Hash4(s + len - 4)) && Has(_g4, Hash4(s));
        }
    }
}
