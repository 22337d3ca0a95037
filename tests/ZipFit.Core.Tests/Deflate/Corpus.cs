using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace ZipFit.Core.Compression.Deflate.Tests;

/// <summary>Test inputs: real texts from the python-code data plus synthetic generators.</summary>
public static class Corpus
{
    /// <summary>Real texts committed with the tests (all of tests/fixtures); DEFLATE_TEST_DATA may name a larger folder of JSONL.</summary>
    public static string DataDir => Path.Combine(AppContext.BaseDirectory, "fixtures");
    private static readonly Lazy<byte[][]> _texts = new(LoadTexts);

    public static byte[][] Texts => _texts.Value;

    private static byte[][] LoadTexts()
    {
        var list = new List<byte[]>();
        string dir = Environment.GetEnvironmentVariable("DEFLATE_TEST_DATA") ?? DataDir;
        if (Directory.Exists(dir))
        {
            foreach (var f in Directory.GetFiles(dir, "*.jsonl", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal))
                ReadJsonl(File.OpenRead(f), list);
            foreach (var f in Directory.GetFiles(dir, "*.jsonl.gz", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal))
                ReadJsonl(new GZipStream(File.OpenRead(f), CompressionMode.Decompress), list, limit: 3000);
        }
        if (list.Count == 0)
        {
            // Fallback so the tests still exercise text-like data without the shared data set.
            var rng = new Random(1);
            string[] words = { "def ", "return ", "self", ".", "(", ")", ":\n    ", "import ", "x", "y", " = ", "for ", " in ", "range", "if ", "None", "\n" };
            for (int i = 0; i < 500; i++)
            {
                var sb = new StringBuilder();
                int len = rng.Next(200, 3000);
                while (sb.Length < len) sb.Append(words[rng.Next(words.Length)]);
                list.Add(Encoding.UTF8.GetBytes(sb.ToString()));
            }
        }
        return list.ToArray();
    }

    private static void ReadJsonl(Stream s, List<byte[]> list, int limit = int.MaxValue)
    {
        using var r = new StreamReader(s, Encoding.UTF8);
        string? line;
        int count = 0;
        while ((line = r.ReadLine()) != null && count < limit)
        {
            if (line.Length == 0) continue;
            using var doc = JsonDocument.Parse(line);
            if (doc.RootElement.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
            {
                list.Add(Encoding.UTF8.GetBytes(t.GetString()!));
                count++;
            }
        }
    }

    public static byte[] RandomText(Random rng) => Texts[rng.Next(Texts.Length)];

    /// <summary>Concatenated real texts, cut to exactly `size` bytes.</summary>
    public static byte[] TextOfSize(Random rng, int size)
    {
        var ms = new MemoryStream(size + 4096);
        while (ms.Length < size) ms.Write(RandomText(rng));
        var a = ms.ToArray();
        Array.Resize(ref a, size);
        return a;
    }

    public static byte[] RandomBytes(Random rng, int size)
    {
        var a = new byte[size];
        rng.NextBytes(a);
        return a;
    }

    /// <summary>Random bytes over a small alphabet: many short matches at all distances.</summary>
    public static byte[] SmallAlphabet(Random rng, int size, int alpha)
    {
        var a = new byte[size];
        byte b0 = (byte)rng.Next(256);
        for (int i = 0; i < size; i++) a[i] = (byte)(b0 + rng.Next(alpha));
        return a;
    }

    public static byte[] AllSame(int size, byte b)
    {
        var a = new byte[size];
        Array.Fill(a, b);
        return a;
    }

    /// <summary>Short period pattern with rare mutations.</summary>
    public static byte[] Periodic(Random rng, int size, int period, double mutate)
    {
        var pat = RandomBytes(rng, period);
        var a = new byte[size];
        for (int i = 0; i < size; i++)
            a[i] = rng.NextDouble() < mutate ? (byte)rng.Next(256) : pat[i % period];
        return a;
    }

    /// <summary>Runs of random bytes with random lengths (1..maxRun).</summary>
    public static byte[] Runs(Random rng, int size, int maxRun)
    {
        var a = new byte[size];
        int i = 0;
        while (i < size)
        {
            byte b = (byte)rng.Next(4);
            int r = rng.Next(1, maxRun + 1);
            for (int k = 0; k < r && i < size; k++) a[i++] = b;
        }
        return a;
    }

    /// <summary>Long repeated chunks (long matches, distances near the window size).</summary>
    public static byte[] LongRepeats(Random rng, int size)
    {
        var a = new byte[size];
        int chunk = rng.Next(300, 40000);
        var src = rng.Next(2) == 0 ? RandomBytes(rng, chunk) : TextOfSize(rng, chunk);
        for (int i = 0; i < size; i++) a[i] = src[i % chunk];
        // sprinkle edits
        int edits = rng.Next(0, 50);
        for (int e = 0; e < edits && size > 0; e++) a[rng.Next(size)] = (byte)rng.Next(256);
        return a;
    }

    /// <summary>Text with random binary segments spliced in (changes block types and matches).</summary>
    public static byte[] Mixed(Random rng, int size)
    {
        var ms = new MemoryStream(size + 8192);
        while (ms.Length < size)
        {
            switch (rng.Next(5))
            {
                case 0: ms.Write(RandomBytes(rng, rng.Next(1, 3000))); break;
                case 1: ms.Write(AllSame(rng.Next(1, 2000), (byte)rng.Next(256))); break;
                case 2: ms.Write(Periodic(rng, rng.Next(1, 3000), rng.Next(1, 40), 0.01)); break;
                default: ms.Write(RandomText(rng)); break;
            }
        }
        var a = ms.ToArray();
        Array.Resize(ref a, size);
        return a;
    }

    /// <summary>Sizes of interest: block-symbol boundaries, window boundaries and their neighbours.</summary>
    public static readonly int[] BoundarySizes = BuildBoundarySizes();

    private static int[] BuildBoundarySizes()
    {
        var set = new SortedSet<int> { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 258, 259, 260, 261, 262, 263, 264, 300, 1000 };
        int[] centers = { 16383, 16384, 32767 - 262, 32768 - 262, 32768, 2 * 16383, 65274, 65536 - 262, 65536, 65536 + 262, 65536 + 32768 - 262, 3 * 16383, 98304 };
        foreach (int c in centers)
            for (int d = -3; d <= 3; d++) if (c + d >= 0) set.Add(c + d);
        return set.ToArray();
    }
}
