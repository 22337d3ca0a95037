using System.Buffers.Binary;
using System.IO.Compression;
using K4os.Compression.LZ4;
using Parquet.Meta;
using Snappier;
using ZstdSharp;

namespace ZipFit.Core.Data;

/// <summary>
/// Reads a flat BYTE_ARRAY column (the text column) of a Parquet file page by page, a cell at a time. Parquet.Net
/// allocates fresh arrays for every page it reads and decompresses, and reads a row group's column whole: several
/// megabytes per row group on the large-object heap, which a long file churns (gen-2 collections, fragmentation).
/// This reader keeps one buffer for the compressed page, one for the decompressed page and one for the dictionary,
/// for the whole file; each grows to the largest page and is reused, and a cell is a slice of them, valid until the
/// next call to <see cref="Next"/>.
/// <para>It reads DATA_PAGE (v1) and DATA_PAGE_V2 pages with PLAIN or dictionary (PLAIN_DICTIONARY, RLE_DICTIONARY)
/// values, a PLAIN dictionary page, required or optional top-level columns (definition levels RLE, or on v1 pages the
/// deprecated BIT_PACKED, which Parquet.Net 6.1 cannot read), and the UNCOMPRESSED, SNAPPY, GZIP, ZSTD,
/// LZ4_RAW and BROTLI codecs. <see cref="Unsupported"/> says up front which chunks it does not read; a page it finds
/// it does not read throws <see cref="NotSupportedException"/>: the caller then reads that chunk with Parquet.Net.
/// Damage throws <see cref="InvalidDataException"/> saying what is wrong, and nothing is allocated beyond the
/// budget a row group may take.</para>
/// One reader per file and thread: it is not thread-safe (nor is its zstd decompressor).
/// </summary>
internal sealed class ParquetTextPages(Stream file, long budget) : IDisposable
{
    private const int FirstHeaderWindow = 1024;

    private readonly long _fileLength = file.Length;
    private readonly long _maxPage = Math.Min(budget, Array.MaxLength);
    private byte[] _header = new byte[FirstHeaderWindow];
    private byte[] _compressed = [];
    private byte[] _decompressed = [];
    private byte[] _dictionary = [];
    private int[] _dictionaryStarts = [];
    private Decompressor? _zstd;

    private CompressionCodec _codec;
    private bool _optional;
    private long _position, _end;
    private int _rowsLeft;
    private int _dictionaryCount = -1;

    private int _pageRowsLeft;
    private Hybrid _levels;
    private bool _dictionaryEncoded;
    private Hybrid _indices;
    private byte[] _values = [];
    private int _valuesAt, _valuesEnd;

    /// <summary>Why this reader does not read the chunk (so Parquet.Net should), or null when it does.</summary>
    public static string? Unsupported(ColumnChunk? chunk, int maxDefinitionLevel, int maxRepetitionLevel)
    {
        var meta = chunk?.MetaData;
        if (meta is null || chunk!.FilePath is not null || chunk.CryptoMetadata is not null || chunk.EncryptedColumnMetadata is not null)
        {
            return "the column chunk is not plain metadata in this file";
        }
        if (meta.Type != Parquet.Meta.Type.BYTE_ARRAY || maxDefinitionLevel > 1 || maxRepetitionLevel > 0)
        {
            return "the column is not a flat byte array";
        }
        if (meta.Codec is not (CompressionCodec.UNCOMPRESSED or CompressionCodec.SNAPPY or CompressionCodec.GZIP
            or CompressionCodec.ZSTD or CompressionCodec.LZ4_RAW or CompressionCodec.BROTLI))
        {
            return $"codec {meta.Codec}";
        }
        foreach (var encoding in meta.Encodings ?? [])
        {
            if (encoding is not (Encoding.PLAIN or Encoding.PLAIN_DICTIONARY or Encoding.RLE_DICTIONARY or Encoding.RLE
                or Encoding.BIT_PACKED))
            {
                return $"encoding {encoding}";
            }
        }
        return null;
    }

