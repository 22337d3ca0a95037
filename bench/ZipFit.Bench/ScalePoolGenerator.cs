using System.Buffers;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using Parquet;
using Parquet.Schema;
using ZipFit.Core.Data;
using ZstdSharp;

namespace ZipFit.Bench;

/// <summary>
/// Builds large labelled pools from the shared medium pool, deterministically: record i joins the leading lines
/// of one example with the trailing lines of another example of the same domain, so texts stay real text of
/// their domain, ids are unique (<c>scale-</c> + the index) and no two texts are byte-identical (a 128-bit
/// content hash rejects repeats). Written as .jsonl.zst and, optionally, as parquet.
/// </summary>
internal static class ScalePoolGenerator
{
    private const int MinBytes = 200, MaxBytes = 3000;

    // 10,000 rows (about 13 MB of text) a row group: the reader holds one row group's columns at a time.
    private const int ParquetRowGroup = 10_000;

    private static readonly byte[] Newline = [(byte)'\n'];

    private sealed record Source(byte[][] Lines, string Domain);

    /// <summary>Writes pool-{count}.jsonl.zst (and pool-{count}.parquet) under <paramref name="outDir"/>; skips files already there.</summary>
    public static Table Run(BenchData data, string outDir, IReadOnlyList<long> sizes, bool parquet, ulong seed = 0x5ca1e)
    {
        var table = new Table($"Scale pools from the shared medium pool (seed {seed:x})", "records", "file", "MB", "python share", "seconds");
        var sources = data.Read(data.MediumPath).Select(r => new Source(SplitLines(r.Utf8), DomainOf(r))).ToArray();
        foreach (long count in sizes)
        {
            string jsonl = Path.Combine(outDir, $"pool-{count}.jsonl.zst");
            string pq = Path.Combine(outDir, $"pool-{count}.parquet");
            var watch = Stopwatch.StartNew();
            double python = 0;
            if (!File.Exists(jsonl) || (parquet && !File.Exists(pq)))
            {
                python = Write(sources, count, seed, jsonl, parquet ? pq : null);
            }
            table.Row(count.ToString("N0"), Path.GetFileName(jsonl), (new FileInfo(jsonl).Length / 1e6).ToString("F0"),
                python.ToString("F3"), watch.Elapsed.TotalSeconds.ToString("F1"));
            if (parquet)
            {
                table.Row(count.ToString("N0"), Path.GetFileName(pq), (new FileInfo(pq).Length / 1e6).ToString("F0"), "", "");
            }
        }
        return table;
    }

