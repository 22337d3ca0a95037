// Static tables of RFC 1951 (length/distance codes, extra bits, fixed Huffman code lengths)
// and the zlib 1.2.13 deflate parameters that the length calculator reproduces.
using System.Numerics;
using System.Runtime.CompilerServices;

namespace ZipFit.Core.Compression.Deflate
{
    internal static class DeflateTables
    {
        public const int Literals = 256;
        public const int EndBlock = 256;
        public const int LengthCodes = 29;
        public const int LCodes = Literals + 1 + LengthCodes; // 286
        public const int DCodes = 30;
        public const int BlCodes = 19;
        public const int HeapSize = 2 * LCodes + 1; // 573
        public const int MaxBits = 15;
        public const int MaxBlBits = 7;

        /// <summary>Extra bits per length code 257..285 (index code-257).</summary>
        public static readonly byte[] ExtraLBits =
            { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0 };

        /// <summary>Extra bits per distance code 0..29.</summary>
        public static readonly byte[] ExtraDBits =
            { 0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13 };

        /// <summary>Extra bits per code-length code 0..18.</summary>
        public static readonly byte[] ExtraBlBits =
            { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 7 };

        /// <summary>Order in which code-length code lengths are transmitted (RFC 1951 3.2.7).</summary>
        public static readonly byte[] BlOrder =
            { 16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15 };

        /// <summary>Fixed literal/length code lengths (RFC 1951 3.2.6), 288 entries.</summary>
        public static readonly byte[] StaticLLen = BuildStaticLLen();

        /// <summary>Fixed distance code lengths: all 5.</summary>
        public static readonly byte[] StaticDLen = BuildStaticDLen();

        /// <summary>Maps (match length - 3), 0..255, to length code index 0..28 (code = 257 + index).</summary>
        public static readonly byte[] LengthCode = BuildLengthCode();

        private static byte[] BuildStaticLLen()
        {
            var t = new byte[288];
            for (int i = 0; i < 288; i++)
                t[i] = (byte)(i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8);
            return t;
        }

        private static byte[] BuildStaticDLen()
        {
            var t = new byte[DCodes];
            for (int i = 0; i < DCodes; i++) t[i] = 5;
            return t;
        }

        private static byte[] BuildLengthCode()
        {
            var t = new byte[256];
            int len = 0;
            for (int code = 0; code < LengthCodes - 1; code++)
            {
                for (int k = 0; k < (1 << ExtraLBits[code]); k++) t[len++] = (byte)code;
            }
            // Length 258 (index 255) has its own code 285 with no extra bits,
            // so it overrides the last slot of code 284.
            t[255] = (byte)(LengthCodes - 1);
            return t;
        }

        /// <summary>Distance code for a zero-based distance (distance - 1), 0..32767.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static int DistCode(int dist0)
        {
            if (dist0 < 4) return dist0;
            int b = BitOperations.Log2((uint)dist0);
            return 2 * b + ((dist0 >> (b - 1)) & 1);
        }
    }

    /// <summary>zlib 1.2.13 configuration_table entry.</summary>
    internal readonly struct LevelConfig
    {
        public readonly int GoodLength, MaxLazy, NiceLength, MaxChain;
        public readonly bool Slow;

        public LevelConfig(int good, int lazy, int nice, int chain, bool slow)
        {
            GoodLength = good; MaxLazy = lazy; NiceLength = nice; MaxChain = chain; Slow = slow;
        }

        public static LevelConfig For(int level) => level switch
        {
            1 => new LevelConfig(4, 4, 8, 4, false),
            2 => new LevelConfig(4, 5, 16, 8, false),
            3 => new LevelConfig(4, 6, 32, 32, false),
            4 => new LevelConfig(4, 4, 16, 16, true),
            5 => new LevelConfig(8, 16, 32, 32, true),
            6 => new LevelConfig(8, 16, 128, 128, true),
            7 => new LevelConfig(8, 32, 128, 256, true),
            8 => new LevelConfig(32, 128, 258, 1024, true),
            9 => new LevelConfig(32, 258, 258, 4096, true),
            _ => throw new System.ArgumentOutOfRangeException(nameof(level), level, "level must be 1..9"),
        };
    }
}