    /// <summary>Starts on a column chunk <see cref="Unsupported"/> accepts, of <paramref name="rows"/> rows.</summary>
    public void Open(ColumnChunk chunk, int maxDefinitionLevel, int rows)
    {
        var meta = chunk.MetaData!;
        long start = meta.DataPageOffset;
        if (meta.DictionaryPageOffset is long dictionary && dictionary > 0 && dictionary < start)
        {
            start = dictionary;
        }
        long length = meta.TotalCompressedSize;
        if (start < 4 || length < 0 || start > _fileLength || length > _fileLength - start)
        {
            throw new InvalidDataException($"the text column's data ({length:N0} bytes at offset {start:N0}) lies outside the file");
        }
        _codec = meta.Codec;
        _optional = maxDefinitionLevel > 0;
        _position = start;
        _end = start + length;
        _rowsLeft = rows;
        _dictionaryCount = -1;
        _pageRowsLeft = 0;
    }

    /// <summary>The next row's cell: false for a null. The bytes are valid until the next call.</summary>
    public bool Next(out ReadOnlyMemory<byte> value)
    {
        if (_rowsLeft <= 0)
        {
            throw new InvalidOperationException("all the chunk's rows were read");
        }
        while (_pageRowsLeft == 0)
        {
            ReadPage();
        }
        _pageRowsLeft--;
        _rowsLeft--;
        if (_optional)
        {
            int level = _levels.Next();
            if (level == 0)
            {
                value = default;
                return false;
            }
            if (level != 1)
            {
                throw new InvalidDataException($"a definition level is {level}, over the column's 1");
            }
        }
        value = _dictionaryEncoded ? DictionaryValue(_indices.Next()) : PlainValue();
        return true;
    }

    private ReadOnlyMemory<byte> PlainValue()
    {
        if (_valuesEnd - _valuesAt < 4)
        {
            throw new InvalidDataException("a page's values end before its rows do");
        }
        int length = BinaryPrimitives.ReadInt32LittleEndian(_values.AsSpan(_valuesAt));
        if (length < 0 || length > _valuesEnd - _valuesAt - 4)
        {
            throw new InvalidDataException($"a value's length ({length:N0}) runs past its page");
        }
        var value = new ReadOnlyMemory<byte>(_values, _valuesAt + 4, length);
        _valuesAt += 4 + length;
        return value;
    }

    private ReadOnlyMemory<byte> DictionaryValue(int index)
    {
        if ((uint)index >= (uint)_dictionaryCount)
        {
            throw new InvalidDataException($"a dictionary index ({index:N0}) is out of the dictionary's {_dictionaryCount:N0} values");
        }
        int at = _dictionaryStarts[index];
        return new ReadOnlyMemory<byte>(_dictionary, at + 4, BinaryPrimitives.ReadInt32LittleEndian(_dictionary.AsSpan(at)));
    }

    private void ReadPage()
    {
        if (_position >= _end)
        {
            throw new InvalidDataException($"the text column's pages end {_rowsLeft:N0} rows before its row group does");
        }
        var header = ReadHeader();
        long left = _end - _position;
        if (header.CompressedSize < 0 || header.CompressedSize > left)
        {
            throw new InvalidDataException($"a page claims {header.CompressedSize:N0} compressed bytes; {left:N0} are left in the column chunk");
        }
        if (header.UncompressedSize < 0 || header.UncompressedSize > _maxPage)
        {
            throw new InvalidDataException($"a page claims {header.UncompressedSize:N0} bytes uncompressed, over the {_maxPage:N0} bytes a row group may take");
        }
        switch (header.Type)
        {
            case ParquetPageHeader.DictionaryPage:
                ReadDictionary(header);
                break;
            case ParquetPageHeader.DataPage:
                ReadDataPage(header);
                break;
            case ParquetPageHeader.DataPageV2:
                ReadDataPageV2(header);
                break;
            default:
                // Index pages and page types added later carry no values of this column.
                _position += header.CompressedSize;
                break;
        }
    }