    private static double Write(Source[] sources, long count, ulong seed, string jsonlPath, string? parquetPath)
    {
        var byDomain = sources.GroupBy(s => s.Domain).ToDictionary(g => g.Key, g => g.ToArray());
        var seen = new HashSet<UInt128>();
        var rng = new SplitMix64(seed);
        long python = 0;
        string jsonlTemp = jsonlPath + ".tmp";
        using var file = File.Create(jsonlTemp);
        using var zstd = new CompressionStream(file, 3);
        zstd.SetParameter(ZstdSharp.Unsafe.ZSTD_cParameter.ZSTD_c_nbWorkers, 0);
        using var json = new Utf8JsonWriter(zstd, new JsonWriterOptions { SkipValidation = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var parquet = parquetPath is null ? null : new ParquetSink(parquetPath + ".tmp");
        var text = new ArrayBufferWriter<byte>(MaxBytes + 4096);
        for (long i = 0; i < count; i++)
        {
            Source a, b;
            do
            {
                text.Clear();
                a = sources[rng.Next(sources.Length)];
                var sameDomain = byDomain[a.Domain];
                b = sameDomain[rng.Next(sameDomain.Length)];
                int head = 1 + rng.Next(a.Lines.Length);
                int tail = rng.Next(b.Lines.Length);
                foreach (var line in a.Lines.AsSpan(0, head))
                {
                    Append(text, line);
                }
                if (text.WrittenSpan[^1] != (byte)'\n')
                {
                    Append(text, Newline);
                }
                foreach (var line in b.Lines.AsSpan(tail))
                {
                    if (text.WrittenCount + line.Length > MaxBytes)
                    {
                        break;
                    }
                    Append(text, line);
                }
            }
            while (text.WrittenCount < MinBytes || text.WrittenCount > MaxBytes || !seen.Add(Hash(text.WrittenSpan)));
            string id = "scale-" + i.ToString("D9");
            json.Reset(zstd);
            json.WriteStartObject();
            json.WriteString("id", id);
            json.WriteString("text", text.WrittenSpan);
            json.WriteString("domain", a.Domain);
            json.WriteEndObject();
            json.Flush();
            zstd.WriteByte((byte)'\n');
            parquet?.Add(id, text.WrittenSpan, a.Domain);
            if (a.Domain == "python")
            {
                python++;
            }
        }
        parquet?.Finish(parquetPath!);
        json.Dispose();
        zstd.Dispose();
        file.Dispose();
        File.Move(jsonlTemp, jsonlPath, overwrite: true);
        return (double)python / count;
    }

    private static void Append(ArrayBufferWriter<byte> buffer, byte[] line)
    {
        line.CopyTo(buffer.GetSpan(line.Length));
        buffer.Advance(line.Length);
    }

    private static UInt128 Hash(ReadOnlySpan<byte> text)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(text, digest);
        return new UInt128(BitConverter.ToUInt64(digest), BitConverter.ToUInt64(digest[8..]));
    }

    private static byte[][] SplitLines(byte[] utf8)
    {
        var lines = new List<byte[]>();
        int start = 0;
        for (int i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n')
            {
                lines.Add(utf8[start..(i + 1)]);
                start = i + 1;
            }
        }
        if (start < utf8.Length)
        {
            lines.Add(utf8[start..]);
        }
        return lines.ToArray();
    }

    private static string DomainOf(DatasetRecord record)
    {
        using var doc = JsonDocument.Parse(record.JsonUtf8!.Value);
        return doc.RootElement.GetProperty("domain").GetString()!;
    }

    /// <summary>Row groups of (id, text, domain), written as they fill.</summary>
    private sealed class ParquetSink
    {
        private readonly DataField<string> _id = new("id"), _text = new("text"), _domain = new("domain");
        private readonly string _temp;
        private readonly FileStream _file;
        private readonly ParquetWriter _writer;
        private readonly List<string> _ids = [], _texts = [], _domains = [];

        public ParquetSink(string temp)
        {
            _temp = temp;
            _file = File.Create(temp);
            _writer = ParquetWriter.CreateAsync(new ParquetSchema(_id, _text, _domain), _file).GetAwaiter().GetResult();
        }

        public void Add(string id, ReadOnlySpan<byte> text, string domain)
        {
            _ids.Add(id);
            _texts.Add(System.Text.Encoding.UTF8.GetString(text));
            _domains.Add(domain);
            if (_ids.Count == ParquetRowGroup)
            {
                Flush();
            }
        }

        private void Flush()
        {
            if (_ids.Count == 0)
            {
                return;
            }
            using (var group = _writer.CreateRowGroup())
            {
                group.WriteAsync(_id, _ids.ToArray(), null).GetAwaiter().GetResult();
                group.WriteAsync(_text, _texts.ToArray(), null).GetAwaiter().GetResult();
                group.WriteAsync(_domain, _domains.ToArray(), null).GetAwaiter().GetResult();
            }
            _ids.Clear();
            _texts.Clear();
            _domains.Clear();
        }

        public void Finish(string path)
        {
            Flush();
            _writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
            _file.Dispose();
            File.Move(_temp, path, overwrite: true);
        }
    }

    /// <summary>SplitMix64: small, fast and the same on every platform and runtime, unlike System.Random's seeded stream.</summary>
    private struct SplitMix64(ulong state)
    {
        private ulong _state = state;

        public int Next(int bound)
        {
            _state += 0x9E3779B97F4A7C15;
            ulong z = _state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            z ^= z >> 31;
            return (int)((z >> 33) % (ulong)bound);
        }
    }
}
