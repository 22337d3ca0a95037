using System.IO.Compression;
using System.Text;
using ZipFit.Core.Data;

namespace ZipFit.Core.Tests;

public sealed class DatasetTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("zipfit-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteFile(string name, byte[] content)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private string WriteFile(string name, string content) => WriteFile(name, Encoding.UTF8.GetBytes(content));

    [Fact]
    public void BadRecordsAreReportedWithFileAndLineAndGoodOnesGoThrough()
    {
        var lines = new List<byte[]>
        {
            "{\"id\":\"a\",\"text\":\"alpha\"}"u8.ToArray(),
            "{\"id\":\"b\",\"text\":\"beta\""u8.ToArray(),             // truncated JSON
            "{\"id\":\"c\"}"u8.ToArray(),                             // no text
            "{\"id\":\"d\",\"text\":42}"u8.ToArray(),                  // text not a string
            new byte[] { 0x7B, 0x22, 0x74, 0x65, 0x78, 0x74, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D }, // invalid UTF-8
            "[1,2]"u8.ToArray(),                                      // not an object
            "{\"text\":\"no id\"}"u8.ToArray(),
            "{\"id\":7,\"text\":null}"u8.ToArray(),
        };
        var content = lines.SelectMany(l => l.Concat("\n"u8.ToArray())).ToArray();
        string path = WriteFile("mixed.jsonl", content);
        var items = DatasetReader.Read(path).ToList();
        var good = items.Where(i => i.Record is not null).Select(i => i.Record!).ToList();
        var bad = items.Where(i => i.Error is not null).Select(i => i.Error!).ToList();
        Assert.Equal(new[] { "a", $"{path}:7" }, good.Select(g => g.Id));
        Assert.Equal(new[] { 2L, 3, 4, 5, 6, 8 }, bad.Select(b => b.Line));
        Assert.Equal(new[]
        {
            DatasetErrorIds.InvalidJson, DatasetErrorIds.MissingText, DatasetErrorIds.TextNotString,
            DatasetErrorIds.InvalidUtf8, DatasetErrorIds.NotAnObject, DatasetErrorIds.TextNotString,
        }, bad.Select(b => b.ErrorId));
        Assert.All(bad, b => Assert.Equal($"{path}:{b.Line}", b.Location));
    }

    [Fact]
    public void LineEndsBomAndBlankLines()
    {
        string path = WriteFile("ends.jsonl", "\uFEFF{\"text\":\"one\"}\r\n{\"text\":\"two\"}\r{\"text\":\"three\"}\n\n   \n{\"text\":\"four\"}");
        var records = DatasetReader.Read(path).Select(i => i.Record!).ToList();
        Assert.Equal(new[] { "one", "two", "three", "four" }, records.Select(r => r.Text));
        Assert.Equal(new[] { 1L, 2, 3, 6 }, records.Select(r => r.Line));
    }

    [Fact]
    public void PlainTextFilesGiveOneExamplePerLine()
    {
        string path = WriteFile("lines.txt", "first line\nsecond line\n");
        var records = DatasetReader.Read(path).Select(i => i.Record!).ToList();
        Assert.Equal(new[] { "first line", "second line" }, records.Select(r => r.Text));
        Assert.Equal($"{path}:2", records[1].Id);
    }

    [Fact]
    public void CustomTextAndIdProperties()
    {
        string path = WriteFile("custom.jsonl", "{\"key\":\"k1\",\"content\":\"hello\"}\n");
        var record = DatasetReader.Read(path, new DatasetReadOptions { TextProperty = "content", IdProperty = "key" }).Single().Record!;
        Assert.Equal("k1", record.Id);
        Assert.Equal("hello", record.Text);
    }

    [Fact]
    public void LongLinesBeyondTheBufferAreRead()
    {
        string big = new string('x', 300_000);
        string path = WriteFile("big.jsonl", $"{{\"text\":\"{big}\"}}\n{{\"text\":\"small\"}}\n");
        var records = DatasetReader.Read(path).Select(i => i.Record!).ToList();
        Assert.Equal(big, records[0].Text);
        Assert.Equal("small", records[1].Text);
    }

    [Theory]
    [InlineData("out.jsonl")]
    [InlineData("out.jsonl.gz")]
    [InlineData("out.jsonl.zst")]
    public void WriterRoundTripsRecordsAndKeepsOriginalFields(string name)
    {
        string source = WriteFile("in.jsonl", "{\"id\":\"a\",\"text\":\"alpha\",\"domain\":\"python\",\"n\":[1,2]}\n{\"id\":\"b\",\"text\":\"béta\"}\n");
        var records = DatasetReader.Read(source).Select(i => i.Record!).ToList();
        string output = Path.Combine(_dir, name);
        using (var writer = DatasetWriter.Create(output, overwrite: false))
        {
            writer.WriteJsonWithScore(records[0].Json!, 0.25);
            writer.WriteJsonWithScore(records[1].Json!, null);
            writer.Commit();
        }
        var back = DatasetReader.Read(output).Select(i => i.Record!).ToList();
        Assert.Equal(new[] { "a", "b" }, back.Select(r => r.Id));
        Assert.Contains("\"domain\":\"python\"", back[0].Json);
        Assert.Contains("\"n\":[1,2]", back[0].Json);
        Assert.Contains("\"zipfit_score\":0.25", back[0].Json);
        Assert.Equal(records[1].Json, back[1].Json);
        Assert.Empty(Directory.GetFiles(_dir, "*.partial"));
    }

    [Fact]
    public void AnUncommittedWriterLeavesNoFile()
    {
        string output = Path.Combine(_dir, "never.jsonl");
        using (var writer = DatasetWriter.Create(output, overwrite: false))
        {
            writer.WriteProperties([new("text", "x")], null);
        }
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public void WriterRefusesToOverwriteWithoutPermission()
    {
        string output = WriteFile("exists.jsonl", "keep me");
        Assert.Throws<IOException>(() => DatasetWriter.Create(output, overwrite: false));
        Assert.Equal("keep me", File.ReadAllText(output));
    }

    [Fact]
    public void TruncatedGzipKeepsTheRecordsBeforeTheDamage()
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true))
        {
            for (int i = 0; i < 2000; i++)
            {
                gz.Write(Encoding.UTF8.GetBytes($"{{\"id\":\"r{i}\",\"text\":\"record number {i} {new string('z', i % 50)}\"}}\n"));
            }
        }
        var bytes = ms.ToArray();
        string path = WriteFile("cut.jsonl.gz", bytes[..(bytes.Length / 2)]);
        var items = DatasetReader.Read(path).ToList();
        var good = items.Where(i => i.Record is not null).ToList();
        Assert.InRange(good.Count, 1, 1999);
        Assert.Equal(Enumerable.Range(0, good.Count).Select(i => $"r{i}"), good.Select(g => g.Record!.Id));
        // The cut line itself is invalid JSON; then the truncation is reported.
        var errors = items.Where(i => i.Error is not null).Select(i => i.Error!.ErrorId).ToList();
        Assert.Equal(DatasetErrorIds.TruncatedFile, errors[^1]);
        Assert.InRange(errors.Count, 1, 2);
    }

    [Fact]
    public void TruncatedZstdIsReported()
    {
        var ms = new MemoryStream();
        using (var zs = new ZstdSharp.CompressionStream(ms, 3, leaveOpen: true))
        {
            for (int i = 0; i < 3000; i++)
            {
                zs.Write(Encoding.UTF8.GetBytes($"{{\"id\":\"r{i}\",\"text\":\"record {i} {new string('q', i % 70)}\"}}\n"));
            }
        }
        var bytes = ms.ToArray();
        string path = WriteFile("cut.jsonl.zst", bytes[..(bytes.Length * 2 / 3)]);
        var items = DatasetReader.Read(path).ToList();
        var good = items.Where(i => i.Record is not null).ToList();
        Assert.Equal(Enumerable.Range(0, good.Count).Select(i => $"r{i}"), good.Select(g => g.Record!.Id));
        Assert.Equal(DatasetErrorIds.TruncatedFile, items[^1].Error?.ErrorId);
    }

    [Fact]
    public void ShardsPartitionThePool()
    {
        var ids = Enumerable.Range(0, 1000).Select(i => $"ex-{i}").ToList();
        var shards = Enumerable.Range(0, 3).Select(i => new Shard(i, 3)).ToList();
        foreach (string id in ids)
        {
            Assert.Single(shards, s => s.Contains(id));
        }
        Assert.All(shards, s => Assert.InRange(ids.Count(s.Contains), 250, 420));
        Assert.Throws<FormatException>(() => Shard.Parse("3/3"));
    }
}