    /// <summary>Reads the page header at the current position, and moves past it.</summary>
    private ParquetPageHeader ReadHeader()
    {
        while (true)
        {
            int window = (int)Math.Min(_header.Length, _end - _position);
            file.Seek(_position, SeekOrigin.Begin);
            file.ReadExactly(_header, 0, window);
            try
            {
                int length = ParquetPageHeader.Read(_header.AsSpan(0, window), out var header);
                _position += length;
                return header;
            }
            catch (ParquetPageHeader.NeedMoreBytesException)
            {
                if (window < _header.Length || _header.Length >= ParquetPageHeader.MaxBytes)
                {
                    throw new InvalidDataException(window < _header.Length
                        ? "a page header is cut short by the end of the column chunk"
                        : $"a page header is longer than {ParquetPageHeader.MaxBytes:N0} bytes");
                }
                _header = new byte[_header.Length * 4];
            }
        }
    }

    /// <summary>Reads the page's stored bytes into the compressed buffer.</summary>
    private void ReadStored(in ParquetPageHeader header)
    {
        Room(ref _compressed, header.CompressedSize);
        file.Seek(_position, SeekOrigin.Begin);
        file.ReadExactly(_compressed, 0, header.CompressedSize);
        _position += header.CompressedSize;
    }

    private void ReadDictionary(in ParquetPageHeader header)
    {
        if (!header.HasDictionaryHeader)
        {
            throw new InvalidDataException("a dictionary page has no dictionary header");
        }
        if (header.Encoding is not ((int)Encoding.PLAIN or (int)Encoding.PLAIN_DICTIONARY))
        {
            throw new NotSupportedException($"dictionary page encoding {header.Encoding}");
        }
        ReadStored(header);
        int size = header.UncompressedSize;
        Decompress(_compressed.AsSpan(0, header.CompressedSize), ref _dictionary, size);
        int count = header.NumValues;
        // Every value takes its 4-byte length at least: a larger count is damage, and is not allocated.
        if (count < 0 || count > size / 4)
        {
            throw new InvalidDataException($"a dictionary page claims {count:N0} values in {size:N0} bytes");
        }
        if (_dictionaryStarts.Length < count)
        {
            _dictionaryStarts = new int[count];
        }
        int at = 0;
        for (int i = 0; i < count; i++)
        {
            int length = size - at >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(_dictionary.AsSpan(at)) : -1;
            if (length < 0 || length > size - at - 4)
            {
                throw new InvalidDataException($"the dictionary's value {i:N0} runs past its page");
            }
            _dictionaryStarts[i] = at;
            at += 4 + length;
        }
        _dictionaryCount = count;
    }

    private void ReadDataPage(in ParquetPageHeader header)
    {
        if (!header.HasDataHeader || header.NumValues < 0)
        {
            throw new InvalidDataException("a data page has no data page header");
        }
        bool bitPacked = header.DefinitionLevelEncoding == (int)Encoding.BIT_PACKED;
        if (_optional && header.DefinitionLevelEncoding != (int)Encoding.RLE && !bitPacked)
        {
            throw new NotSupportedException($"definition level encoding {header.DefinitionLevelEncoding}");
        }
        ReadStored(header);
        int size = header.UncompressedSize;
        byte[] page = _codec == CompressionCodec.UNCOMPRESSED
            ? Stored(header)
            : Decompress(_compressed.AsSpan(0, header.CompressedSize), ref _decompressed, size);
        int at = 0;
        if (_optional && bitPacked)
        {
            // No length before them: one bit a value (the level's width), as many as the page has values.
            long levels = ((long)header.NumValues + 7) / 8;
            if (levels > size)
            {
                throw new InvalidDataException("a data page's definition levels run past the page");
            }
            _levels.ResetBitPacked(page, 0, (int)levels, 1);
            at = (int)levels;
        }
        else if (_optional)
        {
            int levels = size >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(page) : -1;
            if (levels < 0 || levels > size - 4)
            {
                throw new InvalidDataException("a data page's definition levels run past the page");
            }
            _levels.Reset(page, 4, 4 + levels, 1);
            at = 4 + levels;
        }
        StartValues(header, page, at, size);
    }

