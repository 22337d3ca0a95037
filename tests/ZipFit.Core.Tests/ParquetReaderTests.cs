using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Parquet;
using Parquet.Schema;
using ZipFit.Core.Data;

namespace ZipFit.Core.Tests;

/// <summary>
/// The Parquet reader takes the text column's stored UTF-8 bytes instead of Parquet.Net's strings: every record must
/// hold what the strings held (text, id, the JSON of every column), whatever the column's nulls, encoding and row groups.
/// </summary>
public sealed class ParquetReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("zipfit-parquet-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Nulls, empty texts, escapes, non-ASCII and long texts; when repetitive, few distinct values, so
    /// that Parquet.Net dictionary-encodes the column.</summary>
    private static string?[] Texts(int group, int rows, bool repetitive)
    {
        var texts = new string?[rows];
        for (int i = 0; i < rows; i++)
        {
            int n = repetitive ? i % 3 : i;
            texts[i] = (i % 7) switch
            {
                0 => null,
                1 => "",
                2 => $"def f_{group}_{n}(x):\n\treturn \"x\" + '\\u0001' \u0001 {n}",
                3 => $"é中文 \U0001F600 <script> & {group}/{n}",
                _ => new string((char)('a' + n % 26), 1 + n % 300) + $" {group} {n}",
            };
        }
        return texts;
    }

    private async Task<string> Write(bool nullable, bool repetitive, int groups, int rows)
    {
        string path = Path.Combine(_dir, $"t-{nullable}-{repetitive}.parquet");
        var idField = new DataField<string>("id");
        var textField = new DataField("text", typeof(string), nullable);
        var scoreField = new DataField<double>("score");
        var schema = new ParquetSchema(idField, textField, scoreField);
        using var file = File.Create(path);
        var options = new ParquetOptions();
        if (repetitive) options.ColumnEncodingHints[textField.Path.ToString()] = EncodingHint.Dictionary;
        var writer = await ParquetWriter.CreateAsync(schema, file, options);
        for (int g = 0; g < groups; g++)
        {
            var texts = Texts(g, rows, repetitive).Select(t => nullable ? t : t ?? "required").ToArray();
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(idField, Enumerable.Range(0, rows).Select(i => $"g{g}-{i}").ToArray(), null);
            await group.WriteAsync(textField, texts, null);
            await group.WriteAsync<double>(scoreField, Enumerable.Range(0, rows).Select(i => i / 8.0).ToArray(), null, null, default);
        }
        await writer.DisposeAsync();
        return path;
    }

    private static async Task<bool> IsDictionaryEncoded(string path, string column)
    {
        using var file = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(file);
        using var group = reader.OpenRowGroupReader(0);
        var field = reader.Schema.GetDataFields().Single(f => f.Name == column);
        return group.GetMetadata(field)!.MetaData!.Encodings.Any(e => e is Parquet.Meta.Encoding.RLE_DICTIONARY or Parquet.Meta.Encoding.PLAIN_DICTIONARY);
    }

    private static byte[] ExpectedJson(string id, string text, double score)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("id", id);
            w.WriteString("text", text);
            w.WriteNumber("score", score);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public async Task RecordsHoldWhatTheStringsHeld(bool nullable, bool repetitive)
    {
        const int groups = 3, rows = 700;
        string path = await Write(nullable, repetitive, groups, rows);
        var items = DatasetReader.Read(path, new DatasetReadOptions()).ToList();
        Assert.True(groups * rows == items.Count, items[0].Error?.Message);
        Assert.Equal(repetitive, await IsDictionaryEncoded(path, "text"));
        int k = 0;
        for (int g = 0; g < groups; g++)
        {
            var texts = Texts(g, rows, repetitive);
            for (int i = 0; i < rows; i++, k++)
            {
                var item = items[k];
                string? expected = nullable ? texts[i] : texts[i] ?? "required";
                if (expected is null)
                {
                    Assert.Equal(DatasetErrorIds.TextNotString, item.Error!.ErrorId);
                    Assert.Equal(k + 1, item.Error.Line);
                    continue;
                }
                var record = item.Record!;
                Assert.Equal($"g{g}-{i}", record.Id);
                Assert.Equal(k + 1, record.Line);
                Assert.Equal(Encoding.UTF8.GetBytes(expected), record.Utf8);
                Assert.Equal(expected, record.Text);
                Assert.Equal(ExpectedJson($"g{g}-{i}", expected, i / 8.0), Encoding.UTF8.GetBytes(record.Json!));
            }
        }
    }

    [Fact]
    public async Task TheRecordLimitCountsTheStoredBytes()
    {
        string path = Path.Combine(_dir, "limit.parquet");
        var textField = new DataField<string>("text");
        using (var file = File.Create(path))
        {
            var writer = await ParquetWriter.CreateAsync(new ParquetSchema(textField), file);
            using (var group = writer.CreateRowGroup())
            {
                // 1,000 and 1,001 bytes: 500 two-byte characters, and one more ASCII byte
                await group.WriteAsync(textField, new[] { new string('é', 500), new string('é', 500) + "x" }, null);
            }
            await writer.DisposeAsync();
        }
        var items = DatasetReader.Read(path, new DatasetReadOptions { MaxRecordBytes = 1000 }).ToList();
        Assert.Equal(1000, items[0].Record!.Utf8.Length);
        Assert.Equal(DatasetErrorIds.RecordTooLarge, items[1].Error!.ErrorId);
        Assert.Contains("1,001 bytes", items[1].Error!.Message);
    }
}
