using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ZipFit.Core.Data;

namespace ZipFit.Core.Tests;

/// <summary>
/// The JSONL scanner against System.Text.Json's reader: the records it reads must be the reader's records, byte for
/// byte, and it must never accept a line the reader rejects.
/// </summary>
public sealed class JsonLineScannerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("zipfit-scan-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Valid records of many shapes: real texts escaped both ways, ids, scores, nesting, duplicates, spacing.</summary>
    private static List<string> ValidLines()
    {
        var texts = Fixtures.Read(Fixtures.SourcePath).Concat(Fixtures.Read(Fixtures.TargetPath)).Select(t => t.Text).Take(400).ToList();
        texts.AddRange(["", "a\"b\\c/d\b\f\n\r\t", "\u0001\u001f", "emoji 😀 and é, 中文", "</script>&'", new string('x', 5000) + "\n" + new string('y', 3000)]);
        var lines = new List<string>();
        for (int i = 0; i < texts.Count; i++)
        {
            string t = texts[i];
            string strict = JsonSerializer.Serialize(t), relaxed = JsonSerializer.Serialize(t, Relaxed);
            lines.Add($"{{\"id\":\"r{i}\",\"text\":{strict}}}");
            lines.Add($"{{ \"text\" : {relaxed} , \"id\" : {i} ,\t\"domain\":\"py\" }}");
            lines.Add($"{{\"meta\":{{\"a\":[1,2.5e3,-0.1,0,-0,1E-7,true,false,null,{{\"b\":\"c\\u0041\"}},[]],\"e\":{{}}}},\"text\":{strict},\"zipfit_score\":{i * 0.37 - 40}}}");
            lines.Add($"{{\"text\":\"first\",\"id\":\"\\u0072{i}\",\"text\":{relaxed},\"zipfit_score\":\"high\"}}");
            lines.Add($"  {{\"id\":null,\"zipfit_score\":1e400,\"text\":{strict}}}  ");
        }
        lines.AddRange([
            "{\"text\":\"short escapes \\b\\f\\n\\r\\t\\/\\\\\\\" and \\u00e9\\u4e2d\\u0000\"}",
            "{\"text\":\"pair \\ud83d\\ude00 end\"}",
            "{\"text\":\"lone \\ud800 high\"}",
            "{\"text\":\"lone \\udc00 low\"}",
            "{\"text\":\"reversed \\udc00\\ud800\"}",
            "{\"text\":\"high at end \\ud83d\"}",
            "{\"id\":\"\\ud800\",\"text\":\"lone surrogate in the id\"}",
            "{\"t\\u0065xt\":\"escaped name\"}",
            "{\"text\":\"x\",\"zipfit_score\":-0}",
            "{\"text\":\"x\",\"zipfit_score\":12345678901234567890123}",
            "{\"text\":\"x\",\"n\":" + string.Concat(Enumerable.Repeat("[", 70)) + string.Concat(Enumerable.Repeat("]", 70)) + "}",
            "{\"text\":\"x\",\"n\":" + string.Concat(Enumerable.Repeat("{\"a\":", 300)) + "1" + string.Concat(Enumerable.Repeat("}", 300)) + "}",
            "{}", "[]", "\"text\"", "42", "{\"text\":42}", "{\"text\":{\"a\":1}}",
        ]);
        return lines;
    }

    /// <summary>Damaged copies: a byte JSON cares about inserted, deleted or replaced, or the line cut short.</summary>
    private static List<string> Mutants(List<string> valid, int seed)
    {
        const string significant = "\"\\,:{}[]u0-e.+ tfnx\u0001/E9";
        var random = new Random(seed);
        var mutants = new List<string>();
        foreach (var line in valid)
        {
            for (int m = 0; m < 4; m++)
            {
                var s = new StringBuilder(line);
                int at = random.Next(s.Length + 1);
                switch (random.Next(4))
                {
                    case 0: s.Insert(at, significant[random.Next(significant.Length)]); break;
                    case 1: if (at < s.Length) s.Remove(at, 1); break;
                    case 2: if (at < s.Length) s[at] = significant[random.Next(significant.Length)]; break;
                    default: s.Length = at; break;
                }
                mutants.Add(s.ToString());
            }
        }
        return mutants;
    }

    [Fact]
    public void TheScannerAcceptsOnlyWhatTheReaderAccepts()
    {
        var valid = ValidLines();
        int accepted = 0, checkedLines = 0;
        foreach (var line in valid.Concat(Mutants(valid, 1)).Concat(Mutants(valid, 2)).Concat(Mutants(valid, 3)))
        {
            var bytes = Encoding.UTF8.GetBytes(line);
            if (!System.Text.Unicode.Utf8.IsValid(bytes)) continue;
            checkedLines++;
            if (!JsonLineScanner.TryScan(bytes, "text"u8, "id"u8, "zipfit_score"u8, out _, out _, out _)) continue;
            accepted++;
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 256 });
            while (reader.Read())
            {
            }
            Assert.Equal(bytes.Length, reader.BytesConsumed);
        }
        Assert.True(checkedLines > 10_000, $"{checkedLines} lines");
        Assert.True(accepted > 2_000, $"{accepted} accepted");
    }

    [Fact]
    public void TheScannerAcceptsTheUsualRecords()
    {
        // The point of it: every record of the usual shapes goes the fast way.
        var valid = ValidLines();
        int usual = valid.Count - 19;
        for (int i = 0; i < usual; i++)
        {
            Assert.True(JsonLineScanner.TryScan(Encoding.UTF8.GetBytes(valid[i]), "text"u8, "id"u8, "zipfit_score"u8, out _, out _, out _), valid[i]);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void RecordsAndErrorsAreTheReadersOwn(int seed)
    {
        var valid = ValidLines();
        var lines = valid.Concat(Mutants(valid, seed)).Where(l => !l.Contains('\n')).ToList();
        string path = Path.Combine(_dir, $"lines-{seed}.jsonl");
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        foreach (var idName in new string?[] { null, "domain" })
        {
            var scanned = DatasetReader.Read(path, new DatasetReadOptions { IdProperty = idName }).ToList();
            var read = DatasetReader.Read(path, new DatasetReadOptions { IdProperty = idName, ScanJsonLines = false }).ToList();
            Assert.Equal(read.Count, scanned.Count);
            int records = 0, errors = 0;
            for (int i = 0; i < read.Count; i++)
            {
                if (read[i].Record is { } expected)
                {
                    var actual = Assert.IsType<DatasetRecord>(scanned[i].Record);
                    Assert.Equal(expected.Id, actual.Id);
                    Assert.Equal(expected.Line, actual.Line);
                    Assert.Equal(expected.Utf8, actual.Utf8);
                    Assert.Equal(expected.JsonUtf8!.Value.ToArray(), actual.JsonUtf8!.Value.ToArray());
                    Assert.Equal(expected.ScoreField, actual.ScoreField);
                    Assert.Equal(BitConverter.DoubleToInt64Bits(expected.Score), BitConverter.DoubleToInt64Bits(actual.Score));
                    records++;
                }
                else
                {
                    var expectedError = read[i].Error!;
                    var actualError = Assert.IsType<DatasetError>(scanned[i].Error);
                    Assert.Equal(expectedError.ErrorId, actualError.ErrorId);
                    Assert.Equal(expectedError.Message, actualError.Message);
                    Assert.Equal(expectedError.Line, actualError.Line);
                    errors++;
                }
            }
            Assert.True(records > 2_000 && errors > 1_000, $"{records} records, {errors} errors");
        }
    }
}
