using System.Text;
using Xunit.Abstractions;
using ZipFit.Core.Compression;
using ZipFit.Core.Data;
using ZipFit.Core.Scoring;

namespace ZipFit.Core.Tests;

/// <summary>
/// Seeded randomized tests, bounded in time (ZIPFIT_FUZZ_SECONDS, default 10 each; ZIPFIT_FUZZ_SEED to replay):
/// the dataset readers on mutated JSONL, and the scorer against a plain reference implementation.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("zipfit-fuzz-").FullName;

    private static double Seconds => double.TryParse(Environment.GetEnvironmentVariable("ZIPFIT_FUZZ_SECONDS"), out double s) ? s : 10;

    private static int Seed => int.TryParse(Environment.GetEnvironmentVariable("ZIPFIT_FUZZ_SEED"), out int s) ? s : 20261123;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly string[] Pieces =
        ["def f(x):\n    return x", "é", "日本", "\"quoted\"", "\\", "\t", "😀", "line\nbreak", " ", "{", "}", "0x1F", "\u0001"];

    private static string RandomText(Random r)
    {
        var sb = new StringBuilder();
        int n = r.Next(0, 12);
        for (int i = 0; i < n; i++)
        {
            sb.Append(Pieces[r.Next(Pieces.Length)]);
        }
        return sb.ToString();
    }

    [Fact]
    public void ReadersKeepEveryGoodLineAndReportEveryBadOne()
    {
        var random = new Random(Seed);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        int files = 0, goodLines = 0, badLines = 0;
        while (sw.Elapsed.TotalSeconds < Seconds)
        {
            var expectedGood = new List<(long Line, string Id, string Text)>();
            var expectedBad = new List<long>();
            var content = new MemoryStream();
            int lines = random.Next(1, 60);
            for (int line = 1; line <= lines; line++)
            {
                string id = $"id-{files}-{line}";
                string text = RandomText(random);
                byte[] json = Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new { id, text, n = line }));
                int mutation = random.Next(8);
                if (mutation == 0 && json.Length > 2)
                {
                    json = json[..random.Next(1, json.Length - 1)];             // cut short
                    expectedBad.Add(line);
                }
                else if (mutation == 1)
                {
                    json = [.. json[..^1], 0xFF, (byte)'}'];                    // invalid UTF-8
                    expectedBad.Add(line);
                }
                else if (mutation == 2)
                {
                    json = Encoding.UTF8.GetBytes($"{{\"id\":\"{id}\",\"n\":{line}}}"); // no text
                    expectedBad.Add(line);
                }
                else
                {
                    expectedGood.Add((line, id, text));
                }
                content.Write(json);
                content.Write(random.Next(3) switch { 0 => "\r\n"u8, 1 => "\r"u8, _ => "\n"u8 });
            }
            string path = Path.Combine(_dir, $"f{files}.jsonl");
            File.WriteAllBytes(path, content.ToArray());
            var items = DatasetReader.Read(path).ToList();
            var good = items.Where(i => i.Record is not null).Select(i => (i.Record!.Line, i.Record.Id, i.Record.Text)).ToList();
            var bad = items.Where(i => i.Error is not null).Select(i => i.Error!.Line).ToList();
            Assert.Equal(expectedGood, good);
            Assert.Equal(expectedBad, bad);
            files++;
            goodLines += good.Count;
            badLines += bad.Count;
        }
        output.WriteLine($"seed {Seed}: {files} files, {goodLines} good lines kept, {badLines} bad lines reported, 0 lost");
        Assert.True(files > 10);
    }

    [Fact]
    public void ScoresEqualAPlainReferenceImplementation()
    {
        var random = new Random(Seed + 1);
        var texts = Fixtures.Read(Fixtures.SourcePath).Select(t => t.Text).Concat(Fixtures.Read(Fixtures.TargetPath).Select(t => t.Text)).ToList();
        string Sample() => random.Next(4) switch
        {
            0 => RandomText(random),
            1 => new string((char)random.Next('a', 'z'), random.Next(0, 5000)),
            _ => Prefix(texts[random.Next(texts.Count)], random.Next(0, 4000)),
        };
        static string Prefix(string s, int n) => s[..Math.Min(s.Length, n)];
        var sw = System.Diagnostics.Stopwatch.StartNew();
        int rounds = 0, examples = 0;
        string[] compressors = ["gzip-9", "gzip-6", "gzip-1", "zstd-3", "lz4-0", "brotli-4"];
        while (sw.Elapsed.TotalSeconds < Seconds)
        {
            var spec = CompressorSpec.Parse(compressors[rounds % compressors.Length]);
            var target = Enumerable.Range(0, random.Next(1, 6)).Select(_ => Encoding.UTF8.GetBytes(Sample())).ToList();
            var pool = Enumerable.Range(0, random.Next(1, 12)).Select(_ => Encoding.UTF8.GetBytes(Sample())).ToList();
            var method = NcdMethod.Prepare(new TargetSet(target), spec);
            var actual = ExampleScoring.Score(method, pool.Select((p, i) => new ScoringInput<int>(p, i)), random.Next(1, 4)).ToList();
            using var reference = spec.Kind == CompressorKind.Gzip
                ? GzipLengthCompressor.Create(spec.Level, GzipEngine.System)
                : spec.Create();
            for (int i = 0; i < pool.Count; i++)
            {
                Assert.Equal(i, actual[i].Tag);
                double expected = ReferenceScore(reference, pool[i], target);
                Assert.True(Math.Abs(expected - actual[i].Score) <= 1e-12, $"{spec} example {i}: {actual[i].Score:R} vs reference {expected:R}, x {pool[i].Length} bytes, targets {string.Join(",", target.Select(t => t.Length))}");
            }
            rounds++;
            examples += pool.Count;
        }
        output.WriteLine($"seed {Seed + 1}: {rounds} rounds, {examples} examples, 0 mismatches against the reference");
        Assert.True(rounds > 5);
    }

    /// <summary>The formula written out plainly: concatenate, compress, average.</summary>
    private static double ReferenceScore(ILengthCompressor c, byte[] x, List<byte[]> targets)
    {
        double sum = 0;
        double cx = c.CompressedLength(x);
        foreach (var y in targets)
        {
            double cy = c.CompressedLength(y);
            double cxy = c.CompressedLength([.. x, .. y]);
            // Two empty inputs that compress to nothing (lz4) are identical: distance 0, as Ncd.Distance defines.
            sum += Math.Max(cx, cy) == 0 ? 1 : 1 - (cxy - Math.Min(cx, cy)) / Math.Max(cx, cy);
        }
        return sum / targets.Count;
    }
}