public class ScoreFieldTests
{
    [Fact]
    public void The_reader_picks_up_an_exported_score_in_the_same_pass_as_the_text()
    {
        string path = Path.Combine(Path.GetTempPath(), $"zipfit-score-{Guid.NewGuid():N}.jsonl");
        File.WriteAllLines(path,
        [
            """{"id":"a","text":"x","zipfit_score":0.25}""",
            """{"id":"b","text":"y"}""",
            """{"id":"c","text":"z","zipfit_score":"high"}""",
            """{"id":"d","text":"w","zipfit_score":null}""",
            """{"id":"e","text":"v","meta":{"zipfit_score":1},"zipfit_score":-1.5e3}""",
        ]);
        try
        {
            var records = ZipFit.Core.Data.DatasetReader.Read(path).Select(i => i.Record!).ToList();
            Assert.Equal(
                [ZipFit.Core.Data.ScoreField.Number, ZipFit.Core.Data.ScoreField.Absent, ZipFit.Core.Data.ScoreField.Other,
                 ZipFit.Core.Data.ScoreField.Other, ZipFit.Core.Data.ScoreField.Number],
                records.Select(r => r.ScoreField));
            Assert.Equal(0.25, records[0].Score);
            Assert.Equal(-1500, records[4].Score);
            Assert.True(double.IsNaN(records[1].Score));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
