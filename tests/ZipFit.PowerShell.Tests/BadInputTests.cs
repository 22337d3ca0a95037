using System.Management.Automation;
using System.Text;

namespace ZipFit.PowerShell.Tests;

/// <summary>
/// Scraped, half-broken input through the real module: every good record comes out, every bad one is a
/// non-terminating ZipFit.* error naming file:line, and nothing else goes wrong.
/// </summary>
public sealed class BadInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("zipfit-bad-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string Write(string name, string text) => Write(name, Encoding.UTF8.GetBytes(text));

    /// <summary>Imports and scores a file; returns the ids scored and the error ids with their targets.</summary>
    private static (List<string> Ids, List<(string Id, string Target)> Errors) ImportAndScore(string path)
    {
        using var session = new PowerShellSession();
        var output = session.Run($"Import-ZipFitDataset -LiteralPath '{path}' | Get-ZipFitScore -Target 'def f(x): return x' -NoCache", out var errors);
        Assert.All(output, o => Assert.True(double.IsFinite(((ZipFitScoreView)o).Score)));
        return (output.Select(o => o.Properties["Id"].Value.ToString()!).ToList(),
            errors.Select(e => (e.FullyQualifiedErrorId.Split(',')[0], e.TargetObject?.ToString() ?? "")).ToList());
    }

    private readonly struct ZipFitScoreView(double score)
    {
        public double Score { get; } = score;
        public static explicit operator ZipFitScoreView(PSObject o) => new(Convert.ToDouble(o.Properties["Score"].Value));
    }

    private static string Line(string id, string text) => $"{{\"id\":\"{id}\",\"text\":\"{text}\"}}";

    [Fact]
    public void MalformedLinesAmongGoodOnes()
    {
        string path = Write("mixed.jsonl", string.Join("\n",
            Line("a", "alpha"),
            "{\"id\":\"b\",\"text\":\"cut off",
            "not json at all",
            "{\"id\":\"c\",\"text\":\"bad \\q escape\"}",
            "{\"id\":\"d\"}",
            "{\"id\":\"e\",\"text\":null}",
            "{\"id\":\"f\",\"text\":[1]}",
            "\"just a string\"",
            Line("g", "gamma")));
        var (ids, errors) = ImportAndScore(path);
        Assert.Equal(new[] { "a", "g" }, ids);
        Assert.Equal(new[]
        {
            ("ZipFit.InvalidJson", $"{path}:2"), ("ZipFit.InvalidJson", $"{path}:3"), ("ZipFit.InvalidJson", $"{path}:4"),
            ("ZipFit.MissingTextProperty", $"{path}:5"), ("ZipFit.TextNotString", $"{path}:6"), ("ZipFit.TextNotString", $"{path}:7"),
            ("ZipFit.JsonNotAnObject", $"{path}:8"),
        }, errors);
    }

    [Fact]
    public void RandomBytesAreReportedLineByLine()
    {
        var random = new Random(11);
        var bytes = new byte[64 * 1024];
        random.NextBytes(bytes);
        string path = Write("random.jsonl", bytes);
        var (ids, errors) = ImportAndScore(path);
        Assert.Empty(ids);
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.True(e.Id is "ZipFit.InvalidUtf8" or "ZipFit.InvalidJson", e.Id));
        Assert.All(errors, e => Assert.StartsWith($"{path}:", e.Target));
    }

    [Fact]
    public void NulBytesEscapedAreTextRawAreInvalid()
    {
        var bytes = Encoding.UTF8.GetBytes(Line("escaped", "a\\u0000b") + "\n").Concat(
            Encoding.UTF8.GetBytes("{\"id\":\"raw\",\"text\":\"a")).Append((byte)0).Concat(Encoding.UTF8.GetBytes("b\"}\n")).ToArray();
        string path = Write("nul.jsonl", bytes);
        var (ids, errors) = ImportAndScore(path);
        Assert.Equal(new[] { "escaped" }, ids);
        Assert.Equal(new[] { ("ZipFit.InvalidJson", $"{path}:2") }, errors);
    }

    [Fact]
    public void LineEndsAndByteOrderMark()
    {
        string path = Write("ends.jsonl", "\uFEFF" + Line("a", "x") + "\r\n" + Line("b", "y") + "\r" + Line("c", "z") + "\n\n");
        var (ids, errors) = ImportAndScore(path);
        Assert.Equal(new[] { "a", "b", "c" }, ids);
        Assert.Empty(errors);
    }

    [Fact]
    public void EmptyFilesAndEmptyTexts()
    {
        Assert.Equal((0, 0), Count(ImportAndScore(Write("empty.jsonl", ""))));
        Assert.Equal((0, 0), Count(ImportAndScore(Write("blank.jsonl", "\n\n  \n"))));
        var (ids, errors) = ImportAndScore(Write("empty-texts.jsonl", Line("e1", "") + "\n" + Line("e2", "")));
        Assert.Equal(new[] { "e1", "e2" }, ids);
        Assert.Empty(errors);

        static (int, int) Count((List<string> Ids, List<(string, string)> Errors) r) => (r.Ids.Count, r.Errors.Count);
    }

    [Fact]
    public void DuplicateIdsAreKeptAndScoredAlike()
    {
        using var session = new PowerShellSession();
        string path = Write("dups.jsonl", Line("same", "def f(): pass") + "\n" + Line("same", "def f(): pass") + "\n" + Line("same", "other"));
        var output = session.Run($"Import-ZipFitDataset '{path}' | Get-ZipFitScore -Target 'def g(): pass' -NoCache");
        Assert.Equal(3, output.Count);
        Assert.Equal(output[0].Properties["Score"].Value, output[1].Properties["Score"].Value);
        Assert.NotEqual(output[0].Properties["Score"].Value, output[2].Properties["Score"].Value);
    }

    [Fact]
    public void DeeplyNestedJsonIsAnErrorNotACrash()
    {
        string deep = "{\"id\":\"deep\",\"text\":\"t\",\"x\":" + new string('[', 5000) + new string(']', 5000) + "}";
        string fine = "{\"id\":\"fine\",\"text\":\"t\",\"x\":" + new string('[', 100) + new string(']', 100) + "}";
        string path = Write("deep.jsonl", deep + "\n" + fine);
        var (ids, errors) = ImportAndScore(path);
        Assert.Equal(new[] { "fine" }, ids);
        Assert.Equal(new[] { ("ZipFit.InvalidJson", $"{path}:1") }, errors);
    }

    [Theory]
    [InlineData("gz")]
    [InlineData("zst")]
    public void TruncatedCompressedFilesKeepWhatCameBefore(string kind)
    {
        var text = new StringBuilder();
        // Enough for several zstd blocks: a block cut in half loses its records, the blocks before it don't.
        for (int i = 0; i < 20000; i++)
        {
            text.Append(Line($"r{i}", $"record {i} {new string('x', i % 90)}")).Append('\n');
        }
        var raw = Encoding.UTF8.GetBytes(text.ToString());
        var ms = new MemoryStream();
        using (Stream z = kind == "gz"
            ? new System.IO.Compression.GZipStream(ms, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true)
            : new ZstdSharp.CompressionStream(ms, 3, leaveOpen: true))
        {
            z.Write(raw);
        }
        var bytes = ms.ToArray();
        string path = Write($"cut.jsonl.{kind}", bytes[..(bytes.Length / 2)]);
        var (ids, errors) = ImportAndScore(path);
        Assert.InRange(ids.Count, 100, 19999);
        Assert.Equal(Enumerable.Range(0, ids.Count).Select(i => $"r{i}"), ids);
        Assert.Equal("ZipFit.TruncatedFile", errors[^1].Id);
        Assert.True(errors.Count <= 2, string.Join(", ", errors));
    }

    [Fact]
    public void TargetsThatAreOddButValid()
    {
        using var session = new PowerShellSession();
        string big = string.Concat(Enumerable.Range(0, 4000).Select(i => $"line {i} of a long target\n"));
        Assert.True(Encoding.UTF8.GetByteCount(big) > 64 * 1024, "larger than deflate's 32 KiB window");
        session.SessionVariable("big", big);
        var single = session.Run("'def f(): pass' | Get-ZipFitScore -Target 'def g(): pass' -NoCache");
        var doubled = session.Run("'def f(): pass' | Get-ZipFitScore -Target 'def g(): pass', 'def g(): pass' -NoCache");
        Assert.Equal(single[0].Properties["Score"].Value, doubled[0].Properties["Score"].Value);
        var large = session.Run("'line 7 of a long target' | Get-ZipFitScore -Target $big -NoCache");
        Assert.True(double.IsFinite((double)large[0].Properties["Score"].Value));
    }
}