    private void ReadDataPageV2(in ParquetPageHeader header)
    {
        if (!header.HasDataHeaderV2 || header.NumValues < 0)
        {
            throw new InvalidDataException("a data page (v2) has no data page header");
        }
        int repetition = header.RepetitionLevelsByteLength, definition = header.DefinitionLevelsByteLength;
        if (repetition < 0 || definition < 0 || (long)repetition + definition > Math.Min(header.CompressedSize, header.UncompressedSize))
        {
            throw new InvalidDataException("a data page's (v2) levels are larger than the page");
        }
        ReadStored(header);
        int levels = repetition + definition;
        if (_optional)
        {
            _levels.Reset(_compressed, repetition, levels, 1);
        }
        // The levels are never compressed; the values are unless the page says not.
        if (header.IsCompressed && _codec != CompressionCodec.UNCOMPRESSED)
        {
            int size = header.UncompressedSize - levels;
            var values = Decompress(_compressed.AsSpan(levels, header.CompressedSize - levels), ref _decompressed, size);
            StartValues(header, values, 0, size);
        }
        else
        {
            StartValues(header, Stored(header), levels, header.CompressedSize);
        }
    }

    /// <summary>An uncompressed page: its stored bytes, which must be as many as declared.</summary>
    private byte[] Stored(in ParquetPageHeader header) =>
        header.CompressedSize == header.UncompressedSize ? _compressed
            : throw new InvalidDataException($"an uncompressed page stores {header.CompressedSize:N0} bytes and declares {header.UncompressedSize:N0}");

    private void StartValues(in ParquetPageHeader header, byte[] page, int start, int end)
    {
        switch (header.Encoding)
        {
            case (int)Encoding.PLAIN:
                _dictionaryEncoded = false;
                break;
            case (int)Encoding.PLAIN_DICTIONARY or (int)Encoding.RLE_DICTIONARY:
                if (_dictionaryCount < 0)
                {
                    throw new InvalidDataException("a dictionary-encoded page comes without a dictionary");
                }
                int width = start < end ? page[start] : throw new InvalidDataException("a dictionary-encoded page has no values");
                if (width > 32)
                {
                    throw new InvalidDataException($"a dictionary-encoded page has {width}-bit indices");
                }
                _indices.Reset(page, start + 1, end, width);
                _dictionaryEncoded = true;
                break;
            default:
                throw new NotSupportedException($"value encoding {header.Encoding}");
        }
        _values = page;
        _valuesAt = start;
        _valuesEnd = end;
        _pageRowsLeft = header.NumValues;
    }

    private static void Room(ref byte[] buffer, int size)
    {
        if (buffer.Length < size)
        {
            buffer = GC.AllocateUninitializedArray<byte>(size);
        }
    }

    /// <summary>Decompresses a page's stored bytes into <paramref name="target"/> (grown when too small), checking that
    /// they give exactly <paramref name="size"/> bytes.</summary>
    private byte[] Decompress(ReadOnlySpan<byte> source, ref byte[] target, int size)
    {
        Room(ref target, size);
        var output = target.AsSpan(0, size);
        int written;
        try
        {
            written = source.IsEmpty ? 0 : _codec switch
            {
                CompressionCodec.UNCOMPRESSED => source.TryCopyTo(output) ? source.Length : -1,
                CompressionCodec.SNAPPY => Snappy.GetUncompressedLength(source) == size ? Snappy.Decompress(source, output) : -1,
                CompressionCodec.GZIP => Inflate(source, output),
                CompressionCodec.ZSTD => (_zstd ??= new Decompressor()).Unwrap(source, output),
                CompressionCodec.LZ4_RAW => LZ4Codec.Decode(source, output),
                CompressionCodec.BROTLI => BrotliDecoder.TryDecompress(source, output, out int brotli) ? brotli : -1,
                _ => throw new NotSupportedException($"codec {_codec}"),
            };
        }
        catch (Exception ex) when (ex is not (NotSupportedException or OperationCanceledException))
        {
            throw new InvalidDataException($"a {_codec} page does not decompress: {ex.Message}", ex);
        }
        if (written != size)
        {
            throw new InvalidDataException($"a {_codec} page does not decompress to the {size:N0} bytes it declares");
        }
        return target;
    }

