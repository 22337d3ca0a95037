using System.Text;
using System.Text.Json;
using Parquet;
using Parquet.Schema;
using Xunit.Abstractions;
using ZipFit.Core.Data;

namespace ZipFit.Core.Tests;

/// <summary>
/// Size mutations of the reader fuzz suite: lines just under, at and over -MaxRecordBytes (with
/// every line ending), a line over 2 GiB arriving from a small compressed file, a huge number of
/// fields, very long keys, parquet cells, and the export's leftover temporaries.
/// Seeded (ZIPFIT_FUZZ_SEED) and bounded (ZIPFIT_FUZZ_SECONDS, default 10).
/// </summary>
public sealed class SizeFuzzTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("zipfit-size-").FullName;

    private static double Seconds => double.TryParse(Environment.GetEnvironmentVariable("ZIPFIT_FUZZ_SECONDS"), out double s) ? s : 10;

    private static int Seed => int.TryParse(Environment.GetEnvironmentVariable("ZIPFIT_FUZZ_SEED"), out int s) ? s : 20261125;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static byte[] Record(string id, int lineBytes, Random r)
    {
        // {"id":"<id>","text":"<filler>"} sized to exactly lineBytes (filler may contain escapes and multi-byte chars).
        string head = $"{{\"id\":\"{id}\",\"text\":\"";
        const string tail = "\"}";
        int room = lineBytes - Encoding.UTF8.GetByteCount(head) - tail.Length;
        var sb = new StringBuilder(head);
        while (room > 0)
        {
            string piece = r.Next(6) switch
            {
                0 when room >= 2 => "\\n",
                1 when room >= 2 => "é",
                2 when room >= 4 => "😀",
                3 when room >= 6 => "\\u00e9",
                _ => "x",
            };
            sb.Append(piece);
            room -= Encoding.UTF8.GetByteCount(piece);
        }
        sb.Append(tail);
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    [Fact]
    public void LinesAroundTheLimitAreKeptOrReportedAndNothingElseIsLost()
    {
        var random = new Random(Seed);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        int files = 0, kept = 0, tooLarge = 0;
        while (sw.Elapsed.TotalSeconds < Seconds || files < 20)
        {
            int limit = random.Next(2) == 0 ? random.Next(40, 300) : random.Next(60_000, 200_000); // inside and across the reader's 64 KiB buffer
            var content = new MemoryStream();
            var expected = new List<(long Line, string Id, int Size, bool Kept)>();
            int lines = random.Next(1, 30);
            for (int line = 1; line <= lines; line++)
            {
                string id = $"r{files}-{line}";
                int minimum = id.Length + 19;
                int size = random.Next(5) switch
                {
                    0 => limit,
                    1 => limit + 1,
                    2 => limit - 1,
                    3 => limit + random.Next(2, 3 * limit),
                    _ => random.Next(minimum, limit),
                };
                size = Math.Max(size, minimum);
                content.Write(Record(id, size, random));
                bool last = line == lines;
                if (!last || random.Next(2) == 0)
                {
                    content.Write(random.Next(3) switch { 0 => "\r\n"u8, 1 => "\r"u8, _ => "\n"u8 });
                }
                expected.Add((line, id, size, size <= limit));
            }
            var compression = (DatasetCompression)random.Next(3);
            string path = Path.Combine(_dir, $"f{files}.jsonl" + compression switch { DatasetCompression.Gzip => ".gz", DatasetCompression.Zstd => ".zst", _ => "" });
            Write(path, content.ToArray(), compression);
            var items = DatasetReader.Read(path, new DatasetReadOptions { MaxRecordBytes = limit }).ToList();
            Assert.Equal(expected.Count, items.Count);
            for (int i = 0; i < items.Count; i++)
            {
                var (line, id, size, isKept) = expected[i];
                if (isKept)
                {
                    Assert.True(items[i].Record is not null, $"line {line} ({size} bytes, limit {limit}): {items[i].Error}");
                    Assert.Equal(id, items[i].Record!.Id);
                    Assert.Equal(line, items[i].Record!.Line);
                    kept++;
                }
                else
                {
                    var error = items[i].Error;
                    Assert.NotNull(error);
                    Assert.Equal(DatasetErrorIds.RecordTooLarge, error!.ErrorId);
                    Assert.Equal(line, error.Line);
                    Assert.Contains(string.Format(System.Globalization.CultureInfo.InvariantCulture, "{0:N0} bytes", size), error.Message);
                    tooLarge++;
                }
            }
            files++;
        }
        output.WriteLine($"seed {Seed}: {files} files, {kept} records at or under the limit kept, {tooLarge} over it reported, 0 lost");
    }

    private static void Write(string path, byte[] content, DatasetCompression compression)
    {
        using var file = File.Create(path);
        using Stream s = compression switch
        {
            DatasetCompression.Gzip => new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionLevel.Fastest),
            DatasetCompression.Zstd => new ZstdSharp.CompressionStream(file, 1),
            _ => file,
        };
        s.Write(content);
    }

    [Fact]
    public void ALineOver2GiBFromASmallZstdFileIsSkippedWithItsSizeAndTheNextRecordIsRead()
    {
        // One zstd frame holding 64 MiB of a repeated pattern, written 33 times: a 2.06 GiB line in a file of a few hundred KB.
        string path = Path.Combine(_dir, "huge.jsonl.zst");
        const int chunk = 64 << 20;
        const int copies = 33;
        byte[] frame;
        using (var compressor = new ZstdSharp.Compressor(1))
        {
            var pattern = new byte[chunk];
            for (int i = 0; i < pattern.Length; i++)
            {
                pattern[i] = (byte)('a' + i % 23);
            }
            frame = compressor.Wrap(pattern).ToArray();
        }
        using (var file = File.Create(path))
        {
            using (var c = new ZstdSharp.CompressionStream(file, 1, leaveOpen: true))
            {
                c.Write("{\"id\":\"before\",\"text\":\"a\"}\n{\"id\":\"huge\",\"text\":\""u8);
            }
            for (int i = 0; i < copies; i++)
            {
                file.Write(frame);
            }
            using (var c = new ZstdSharp.CompressionStream(file, 1, leaveOpen: true))
            {
                c.Write("\"}\n{\"id\":\"after\",\"text\":\"b\"}\n"u8);
            }
        }
        long lineLength = "{\"id\":\"huge\",\"text\":\"".Length + (long)chunk * copies + 2;
        Assert.True(lineLength > (2L << 30));
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var items = DatasetReader.Read(path, new DatasetReadOptions { MaxRecordBytes = 1 << 20 }).ToList();
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        output.WriteLine($"file {new FileInfo(path).Length:N0} bytes, line {lineLength:N0} bytes, allocated while reading {allocated:N0} bytes");
        Assert.Equal(3, items.Count);
        Assert.Equal("before", items[0].Record!.Id);
        Assert.Equal(DatasetErrorIds.RecordTooLarge, items[1].Error!.ErrorId);
        Assert.Equal(2, items[1].Error!.Line);
        Assert.Contains(string.Format(System.Globalization.CultureInfo.InvariantCulture, "{0:N0} bytes", lineLength), items[1].Error!.Message);
        Assert.Equal("after", items[2].Record!.Id);
        Assert.Equal(3, items[2].Record!.Line);
        // The line was never held: what the read allocated is a small multiple of the limit, not of the line.
        Assert.True(allocated < 64L << 20, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public void AnOverlongLastLineWithoutEndOfLineIsReported()
    {
        string path = Path.Combine(_dir, "last.jsonl");
        File.WriteAllText(path, "{\"id\":\"a\",\"text\":\"x\"}\n{\"id\":\"b\",\"text\":\"" + new string('y', 500_000) + "\"}");
        var items = DatasetReader.Read(path, new DatasetReadOptions { MaxRecordBytes = 1000 }).ToList();
        Assert.Equal(2, items.Count);
        Assert.Equal("a", items[0].Record!.Id);
        Assert.Equal((DatasetErrorIds.RecordTooLarge, 2L), (items[1].Error!.ErrorId, items[1].Error!.Line));
    }

    [Fact]
    public void HugeNumbersOfFieldsAndVeryLongKeysAreReadWithinTheLimit()
    {
        var random = new Random(Seed + 1);
        string path = Path.Combine(_dir, "wide.jsonl");
        var lines = new List<string>();
        // 200,000 fields, the text last.
        var sb = new StringBuilder("{\"id\":\"wide\"");
        for (int i = 0; i < 200_000; i++)
        {
            sb.Append(",\"f").Append(i).Append("\":").Append(random.Next());
        }
        sb.Append(",\"text\":\"wide text\"}");
        lines.Add(sb.ToString());
        // A 1 MiB key, then the text.
        lines.Add($"{{\"{new string('k', 1 << 20)}\":1,\"id\":\"longkey\",\"text\":\"after a long key\"}}");
        // The text under a 200 KB escaped key that is not the text property, and a duplicate text key: the last wins.
        lines.Add($"{{\"{string.Concat(Enumerable.Repeat("\\u0074", 40_000))}x\":\"no\",\"text\":\"first\",\"id\":\"dup\",\"text\":\"last\"}}");
        // Deep but allowed nesting beside the text.
        lines.Add($"{{\"id\":\"deep\",\"n\":{new string('[', 200)}{new string(']', 200)},\"text\":\"deep\"}}");
        // A key over the limit makes the line too large.
        lines.Add($"{{\"{new string('k', 5 << 20)}\":1,\"text\":\"x\"}}");
        lines.Add("{\"id\":\"end\",\"text\":\"end\"}");
        File.WriteAllLines(path, lines);
        var items = DatasetReader.Read(path, new DatasetReadOptions { MaxRecordBytes = 4 << 20 }).ToList();
        Assert.Equal(6, items.Count);
        Assert.Equal(("wide", "wide text"), (items[0].Record!.Id, items[0].Record!.Text));
        Assert.Equal(("longkey", "after a long key"), (items[1].Record!.Id, items[1].Record!.Text));
        Assert.Equal(("dup", "last"), (items[2].Record!.Id, items[2].Record!.Text));
        Assert.Equal(("deep", "deep"), (items[3].Record!.Id, items[3].Record!.Text));
        Assert.Equal(DatasetErrorIds.RecordTooLarge, items[4].Error!.ErrorId);
        Assert.Equal("end", items[5].Record!.Id);
        // The original record comes back whole, and agrees with JsonDocument on what the text is.
        using var doc = JsonDocument.Parse(items[0].Record!.Json!);
        Assert.Equal(200_002, doc.RootElement.EnumerateObject().Count());
        using var dup = JsonDocument.Parse(items[2].Record!.Json!);
        Assert.Equal(dup.RootElement.GetProperty("text").GetString(), items[2].Record!.Text);
    }

    [Fact]
    public void EscapesInvalidSurrogatesAndLargeRecordsDecodeLikeJsonDocument()
    {
        string path = Path.Combine(_dir, "esc.jsonl");
        string big = string.Concat(Enumerable.Repeat("line \\\"q\\\" é 😀\\n\\t\\u00e9 ", 200_000));
        File.WriteAllLines(path,
        [
            $"{{\"id\":\"big\",\"text\":\"{big}\"}}",
            "{\"id\":\"bad\",\"text\":\"\\ud800\"}",
            "{\"id\":7,\"text\":\"numeric id\"}",
            "{\"text\":{\"nested\":\"no\"}}",
        ]);
        var items = DatasetReader.Read(path).ToList();
        using var doc = JsonDocument.Parse($"\"{big}\"");
        Assert.Equal(doc.RootElement.GetString(), items[0].Record!.Text);
        Assert.Equal(Encoding.UTF8.GetBytes(doc.RootElement.GetString()!), items[0].Record!.Utf8);
        Assert.Equal(DatasetErrorIds.InvalidJson, items[1].Error!.ErrorId);
        Assert.Equal("7", items[2].Record!.Id);
        Assert.Equal(DatasetErrorIds.TextNotString, items[3].Error!.ErrorId);
    }

    [Fact]
    public async Task ParquetCellsOverTheLimitAreReportedPerRowAndTheRestKept()
    {
        string path = Path.Combine(_dir, "cells.parquet");
        var idField = new DataField<string>("id");
        var textField = new DataField<string>("text");
        var schema = new ParquetSchema(idField, textField);
        string[] texts = ["small", new string('x', 5000), "tiny", "é" + new string('é', 1500), "last"];
        using (var file = File.Create(path))
        {
            var writer = await ParquetWriter.CreateAsync(schema, file);
            using (var group = writer.CreateRowGroup())
            {
                await group.WriteAsync(idField, texts.Select((_, i) => $"p{i}").ToArray(), null);
                await group.WriteAsync(textField, texts, null);
            }
            await writer.DisposeAsync();
        }
        var items = DatasetReader.Read(path, new DatasetReadOptions { MaxRecordBytes = 3000 }).ToList();
        Assert.Equal(5, items.Count);
        Assert.Equal(["p0", "p2", "p4"], items.Where(i => i.Record is not null).Select(i => i.Record!.Id));
        Assert.Equal([2L, 4L], items.Where(i => i.Error is not null).Select(i => i.Error!.Line));
        Assert.All(items.Where(i => i.Error is not null), i => Assert.Equal(DatasetErrorIds.RecordTooLarge, i.Error!.ErrorId));
        Assert.Contains("3,002 bytes", items[3].Error!.Message); // 1,501 two-byte characters
    }

    [Fact]
    public async Task DamagedParquetBecomesAReaderErrorNeverAnException()
    {
        string path = Path.Combine(_dir, "good.parquet");
        var textField = new DataField<string>("text");
        using (var file = File.Create(path))
        {
            var writer = await ParquetWriter.CreateAsync(new ParquetSchema(textField), file);
            using (var group = writer.CreateRowGroup())
            {
                await group.WriteAsync(textField, Enumerable.Range(0, 1000).Select(i => $"row {i} " + new string('z', i % 50)).ToArray(), null);
            }
            await writer.DisposeAsync();
        }
        byte[] good = File.ReadAllBytes(path);
        // Flips stay out of the footer (the file's metadata), which ParquetFooterTests flips on its own, under a
        // time limit. Cuts still lose the footer.
        int footer = BitConverter.ToInt32(good, good.Length - 8) + 8;
        var random = new Random(Seed + 2);
        int runs = 0, errors = 0;
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (sw.Elapsed.TotalSeconds < Seconds / 2 || runs < 50)
        {
            byte[] bad = (byte[])good.Clone();
            int flips = random.Next(1, 8);
            for (int i = 0; i < flips; i++)
            {
                bad[random.Next(4, bad.Length - footer)] = (byte)random.Next(256);
            }
            if (random.Next(4) == 0)
            {
                bad = bad[..random.Next(bad.Length)];
            }
            string damaged = Path.Combine(_dir, "bad.parquet");
            File.WriteAllBytes(damaged, bad);
            var items = DatasetReader.Read(damaged).ToList();   // must not throw
            errors += items.Count(i => i.Error is not null);
            runs++;
        }
        output.WriteLine($"{runs} damaged parquet files, {errors} reader errors, no exception");
    }

    [Fact]
    public void AnExportLeftoverIsRemovedButALiveExportsTemporaryIsNot()
    {
        string target = Path.Combine(_dir, "out.jsonl");
        string dead = Path.Combine(_dir, $".out.jsonl.{Guid.NewGuid():N}.partial");
        string unrelated = Path.Combine(_dir, ".out.jsonl.notaguid.partial");
        string other = Path.Combine(_dir, $".other.jsonl.{Guid.NewGuid():N}.partial");
        File.WriteAllText(dead, "{\"text\":\"half");
        File.WriteAllText(unrelated, "x");
        File.WriteAllText(other, "x");
        using var live = DatasetWriter.Create(target, overwrite: false);
        Assert.Equal([dead], live.RemovedLeftovers);
        Assert.False(File.Exists(dead));
        Assert.True(File.Exists(unrelated));
        Assert.True(File.Exists(other));
        string livePartial = Directory.GetFiles(_dir, ".out.jsonl.*.partial").Single(p => p != unrelated);
        // A second export to the same path while the first still writes leaves the first's temporary alone.
        using (var second = DatasetWriter.Create(target, overwrite: true))
        {
            Assert.Empty(second.RemovedLeftovers);
            Assert.True(File.Exists(livePartial));
            second.WriteRawJson("{\"text\":\"second\"}");
            second.Commit();
        }
        live.WriteRawJson("{\"text\":\"first\"}");
        live.Commit();
        Assert.Equal("{\"text\":\"first\"}\n", File.ReadAllText(target));
        Assert.Equal([unrelated], Directory.GetFiles(_dir, ".out.jsonl.*"));
    }
}
