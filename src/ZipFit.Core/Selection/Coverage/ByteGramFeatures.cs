namespace ZipFit.Core.Selection.Coverage;

/// <summary>Which grams describe an example.</summary>
internal enum GramView
{
    /// <summary>Byte 2- and 3-grams, ASCII letters folded to lower case: what the text is about and how it is written.</summary>
    Bytes,

    /// <summary>1- to 4-grams of the syntax skeleton (each run of word bytes becomes one symbol): the format alone
    /// (language, markup, layout), blind to vocabulary, which is what tells a target's modes apart.</summary>
    Skeleton,
}

/// <summary>
/// Hashed gram vectors with sublinear term frequency and inverse document frequency from a sample, L2-normalised: a
/// cheap description of what kind of text an example is, used to cluster the pool and the target. Read-only once
/// built; featurising uses the caller's scratch buffers (made by <see cref="CreateScratch"/>).
/// </summary>
internal sealed class ByteGramFeatures
{
    public const int Dimensions = 1 << 14;
    private const int Mask = Dimensions - 1;
    private readonly float[] _idf;

    private ByteGramFeatures(float[] idf, GramView view)
    {
        _idf = idf;
        View = view;
    }

    public GramView View { get; }

    public Scratch CreateScratch() => new(View);

    public static ByteGramFeatures FitIdf(IReadOnlyList<byte[]> sample, GramView view = GramView.Bytes)
    {
        var df = new int[Dimensions];
        var scratch = new Scratch(view);
        foreach (var example in sample)
        {
            int n = scratch.Count(example);
            for (int i = 0; i < n; i++) df[scratch.Dims[i]]++;
        }
        var idf = new float[Dimensions];
        for (int d = 0; d < Dimensions; d++) idf[d] = (float)(Math.Log((1.0 + sample.Count) / (1.0 + df[d])) + 1.0);
        return new ByteGramFeatures(idf, view);
    }

    /// <summary>The example's non-zero features in <paramref name="scratch"/> (dims and values); returns their number.</summary>
    public int Featurize(ReadOnlySpan<byte> utf8, Scratch scratch)
    {
        int n = scratch.Count(utf8);
        double norm = 0;
        for (int i = 0; i < n; i++)
        {
            float v = (float)(1 + Math.Log(scratch.Values[i])) * _idf[scratch.Dims[i]];
            scratch.Values[i] = v;
            norm += v * v;
        }
        if (norm > 0)
        {
            float inv = (float)(1 / Math.Sqrt(norm));
            for (int i = 0; i < n; i++) scratch.Values[i] *= inv;
        }
        return n;
    }

    /// <summary>Per-thread buffers: a dense count table and the list of touched dimensions.</summary>
    internal sealed class Scratch(GramView view)
    {
        private readonly int[] _counts = new int[Dimensions];
        public int[] Dims = new int[1024];
        public float[] Values = new float[1024];

        /// <summary>Counts the grams of <paramref name="utf8"/> into Dims/Values (raw counts), leaving the table clean.</summary>
        public int Count(ReadOnlySpan<byte> utf8)
        {
            int n = view == GramView.Skeleton ? CountSkeleton(utf8) : CountBytes(utf8);
            for (int i = 0; i < n; i++)
            {
                int d = Dims[i];
                Values[i] = _counts[d];
                _counts[d] = 0;
            }
            return n;
        }

        private int CountBytes(ReadOnlySpan<byte> utf8)
        {
            int n = 0;
            // ASCII letters fold to lower case: the kind of text matters here, not its spelling.
            uint previous = 0, current = 0;
            for (int i = 0; i < utf8.Length; i++)
            {
                uint b = utf8[i];
                if (b - 'A' < 26u) b |= 0x20;
                if (i >= 1) n = Touch(Hash((current << 8) | b), n);
                if (i >= 2) n = Touch(Hash(0x1000000u | (previous << 16) | (current << 8) | b), n);
                previous = current;
                current = b;
            }
            return n;
        }

        // The skeleton is made on the fly (no copy of the record): the last four symbols are kept in one word.
        private int CountSkeleton(ReadOnlySpan<byte> utf8)
        {
            int n = 0, symbols = 0;
            uint window = 0;
            bool inWord = false;
            bool inSpace = false;
            foreach (byte b in utf8)
            {
                if (!Scoring.Methods.SyntaxSkeleton.Step(b, ref inWord, out byte skeletal)) continue;
                // A run of white space is one blank: indentation depth and blank lines say little about the format.
                bool space = b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\f' or (byte)'\v';
                if (space && inSpace) continue;
                inSpace = space;
                uint symbol = space ? ' ' : skeletal;
                window = (window << 8) | symbol;
                symbols++;
                n = Touch(Hash(0x1000000u | symbol), n);
                if (symbols >= 2) n = Touch(Hash(0x2000000u ^ (window & 0xFFFF) * 31), n);
                if (symbols >= 3) n = Touch(Hash(0x3000000u ^ (window & 0xFFFFFF) * 131), n);
                if (symbols >= 4) n = Touch(Hash(window * 2246822519u ^ 0x4000000u), n);
            }
            return n;
        }

        private int Touch(int d, int n)
        {
            if (_counts[d]++ == 0)
            {
                if (n == Dims.Length)
                {
                    Array.Resize(ref Dims, n * 2);
                    Array.Resize(ref Values, n * 2);
                }
                Dims[n++] = d;
            }
            return n;
        }

        private static int Hash(uint gram) => (int)((gram * 2654435761u) >> 7) & Mask;
    }
}