    /// <summary>Gzip (or a zlib stream, which some writers store); -1 when the output is not exactly the span.</summary>
    private static unsafe int Inflate(ReadOnlySpan<byte> source, Span<byte> output)
    {
        fixed (byte* pointer = source)
        {
            using var stored = new UnmanagedMemoryStream(pointer, source.Length);
            using Stream inflate = source.Length >= 2 && source[0] == 0x1F && source[1] == 0x8B
                ? new GZipStream(stored, CompressionMode.Decompress)
                : new ZLibStream(stored, CompressionMode.Decompress);
            int total = 0;
            while (total < output.Length)
            {
                int read = inflate.Read(output[total..]);
                if (read == 0)
                {
                    return total;
                }
                total += read;
            }
            Span<byte> more = stackalloc byte[1];
            return inflate.Read(more) == 0 ? total : -1;
        }
    }

    public void Dispose() => _zstd?.Dispose();

    /// <summary>
    /// Parquet's RLE / bit-packed hybrid encoding (definition levels, dictionary indices), decoded one value at a time:
    /// runs of one repeated value, and runs of 8-value groups packed <c>width</c> bits each, least significant first.
    /// Also the deprecated BIT_PACKED encoding of levels: one run of values packed most significant bit first.
    /// </summary>
    private struct Hybrid
    {
        private byte[] _data;
        private int _at, _end, _width;
        private int _runLeft;
        private bool _packed;
        private int _value;
        private int _packedStart, _packedEnd, _packedIndex;
        private bool _msbFirst;

        public void Reset(byte[] data, int start, int end, int width)
        {
            _data = data;
            _at = start;
            _end = end;
            _width = width;
            _runLeft = 0;
            _msbFirst = false;
        }

        public void ResetBitPacked(byte[] data, int start, int end, int width)
        {
            Reset(data, end, end, width);
            _msbFirst = true;
            _packed = true;
            _packedStart = start;
            _packedEnd = end;
            _packedIndex = 0;
            _runLeft = (int)Math.Min((long)(end - start) * 8 / width, int.MaxValue);
        }

        public int Next()
        {
            while (_runLeft == 0)
            {
                NextRun();
            }
            _runLeft--;
            if (!_packed)
            {
                return _value;
            }
            long bit = (long)_packedIndex++ * _width;
            long first = _packedStart + (bit >> 3);
            int shift = (int)(bit & 7);
            int bytes = (shift + _width + 7) >> 3;
            // A last run may stop short of its groups' bytes; only a value read past them is damage.
            if (first + bytes > _packedEnd)
            {
                throw new InvalidDataException("a page's levels or dictionary indices run past their bytes");
            }
            ulong word = 0;
            if (_msbFirst)
            {
                for (int k = 0; k < bytes; k++)
                {
                    word = (word << 8) | _data[first + k];
                }
                return (int)((word >> (bytes * 8 - shift - _width)) & ((1UL << _width) - 1));
            }
            for (int k = 0; k < bytes; k++)
            {
                word |= (ulong)_data[first + k] << (8 * k);
            }
            return (int)((word >> shift) & ((1UL << _width) - 1));
        }

        private void NextRun()
        {
            if (_at >= _end)
            {
                throw new InvalidDataException("a page's levels or dictionary indices end before its rows do");
            }
            ulong header = 0;
            for (int shift = 0; ; shift += 7)
            {
                if (_at >= _end || shift > 35)
                {
                    throw new InvalidDataException("a page's levels or dictionary indices hold a malformed run");
                }
                byte b = _data[_at++];
                header |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    break;
                }
            }
            long count = (long)(header >> 1);
            if ((header & 1) == 0)
            {
                int bytes = (_width + 7) >> 3;
                if (bytes > _end - _at)
                {
                    throw new InvalidDataException("a page's levels or dictionary indices hold a cut run");
                }
                int value = 0;
                for (int k = 0; k < bytes; k++)
                {
                    value |= _data[_at++] << (8 * k);
                }
                _packed = false;
                _value = value;
                _runLeft = (int)Math.Min(count, int.MaxValue);
            }
            else
            {
                _packed = true;
                _packedStart = _at;
                _packedEnd = (int)Math.Min(_end, _at + count * _width);
                _packedIndex = 0;
                _at = _packedEnd;
                _runLeft = (int)Math.Min(count * 8, int.MaxValue);
            }
        }
    }
}
