using System.IO.Compression;
using System.Text;
using K4os.Compression.LZ4;
using Parquet;
using Parquet.Schema;
using ZipFit.Core.Data;

namespace ZipFit.Core.Tests;

/// <summary>
/// The text column's own page reader (ParquetTextPages) against Parquet.Net's string read and against the cells a file
/// was built from: files Parquet.Net writes (each codec, nulls, dictionaries, row groups), and files built here page by
/// page for the layouts Parquet.Net does not write (several pages in a chunk, DATA_PAGE_V2, a dictionary and then plain
/// pages, invalid UTF-8) and for damage, which must end the file with an error after the rows before it.
/// </summary>
public sealed class ParquetPagesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("zipfit-pages-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const int Uncompressed = 0, Snappy = 1, Gzip = 2, Brotli = 4, Lz4Hadoop = 5, Zstd = 6, Lz4Raw = 7;

    /// <summary>Nulls, empty cells, ASCII, multi-byte UTF-8, bytes that are not UTF-8, and long cells.</summary>
    private static byte[]?[] Cells(int seed, int rows, bool nulls, int distinct = 0)
    {
        var random = new Random(seed);
        var cells = new byte[]?[rows];
        for (int i = 0; i < rows; i++)
        {
            int n = distinct > 0 ? random.Next(distinct) : i;
            cells[i] = (distinct > 0 ? n % 9 : random.Next(9)) switch
            {
                0 when nulls => null,
                1 => [],
                2 => Encoding.UTF8.GetBytes($"def f_{seed}_{n}(x):\n\treturn \"x\" + '\\u0001' {n}"),
                3 => Encoding.UTF8.GetBytes($"é中文 \U0001F600 <script> & {seed}/{n}"),
                4 => [0xFF, 0x41, (byte)n, 0xC3],                    // not UTF-8: a stray 0xFF, a cut sequence
                5 => [0xED, 0xA0, 0x80, 0xC0, 0x80, (byte)'a'],        // an encoded surrogate, an overlong NUL
                6 => Encoding.UTF8.GetBytes(new string((char)('a' + n % 26), 1 + n * 7919 % 20000)),
                _ => Encoding.UTF8.GetBytes($"row {n} " + new string('z', n % 50)),
            };
        }
        return cells;
    }

    /// <summary>What Parquet.Net's string read (and so a record) holds for a cell: invalid UTF-8 as U+FFFD.</summary>
    private static byte[]? Expected(byte[]? cell) => cell is null ? null : Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(cell));

    // ---- reading ----

    private static List<byte[]?> ReadWithPages(string path, long budget = 1L << 30)
    {
        using var file = File.OpenRead(path);
        var reader = ParquetReader.CreateAsync(file).GetAwaiter().GetResult();
        var field = reader.Schema.GetDataFields().Single(f => f.Name == "text");
        using var pages = new ParquetTextPages(file, budget);
        var cells = new List<byte[]?>();
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var chunk = group.GetMetadata(field);
            Assert.Null(ParquetTextPages.Unsupported(chunk, field.MaxDefinitionLevel, field.MaxRepetitionLevel));
            pages.Open(chunk!, field.MaxDefinitionLevel, (int)group.RowCount);
            for (long i = 0; i < group.RowCount; i++)
            {
                cells.Add(pages.Next(out var value) ? Expected(value.ToArray()) : null);
            }
        }
        return cells;
    }

    private static async Task<List<byte[]?>> ReadWithParquetNet(string path)
    {
        using var file = File.OpenRead(path);
        await using var reader = await ParquetReader.CreateAsync(file);
        var field = reader.Schema.GetDataFields().Single(f => f.Name == "text");
        var cells = new List<byte[]?>();
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var values = new string?[group.RowCount];
            await group.ReadAsync(field, values.AsMemory()!, null, default);
            cells.AddRange(values.Select(v => v is null ? null : Encoding.UTF8.GetBytes(v)));
        }
        return cells;
    }

    /// <summary>Every item of the whole reader against the expected cells: records for cells, TextNotString for nulls.</summary>
    private static void AssertRecords(IReadOnlyList<byte[]?> expected, List<DatasetItem> items)
    {
        Assert.True(expected.Count == items.Count, $"{items.Count} items for {expected.Count} rows; first error: {items.FirstOrDefault(i => i.Error is not null).Error?.Message}");
        for (int k = 0; k < expected.Count; k++)
        {
            if (expected[k] is null)
            {
                Assert.Equal(DatasetErrorIds.TextNotString, items[k].Error?.ErrorId);
                Assert.Equal(k + 1, items[k].Error!.Line);
                continue;
            }
            var record = items[k].Record;
            Assert.True(record is not null, $"row {k + 1}: {items[k].Error?.Message}");
            Assert.Equal(k + 1, record.Line);
            Assert.Equal(expected[k], record.Utf8);
            Assert.Equal(Encoding.UTF8.GetString(expected[k]!), record.Text);
        }
    }

    // ---- files Parquet.Net writes ----

    public static TheoryData<CompressionMethod, bool, bool> WrittenLayouts()
    {
        var data = new TheoryData<CompressionMethod, bool, bool>();
        foreach (var codec in new[] { CompressionMethod.None, CompressionMethod.Snappy, CompressionMethod.Gzip, CompressionMethod.Brotli, CompressionMethod.Zstd, CompressionMethod.Lz4Raw })
        {
            foreach (bool nullable in new[] { true, false })
            {
                foreach (bool dictionary in new[] { true, false })
                {
                    data.Add(codec, nullable, dictionary);
                }
            }
        }
        return data;
    }

    private async Task<(string Path, List<byte[]?> Cells)> WriteWithParquetNet(CompressionMethod codec, bool nullable, bool dictionary, int groups = 4, int rows = 900)
    {
        string path = Path.Combine(_dir, $"net-{codec}-{nullable}-{dictionary}.parquet");
        var idField = new DataField<string>("id");
        var textField = new DataField("text", typeof(string), nullable);
        var options = new ParquetOptions { CompressionMethod = codec };
        if (dictionary) options.ColumnEncodingHints["text"] = EncodingHint.Dictionary;
        var all = new List<byte[]?>();
        using (var file = File.Create(path))
        {
            var writer = await ParquetWriter.CreateAsync(new ParquetSchema(idField, textField), file, options);
            for (int g = 0; g < groups; g++)
            {
                // Parquet.Net writes strings as UTF-8, so its cells are the valid ones; dictionary columns repeat values.
                var strings = Cells(g, rows + g, nullable, dictionary ? 40 : 0).Select(c => c is null ? null : Encoding.UTF8.GetString(c)).ToArray();
                using var group = writer.CreateRowGroup();
                await group.WriteAsync(idField, strings.Select((_, i) => $"g{g}-{i}").ToArray(), null);
                await group.WriteAsync(textField, strings, null);
                all.AddRange(strings.Select(s => s is null ? null : Encoding.UTF8.GetBytes(s)));
            }
            await writer.DisposeAsync();
        }
        return (path, all);
    }

    [Theory]
    [MemberData(nameof(WrittenLayouts))]
    public async Task FilesParquetNetWritesReadAsItsStrings(CompressionMethod codec, bool nullable, bool dictionary)
    {
        var (path, cells) = await WriteWithParquetNet(codec, nullable, dictionary);
        var net = await ReadWithParquetNet(path);
        Assert.Equal(cells, net);
        Assert.Equal(net, ReadWithPages(path));
        var items = DatasetReader.Read(path, new DatasetReadOptions()).ToList();
        AssertRecords(net, items);
        var ids = Enumerable.Range(0, 4).SelectMany(g => Enumerable.Range(0, 900 + g).Select(i => $"g{g}-{i}")).ToList();
        Assert.All(items.Where(i => i.Record is not null), i => Assert.Equal(ids[(int)i.Record!.Line - 1], i.Record.Id));
    }

    [Fact]
    public async Task AChunkThePageReaderDoesNotReadGoesToParquetNet()
    {
        // Parquet.Net's LZ4 is the Hadoop-framed codec, which only Parquet.Net reads.
        var (path, cells) = await WriteWithParquetNet(CompressionMethod.LZ4, nullable: true, dictionary: false, groups: 2, rows: 300);
        using (var file = File.OpenRead(path))
        await using (var reader = await ParquetReader.CreateAsync(file))
        using (var group = reader.OpenRowGroupReader(0))
        {
            var field = reader.Schema.GetDataFields().Single(f => f.Name == "text");
            Assert.Equal("codec LZ4", ParquetTextPages.Unsupported(group.GetMetadata(field), field.MaxDefinitionLevel, field.MaxRepetitionLevel));
        }
        AssertRecords(cells, DatasetReader.Read(path, new DatasetReadOptions()).ToList());
    }

    // ---- files built page by page ----

    /// <summary>A page of a built chunk: its rows, whether its values index the dictionary, DATA_PAGE_V2 (and its
    /// is_compressed flag: null leaves it out), and, for damage, what its header declares instead of the truth.</summary>
    private sealed record PageSpec(int Rows, bool Dictionary = false, bool V2 = false, bool? IsCompressed = null)
    {
        public int? DeclaredUncompressed { get; init; }
        public int? DeclaredCompressed { get; init; }
        public int ExtraRowsDeclared { get; init; }
        public int IndexShift { get; init; }
        /// <summary>The values' encoding when not dictionary-encoded: PLAIN, or DELTA_LENGTH_BYTE_ARRAY / DELTA_BYTE_ARRAY.</summary>
        public int ValueEncoding { get; init; } = Plain_;
        /// <summary>A v1 page's definition_level_encoding: RLE, or the deprecated BIT_PACKED.</summary>
        public int LevelEncoding { get; init; } = Rle;
        /// <summary>DELTA_BYTE_ARRAY prefixes only over ASCII bytes, never into a multi-byte character.</summary>
        public bool AsciiPrefixes { get; init; }
    }

    private const int Plain_ = 0, Rle = 3, BitPacked = 4, DeltaLengthByteArray = 6, DeltaByteArray = 7;

    private sealed class BuiltFile
    {
        public required string Path { get; init; }
        public required List<byte[]?> Cells { get; init; }
        /// <summary>Where each page (header first) starts in the file, group by group.</summary>
        public required List<List<long>> PageOffsets { get; init; }
    }

    /// <summary>Builds a file of one BYTE_ARRAY (UTF8) column "text": each group its pages, a dictionary page first when
    /// a page uses it, then the footer. <paramref name="chunkShortBy"/> makes the footer claim fewer chunk bytes.</summary>
    private BuiltFile Build(int codec, bool optional, IReadOnlyList<IReadOnlyList<PageSpec>> groups, int seed = 1, int chunkShortBy = 0, string name = "built", bool extras = true, int distinct = 30, int[]? listedEncodings = null)
    {
        string path = Path.Combine(_dir, $"{name}.parquet");
        var output = new MemoryStream();
        output.Write("PAR1"u8);
        var cells = new List<byte[]?>();
        var offsets = new List<List<long>>();
        var chunks = new List<(long Start, long Length, long DataOffset, long? DictionaryOffset, long Uncompressed, int Rows, bool UsesDictionary)>();
        for (int g = 0; g < groups.Count; g++)
        {
            int rows = groups[g].Sum(p => p.Rows);
            var groupCells = Cells(seed * 100 + g, rows, optional, distinct: groups[g].Any(p => p.Dictionary) ? distinct : 0);
            cells.AddRange(groupCells);
            var pageOffsets = new List<long>();
            long start = output.Position, uncompressed = 0;
            long? dictionaryOffset = null;
            List<byte[]>? dictionary = null;
            if (groups[g].Any(p => p.Dictionary))
            {
                dictionary = groupCells.Where(c => c is not null).Select(c => c!).DistinctBy(Convert.ToHexString).ToList();
                dictionaryOffset = output.Position;
                pageOffsets.Add(output.Position);
                uncompressed += WritePage(output, DictionaryPage(codec, dictionary), extras);
            }
            long dataOffset = output.Position;
            int at = 0;
            foreach (var spec in groups[g])
            {
                pageOffsets.Add(output.Position);
                uncompressed += WritePage(output, DataPage(codec, optional, groupCells.AsSpan(at, spec.Rows).ToArray(), spec, dictionary, extras), extras);
                at += spec.Rows;
            }
            chunks.Add((start, output.Position - start, dataOffset, dictionaryOffset, uncompressed, rows, dictionary is not null));
            offsets.Add(pageOffsets);
        }
        var footer = new Thrift().I32(1, 1)
            .BeginList(2, 2)
                .Element().Binary(4, "schema"u8.ToArray()).I32(5, 1).End()
                .Element().I32(1, 6).I32(3, optional ? 1 : 0).Binary(4, "text"u8.ToArray()).I32(6, 0).End()
            .I64(3, cells.Count)
            .BeginList(4, chunks.Count);
        foreach (var c in chunks)
        {
            footer.Element()
                .BeginList(1, 1)
                    .Element().I64(2, c.Start).Struct(3)
                        .I32(1, 6).ListI32(2, listedEncodings ?? (c.UsesDictionary ? [0, 3, 8] : [0, 3])).ListBinary(3, "text"u8.ToArray()).I32(4, codec)
                        .I64(5, c.Rows).I64(6, c.Uncompressed).I64(7, c.Length - (c.Start == chunks[^1].Start ? chunkShortBy : 0)).I64(9, c.DataOffset);
            if (c.DictionaryOffset is long d) footer.I64(11, d);
            footer.End().End()
                .I64(2, c.Uncompressed).I64(3, c.Rows)
            .End();
        }
        byte[] meta = footer.End().ToArray();
        output.Write(meta);
        output.Write(BitConverter.GetBytes(meta.Length));
        output.Write("PAR1"u8);
        File.WriteAllBytes(path, output.ToArray());
        return new BuiltFile { Path = path, Cells = cells, PageOffsets = offsets };
    }

    private sealed record Page(int Type, byte[] Stored, int Uncompressed, Action<Thrift> Header);

    /// <summary>Writes a page (header, then its stored bytes); returns its bytes, header included.</summary>
    private static long WritePage(Stream output, Page page, bool extras)
    {
        var header = new Thrift().I32(1, page.Type).I32(2, page.Uncompressed).I32(3, page.Stored.Length);
        if (extras) header.I32(4, 12345);
        page.Header(header);
        if (extras)
        {
            // A field no reader knows, holding a list of structs: it must be skipped whole.
            header.BeginList(30, 2).Element().Binary(1, [1, 2, 3]).I64(2, -5).End().Element().Bool(1, true).End()
                .MapI32Binary(31, (1, [5, 6]), (-2, []));
        }
        byte[] bytes = header.End().ToArray();
        output.Write(bytes);
        output.Write(page.Stored);
        return bytes.Length + page.Stored.Length;
    }

    private static Page DictionaryPage(int codec, List<byte[]> values)
    {
        byte[] plain = Plain(values);
        return new Page(2, Compress(codec, plain), plain.Length, h => h.Struct(7).I32(1, values.Count).I32(2, 0).Bool(3, false).End());
    }

    private static Page DataPage(int codec, bool optional, byte[]?[] cells, PageSpec spec, List<byte[]>? dictionary, bool extras)
    {
        var present = cells.Where(c => c is not null).Select(c => c!).ToList();
        byte[] values;
        int encoding;
        if (spec.Dictionary)
        {
            var indices = present.Select(c => dictionary!.FindIndex(d => d.AsSpan().SequenceEqual(c)) + spec.IndexShift).ToArray();
            int width = 0;
            while ((1L << width) <= Math.Max(dictionary!.Count - 1 + spec.IndexShift, 0)) width++;
            values = [(byte)width, .. Hybrid(indices, width)];
            encoding = 8;
        }
        else
        {
            values = spec.ValueEncoding switch
            {
                Plain_ => Plain(present),
                DeltaLengthByteArray => [.. DeltaBinaryPacked(present.Select(c => (long)c.Length).ToArray()), .. present.SelectMany(c => c)],
                DeltaByteArray => DeltaStrings(present, spec.AsciiPrefixes),
                _ => throw new ArgumentOutOfRangeException(nameof(spec)),
            };
            encoding = spec.ValueEncoding;
        }
        int[] definitions = cells.Select(c => c is null ? 0 : 1).ToArray();
        byte[] levels = !optional ? [] : spec.LevelEncoding == BitPacked && !spec.V2 ? BitPackedLevels(definitions) : Hybrid(definitions, 1);
        int declaredRows = cells.Length + spec.ExtraRowsDeclared;
        if (!spec.V2)
        {
            // BIT_PACKED levels have no length before them: their size follows from the page's value count.
            byte[] body = !optional ? values
                : spec.LevelEncoding == BitPacked ? [.. levels, .. values]
                : [.. BitConverter.GetBytes(levels.Length), .. levels, .. values];
            byte[] stored = Compress(codec, body);
            return new Page(0, stored, spec.DeclaredUncompressed ?? body.Length, h =>
            {
                if (spec.DeclaredCompressed is int c) h.I32(3, c);
                h.Struct(5).I32(1, declaredRows).I32(2, encoding).I32(3, spec.LevelEncoding).I32(4, Rle);
                if (extras) h.Struct(5).Binary(1, [9, 9]).Binary(2, [1]).I64(3, 0).End();         // statistics, skipped
                h.End();
            });
        }
        bool compressed = spec.IsCompressed ?? true;
        byte[] storedValues = compressed ? Compress(codec, values) : values;
        return new Page(3, [.. levels, .. storedValues], spec.DeclaredUncompressed ?? levels.Length + values.Length, h =>
        {
            if (spec.DeclaredCompressed is int c) h.I32(3, c);
            h.Struct(8).I32(1, declaredRows).I32(2, cells.Length - present.Count).I32(3, declaredRows).I32(4, encoding)
                .I32(5, levels.Length).I32(6, 0);
            if (spec.IsCompressed is bool flag) h.Bool(7, flag);
            if (extras) h.Struct(8).Binary(5, [7]).End();
            h.End();
        });
    }

    /// <summary>DELTA_BINARY_PACKED: blocks of 128 values in 4 miniblocks of 32, each bit-packed at its own width (an
    /// unneeded miniblock of the last block at width 0, so with no bytes).</summary>
    private static byte[] DeltaBinaryPacked(long[] values)
    {
        var output = new MemoryStream();
        void Varint(ulong v)
        {
            while (v >= 0x80) { output.WriteByte((byte)(v | 0x80)); v >>= 7; }
            output.WriteByte((byte)v);
        }
        void Zigzag(long v) => Varint((ulong)((v << 1) ^ (v >> 63)));
        const int block = 128, miniblocks = 4, per = block / miniblocks;
        Varint(block);
        Varint(miniblocks);
        Varint((ulong)values.Length);
        Zigzag(values.Length > 0 ? values[0] : 0);
        for (int i = 1; i < values.Length; i += block)
        {
            int n = Math.Min(block, values.Length - i);
            var deltas = Enumerable.Range(i, n).Select(k => values[k] - values[k - 1]).ToArray();
            long min = deltas.Min();
            Zigzag(min);
            var widths = new byte[miniblocks];
            for (int m = 0; m * per < n; m++)
            {
                ulong max = deltas.Skip(m * per).Take(per).Select(d => (ulong)(d - min)).Max();
                while (widths[m] < 64 && max >> widths[m] != 0) widths[m]++;
            }
            output.Write(widths);
            for (int m = 0; m * per < n; m++)
            {
                var bits = new byte[per * widths[m] / 8];
                for (int k = 0; k < per; k++)
                {
                    ulong v = m * per + k < n ? (ulong)(deltas[m * per + k] - min) : 0;
                    for (int b = 0; b < widths[m]; b++)
                    {
                        if ((v >> b & 1) != 0) bits[(k * widths[m] + b) / 8] |= (byte)(1 << ((k * widths[m] + b) % 8));
                    }
                }
                output.Write(bits);
            }
        }
        return output.ToArray();
    }

    /// <summary>DELTA_BYTE_ARRAY: each value's prefix length shared with the one before, its suffix lengths, its suffixes;
    /// <paramref name="asciiPrefixes"/> shares only ASCII bytes (the prefixes Parquet.Net's string read can take).</summary>
    private static byte[] DeltaStrings(List<byte[]> values, bool asciiPrefixes)
    {
        var prefixes = new long[values.Count];
        for (int i = 1; i < values.Count; i++)
        {
            prefixes[i] = values[i].AsSpan().CommonPrefixLength(values[i - 1]);
            if (asciiPrefixes) prefixes[i] = Math.Min(prefixes[i], values[i].TakeWhile(b => b < 0x80).Count());
        }
        var suffixes = values.Select((v, i) => v[(int)prefixes[i]..]).ToList();
        return [.. DeltaBinaryPacked(prefixes), .. DeltaBinaryPacked(suffixes.Select(s => (long)s.Length).ToArray()), .. suffixes.SelectMany(s => s)];
    }

    /// <summary>The deprecated BIT_PACKED levels (width 1): one bit a value, the first in a byte's high bit.</summary>
    private static byte[] BitPackedLevels(int[] levels)
    {
        var bytes = new byte[(levels.Length + 7) / 8];
        for (int i = 0; i < levels.Length; i++)
        {
            if (levels[i] != 0) bytes[i / 8] |= (byte)(0x80 >> (i % 8));
        }
        return bytes;
    }

    private static byte[] Plain(IEnumerable<byte[]> values)
    {
        var output = new MemoryStream();
        foreach (var v in values)
        {
            output.Write(BitConverter.GetBytes(v.Length));
            output.Write(v);
        }
        return output.ToArray();
    }

    /// <summary>The RLE / bit-packed hybrid: runs of 8 or more equal values as RLE, the rest as bit-packed runs of one to
    /// three 8-value groups (the last one padded with zeros).</summary>
    private static byte[] Hybrid(int[] values, int width)
    {
        var output = new MemoryStream();
        void Varint(long v)
        {
            while (v >= 0x80) { output.WriteByte((byte)(v | 0x80)); v >>= 7; }
            output.WriteByte((byte)v);
        }
        int i = 0;
        while (i < values.Length)
        {
            int run = 1;
            while (i + run < values.Length && values[i + run] == values[i]) run++;
            if (run >= 8)
            {
                Varint((long)run << 1);
                for (int b = 0; b < (width + 7) / 8; b++) output.WriteByte((byte)(values[i] >> (8 * b)));
                i += run;
                continue;
            }
            int groups = Math.Min(1 + i / 8 % 3, (values.Length - i + 7) / 8);
            Varint(((long)groups << 1) | 1);
            var bits = new byte[groups * width];
            for (int k = 0; k < groups * 8; k++)
            {
                long v = i + k < values.Length ? values[i + k] : 0;
                for (int b = 0; b < width; b++)
                {
                    if ((v >> b & 1) != 0) bits[(k * width + b) / 8] |= (byte)(1 << ((k * width + b) % 8));
                }
            }
            output.Write(bits);
            i += groups * 8;
        }
        return output.ToArray();
    }

    private static byte[] Compress(int codec, byte[] data)
    {
        switch (codec)
        {
            case Uncompressed:
                return data;
            case Snappy:
                return Snappier.Snappy.CompressToArray(data);
            case Gzip:
            {
                var output = new MemoryStream();
                using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(data);
                return output.ToArray();
            }
            case Brotli:
            {
                var output = new byte[BrotliEncoder.GetMaxCompressedLength(data.Length)];
                Assert.True(BrotliEncoder.TryCompress(data, output, out int written));
                return output[..written];
            }
            case Zstd:
                return new ZstdSharp.Compressor().Wrap(data).ToArray();
            case Lz4Raw:
            {
                var output = new byte[LZ4Codec.MaximumOutputSize(data.Length)];
                return output[..LZ4Codec.Encode(data, output)];
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(codec));
        }
    }

    /// <summary>A Thrift compact protocol writer, as much as a page header and a footer need.</summary>
    private sealed class Thrift
    {
        private readonly MemoryStream _out = new();
        private readonly Stack<short> _outer = new();
        private short _last;

        public byte[] ToArray() => _out.ToArray();

        private void Varint(ulong v)
        {
            while (v >= 0x80) { _out.WriteByte((byte)(v | 0x80)); v >>= 7; }
            _out.WriteByte((byte)v);
        }

        private void Zigzag(long v) => Varint((ulong)((v << 1) ^ (v >> 63)));

        private void Field(short id, int type)
        {
            int delta = id - _last;
            if (delta is > 0 and <= 15) _out.WriteByte((byte)(delta << 4 | type));
            else { _out.WriteByte((byte)type); Zigzag(id); }
            _last = id;
        }

        private void ListHeader(int count, int type)
        {
            if (count < 15) _out.WriteByte((byte)(count << 4 | type));
            else { _out.WriteByte((byte)(0xF0 | type)); Varint((ulong)count); }
        }

        public Thrift I32(short id, int v) { Field(id, 5); Zigzag(v); return this; }
        public Thrift I64(short id, long v) { Field(id, 6); Zigzag(v); return this; }
        public Thrift Bool(short id, bool v) { Field(id, v ? 1 : 2); return this; }
        public Thrift Binary(short id, byte[] v) { Field(id, 8); Varint((ulong)v.Length); _out.Write(v); return this; }
        public Thrift ListI32(short id, int[] v) { Field(id, 9); ListHeader(v.Length, 5); foreach (int x in v) Zigzag(x); return this; }
        public Thrift ListBinary(short id, params byte[][] v) { Field(id, 9); ListHeader(v.Length, 8); foreach (var x in v) { Varint((ulong)x.Length); _out.Write(x); } return this; }
        public Thrift MapI32Binary(short id, params (int Key, byte[] Value)[] entries)
        {
            Field(id, 11);
            Varint((ulong)entries.Length);
            _out.WriteByte(5 << 4 | 8);
            foreach (var (key, value) in entries) { Zigzag(key); Varint((ulong)value.Length); _out.Write(value); }
            return this;
        }
        public Thrift Struct(short id) { Field(id, 12); return Element(); }
        public Thrift BeginList(short id, int count) { Field(id, 9); ListHeader(count, 12); return this; }
        public Thrift Element() { _outer.Push(_last); _last = 0; return this; }
        public Thrift End() { _out.WriteByte(0); if (_outer.Count > 0) _last = _outer.Pop(); return this; }
    }

    public static TheoryData<int, bool, bool> BuiltLayouts()
    {
        var data = new TheoryData<int, bool, bool>();
        foreach (int codec in new[] { Uncompressed, Snappy, Gzip, Brotli, Zstd, Lz4Raw })
        {
            foreach (bool optional in new[] { true, false })
            {
                foreach (bool v2 in new[] { false, true })
                {
                    data.Add(codec, optional, v2);
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(BuiltLayouts))]
    public async Task PagesOfEveryLayoutReadAsTheirCells(int codec, bool optional, bool v2)
    {
        // Group 0: plain pages; group 1: dictionary pages, then plain ones (as pyarrow writes when the dictionary
        // grows); group 2: one page; group 3: a page of no rows between two others.
        var file = Build(codec, optional,
        [
            [new(100, V2: v2), new(37, V2: v2), new(250, V2: v2)],
            [new(64, Dictionary: true, V2: v2), new(201, Dictionary: true, V2: v2), new(90, V2: v2), new(10, V2: !v2)],
            [new(1, V2: v2)],
            [new(20, V2: v2), new(0, V2: v2), new(33, Dictionary: false, V2: v2)],
        ], seed: codec + 10);
        var expected = file.Cells.Select(Expected).ToList();
        Assert.Equal(expected, ReadWithPages(file.Path));
        AssertRecords(expected, DatasetReader.Read(file.Path, new DatasetReadOptions()).ToList());
        var plain = Build(codec, optional, [[new(100, V2: v2), new(37, V2: v2)], [new(64, Dictionary: true, V2: v2)]], seed: codec + 20, name: "plain", extras: false);
        Assert.Equal(plain.Cells.Select(Expected), await ReadWithParquetNet(plain.Path));
        Assert.Equal(plain.Cells.Select(Expected), ReadWithPages(plain.Path));
    }

    [Theory]
    [InlineData(Snappy)]
    [InlineData(Zstd)]
    [InlineData(Uncompressed)]
    public void AV2PageMayStoreItsValuesUncompressed(int codec)
    {
        var file = Build(codec, optional: true,
            [[new(50, V2: true, IsCompressed: false), new(60, V2: true, IsCompressed: true), new(70, Dictionary: true, V2: true, IsCompressed: false)]]);
        Assert.Equal(file.Cells.Select(Expected), ReadWithPages(file.Path));
    }

    [Fact]
    public void ADictionaryOfOneValueHasNoIndexBits()
    {
        var single = Build(Snappy, optional: false, [[new(1, Dictionary: true)], [new(1, Dictionary: true)]], seed: 4, name: "single");
        Assert.Equal(single.Cells.Select(Expected), ReadWithPages(single.Path));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ALargeDictionaryHasWideIndices(bool v2)
    {
        // Some 3,000 distinct values: 12-bit indices, packed across byte boundaries.
        var file = Build(Zstd, optional: true, [[new(5000, Dictionary: true, V2: v2), new(3000, Dictionary: true, V2: v2)]], seed: 5, distinct: 4000);
        Assert.Equal(file.Cells.Select(Expected), ReadWithPages(file.Path));
    }

    // ---- pages the page reader does not read: Parquet.Net from the row where it found out ----

    /// <summary>The whole reader against Parquet.Net's string read of the same file: every row's record (text, line, id,
    /// JSON) or TextNotString error, in order, none repeated or skipped; also against the cells the file was built from.</summary>
    private static async Task AssertSameAsParquetNet(BuiltFile file, bool parquetNetReadsStrings = true)
    {
        var net = parquetNetReadsStrings ? await ReadWithParquetNet(file.Path) : file.Cells.Select(Expected).ToList();
        Assert.Equal(file.Cells.Select(Expected), net);
        var items = DatasetReader.Read(file.Path, new DatasetReadOptions()).ToList();
        AssertRecords(net, items);
        for (int k = 0; k < net.Count; k++)
        {
            if (items[k].Record is not { } record) continue;
            Assert.Equal($"{file.Path}:{k + 1}", record.Id);
            var json = new System.Buffers.ArrayBufferWriter<byte>();
            using (var writer = new System.Text.Json.Utf8JsonWriter(json, new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                writer.WriteStartObject();
                writer.WriteString("text", Encoding.UTF8.GetString(net[k]!));
                writer.WriteEndObject();
            }
            Assert.Equal(json.WrittenSpan.ToArray(), record.JsonUtf8!.Value.ToArray());
        }
    }

    public static TheoryData<int, int, bool, bool> DeltaLayouts()
    {
        var data = new TheoryData<int, int, bool, bool>();
        foreach (int encoding in new[] { DeltaLengthByteArray, DeltaByteArray })
        {
            foreach (int codec in new[] { Uncompressed, Snappy, Zstd })
            {
                foreach (bool optional in new[] { true, false })
                {
                    data.Add(encoding, codec, optional, false);
                }
                data.Add(encoding, codec, true, true);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(DeltaLayouts))]
    public async Task APageOfValuesThePageReaderDoesNotReadSwitchesToParquetNetFromThatRow(int encoding, int codec, bool optional, bool v2)
    {
        // The chunk metadata lists only what the page reader reads; the delta page is found a page (or several) in.
        // Group 0: a dictionary, two pages read, then the delta page and a plain one after it; group 1: read whole
        // by the page reader again; group 2: the delta page first; group 3: the delta page last, of one row.
        var delta = new PageSpec(80, V2: v2) { ValueEncoding = encoding, AsciiPrefixes = true };
        var file = Build(codec, optional,
        [
            [new(64, Dictionary: true, V2: v2), new(50, V2: v2), delta, new(30, V2: v2)],
            [new(40, V2: v2), new(33, V2: v2)],
            [delta with { Rows = 200 }, new(20, V2: v2)],
            [new(45, V2: v2), delta with { Rows = 1 }],
        ], seed: encoding * 10 + codec, name: $"delta-{encoding}-{codec}-{optional}-{v2}", extras: false);
        // The page reader alone gives up at the delta page (so the switch is mid-chunk, not up front)...
        Assert.Throws<NotSupportedException>(() => ReadWithPages(file.Path));
        // ...and the whole reader gives what Parquet.Net does for every row.
        await AssertSameAsParquetNet(file);
    }

    [Theory]
    [InlineData(DeltaLengthByteArray)]
    [InlineData(DeltaByteArray)]
    public async Task AChunkListingADeltaEncodingGoesToParquetNetUpFront(int encoding)
    {
        var file = Build(Snappy, true, [[new(70), new(90) { ValueEncoding = encoding, AsciiPrefixes = true }], [new(30) { ValueEncoding = encoding, AsciiPrefixes = true }]],
            seed: 7, listedEncodings: [0, 3, encoding], extras: false);
        await AssertSameAsParquetNet(file);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DeltaByteArrayPrefixesEndingInsideACharacterAreReadAsBytes(bool v2)
    {
        // Parquet.Net 6.1's string read of DELTA_BYTE_ARRAY takes a prefix's byte length as UTF-16 chars and fails
        // (ArgumentOutOfRangeException in DeltaByteArrayEncoder.MakeStrings) once a shared prefix holds a multi-byte
        // character; the fallback reads the raw bytes, which Parquet.Net gets right, so records are the built cells.
        var file = Build(Zstd, true, [[new(60, V2: v2), new(150, V2: v2) { ValueEncoding = DeltaByteArray }, new(10, V2: v2)]],
            seed: 40, name: $"prefixes-{v2}", extras: false);
        Assert.Throws<NotSupportedException>(() => ReadWithPages(file.Path));
        await AssertSameAsParquetNet(file, parquetNetReadsStrings: false);
    }

    [Theory]
    [InlineData(Uncompressed, false)]
    [InlineData(Snappy, false)]
    [InlineData(Gzip, false)]
    [InlineData(Snappy, true)]
    public void BitPackedDefinitionLevelsAreRead(int codec, bool listed)
    {
        // The deprecated BIT_PACKED level encoding on a v1 page (most significant bit first, no length before it), beside
        // pages of RLE levels, in chunks that list it or do not. Parquet.Net 6.1 decodes every v1 page's levels as RLE
        // (it ignores definition_level_encoding), so it cannot read these files; the page reader reads every row.
        var bitPacked = new PageSpec(77) { LevelEncoding = BitPacked };
        var file = Build(codec, optional: true,
        [
            [new(100), bitPacked, new(40)],
            [new(25), new(25)],
            [bitPacked with { Rows = 50 }, bitPacked with { Rows = 13 }],
        ], seed: 30 + codec, listedEncodings: listed ? [0, 3, BitPacked] : null, name: $"bitpacked-{codec}-{listed}", extras: false);
        Assert.ThrowsAny<Exception>(() => ReadWithParquetNet(file.Path).GetAwaiter().GetResult());
        Assert.Contains(file.Cells, c => c is null);
        Assert.Equal(file.Cells.Select(Expected), ReadWithPages(file.Path));
        AssertRecords(file.Cells.Select(Expected).ToList(), DatasetReader.Read(file.Path, new DatasetReadOptions()).ToList());
    }

    // ---- damage ----

    /// <summary>The reader over a damaged file: the rows before <paramref name="firstBadRow"/> (1-based) as built, then
    /// one TruncatedFile error naming the row group and saying <paramref name="says"/>, and nothing after it.</summary>
    private static void AssertDamage(BuiltFile file, int firstBadRow, int group, string says)
    {
        var items = DatasetReader.Read(file.Path, new DatasetReadOptions()).ToList();
        var expected = file.Cells.Take(firstBadRow - 1).Select(Expected).ToList();
        AssertRecords(expected, items.Take(expected.Count).ToList());
        Assert.Equal(expected.Count + 1, items.Count);
        var error = items[^1].Error;
        Assert.NotNull(error);
        Assert.Equal(DatasetErrorIds.TruncatedFile, error.ErrorId);
        Assert.Equal(firstBadRow, error.Line);
        Assert.StartsWith($"The Parquet file is damaged at row group {group}: ", error.Message);
        Assert.Contains(says, error.Message);
    }

    private static readonly PageSpec[] FirstGroup = [new(30), new(30)];

    [Fact]
    public void APageClaimingMoreThanTheBudgetIsDamageAndNotAllocated()
    {
        var file = Build(Snappy, true, [FirstGroup, [new(25), new(25) { DeclaredUncompressed = int.MaxValue - 10 }]]);
        AssertDamage(file, 60 + 25 + 1, 1, "uncompressed, over the");
    }

    [Fact]
    public void APageClaimingMoreBytesThanTheChunkHoldsIsDamage()
    {
        var file = Build(Zstd, true, [FirstGroup, [new(25), new(25) { DeclaredCompressed = 1 << 20 }]]);
        AssertDamage(file, 86, 1, "compressed bytes;");
    }

    [Theory]
    [InlineData(Snappy, 1)]
    [InlineData(Snappy, -1)]
    [InlineData(Gzip, 1)]
    [InlineData(Gzip, -1)]
    [InlineData(Zstd, 1)]
    [InlineData(Zstd, -1)]
    [InlineData(Lz4Raw, 1)]
    [InlineData(Lz4Raw, -1)]
    [InlineData(Brotli, 1)]
    [InlineData(Brotli, -1)]
    [InlineData(Uncompressed, 1)]
    public void APageDecompressingToOtherThanItsDeclaredSizeIsDamage(int codec, int off)
    {
        foreach (bool v2 in new[] { false, true })
        {
            var probe = Build(codec, true, [FirstGroup, [new(25, V2: v2), new(25, V2: v2)]], name: "probe");
            int size = PageUncompressedSize(probe, 1, 1);
            var file = Build(codec, true, [FirstGroup, [new(25, V2: v2), new(25, V2: v2) { DeclaredUncompressed = size + off }]], name: $"bad-{v2}");
            AssertDamage(file, 86, 1, "page");
        }
    }

    /// <summary>What a built page's header declares as its uncompressed size.</summary>
    private static int PageUncompressedSize(BuiltFile file, int group, int page)
    {
        byte[] bytes = File.ReadAllBytes(file.Path);
        int at = (int)file.PageOffsets[group][page];
        Assert.Equal(0x15, bytes[at]);      // field 1, i32 (type)
        at += 2;
        Assert.Equal(0x15, bytes[at++]);    // field 2, i32 (uncompressed size)
        ulong v = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = bytes[at++];
            v |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) break;
        }
        return (int)((long)(v >> 1) ^ -(long)(v & 1));
    }

    [Fact]
    public void AChunkCutShortIsDamage()
    {
        var file = Build(Snappy, false, [FirstGroup, [new(25), new(25)]], chunkShortBy: 3);
        AssertDamage(file, 86, 1, "compressed bytes;");
    }

    [Fact]
    public void PagesHoldingFewerRowsThanTheGroupIsDamage()
    {
        var file = Build(Uncompressed, true, [FirstGroup, [new(25), new(25) { ExtraRowsDeclared = -5 }]]);
        // The group has 50 rows and its pages 45 (the second page declares 20 of its 25): the values after them are
        // read as rows of that page as well when levels allow, so only the group's end is certain.
        var items = DatasetReader.Read(file.Path, new DatasetReadOptions()).ToList();
        Assert.Equal(DatasetErrorIds.TruncatedFile, items[^1].Error?.ErrorId);
        Assert.Contains("pages end 5 rows before its row group does", items[^1].Error!.Message);
        AssertRecords(file.Cells.Take(105).Select(Expected).ToList(), items.Take(105).ToList());
    }

    [Fact]
    public void APageDeclaringMoreRowsThanItsValuesHoldIsDamage()
    {
        var file = Build(Snappy, false, [FirstGroup, [new(25) { ExtraRowsDeclared = 5 }, new(25)]]);
        AssertDamage(file, 86, 1, "values end before its rows do");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void APageDeclaringMoreRowsThanItsLevelsHoldIsDamage(bool v2)
    {
        var file = Build(Snappy, true, [FirstGroup, [new(25, V2: v2) { ExtraRowsDeclared = 20 }, new(25, V2: v2)]]);
        // The levels' last bit-packed group may be padded (with zeros, nulls) up to 7 values past the page's rows.
        var items = DatasetReader.Read(file.Path, new DatasetReadOptions()).ToList();
        AssertRecords(file.Cells.Take(85).Select(Expected).ToList(), items.Take(85).ToList());
        Assert.InRange(items.Count, 86, 93);
        Assert.All(items.Skip(85).SkipLast(1), i => Assert.Equal(DatasetErrorIds.TextNotString, i.Error?.ErrorId));
        Assert.Equal(DatasetErrorIds.TruncatedFile, items[^1].Error?.ErrorId);
        Assert.Contains("levels or dictionary indices end before its rows do", items[^1].Error!.Message);
    }

    [Fact]
    public void ADictionaryIndexOutOfRangeIsDamage()
    {
        var file = Build(Snappy, false, [FirstGroup, [new(25, Dictionary: true), new(25, Dictionary: true) { IndexShift = 64 }]]);
        AssertDamage(file, 86, 1, "out of the dictionary's");
    }

    [Fact]
    public void ABadPageHeaderIsDamage()
    {
        var good = Build(Gzip, true, [FirstGroup, [new(25), new(25)]]);
        byte[] bytes = File.ReadAllBytes(good.Path);
        int at = (int)good.PageOffsets[1][1];
        // An unknown Thrift type (13) as the first field, then a stop-less run of field headers.
        bytes[at] = 0x1D;
        File.WriteAllBytes(good.Path, bytes);
        AssertDamage(good, 86, 1, "Thrift type");
        bytes[at] = 0x00;    // a header that ends at once: no type, no sizes
        File.WriteAllBytes(good.Path, bytes);
        AssertDamage(good, 86, 1, "lacks its type or sizes");
    }

    [Fact]
    public void DamagedPagesAreReaderErrorsNeverExceptions()
    {
        var random = new Random(20261202);
        int runs = 0, errors = 0;
        foreach (int codec in new[] { Uncompressed, Snappy, Gzip, Zstd, Lz4Raw, Brotli })
        {
            foreach (bool v2 in new[] { false, true })
            {
                var file = Build(codec, true, [[new(40, V2: v2), new(40, Dictionary: true, V2: v2), new(40, V2: v2)], [new(50, V2: v2)]], name: $"fuzz-{codec}-{v2}");
                byte[] good = File.ReadAllBytes(file.Path);
                int start = (int)file.PageOffsets[0][0], footer = BitConverter.ToInt32(good, good.Length - 8) + 8;
                for (int run = 0; run < 60; run++)
                {
                    byte[] bad = (byte[])good.Clone();
                    for (int f = random.Next(1, 5); f > 0; f--)
                    {
                        bad[random.Next(start, good.Length - footer)] = (byte)random.Next(256);
                    }
                    File.WriteAllBytes(file.Path, bad);
                    var items = DatasetReader.Read(file.Path, new DatasetReadOptions()).ToList();     // must not throw
                    Assert.True(items.Count <= 170);
                    Assert.All(items.Where(i => i.Error is { ErrorId: not DatasetErrorIds.TextNotString }), i => Assert.Equal(DatasetErrorIds.TruncatedFile, i.Error!.ErrorId));
                    errors += items.Count(i => i.Error?.ErrorId == DatasetErrorIds.TruncatedFile);
                    runs++;
                }
            }
        }
        Assert.True(errors > 0, $"{errors} errors in {runs} damaged files");
    }
}
