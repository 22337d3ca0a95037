namespace ZipFit.Core.Data;

/// <summary>
/// The fields of a Parquet page header (Thrift compact protocol) that a flat column's reader needs; the rest (crc,
/// statistics, index pages, fields added later) is skipped. Numbers are as stored: the reader checks them.
/// </summary>
internal struct ParquetPageHeader
{
    public const int DataPage = 0, IndexPage = 1, DictionaryPage = 2, DataPageV2 = 3;

    /// <summary>A header is kilobytes at most (statistics are its largest part); more is damage.</summary>
    public const int MaxBytes = 16 << 20;

    public int Type;
    public int UncompressedSize;
    public int CompressedSize;
    public bool HasDataHeader, HasDictionaryHeader, HasDataHeaderV2;

    /// <summary>Levels (rows, for a flat column) in a data page; entries in a dictionary page.</summary>
    public int NumValues;
    public int Encoding;
    public int DefinitionLevelEncoding;

    public int DefinitionLevelsByteLength;
    public int RepetitionLevelsByteLength;
    public bool IsCompressed;

    /// <summary>Thrown when the bytes end inside the header: the caller may retry with more of them.</summary>
    public sealed class NeedMoreBytesException() : Exception("the page header is cut short");

    /// <summary>Reads one header from the start of <paramref name="data"/>; returns its length in bytes. Throws
    /// <see cref="InvalidDataException"/> when the header is not one, <see cref="NeedMoreBytesException"/> when the
    /// bytes end first.</summary>
    public static int Read(ReadOnlySpan<byte> data, out ParquetPageHeader header)
    {
        var thrift = new ThriftCompact(data);
        header = default;
        header.IsCompressed = true;
        bool type = false, uncompressed = false, compressed = false;
        short last = 0;
        while (thrift.Field(ref last, out short id, out int kind))
        {
            switch (id)
            {
                case 1 when kind == ThriftCompact.I32: header.Type = thrift.Int(); type = true; break;
                case 2 when kind == ThriftCompact.I32: header.UncompressedSize = thrift.Int(); uncompressed = true; break;
                case 3 when kind == ThriftCompact.I32: header.CompressedSize = thrift.Int(); compressed = true; break;
                case 5 when kind == ThriftCompact.Struct: ReadDataHeader(ref thrift, ref header); break;
                case 7 when kind == ThriftCompact.Struct: ReadDictionaryHeader(ref thrift, ref header); break;
                case 8 when kind == ThriftCompact.Struct: ReadDataHeaderV2(ref thrift, ref header); break;
                default: thrift.Skip(kind, 1); break;
            }
        }
        if (!type || !uncompressed || !compressed)
        {
            throw new InvalidDataException("a page header lacks its type or sizes");
        }
        return thrift.Position;
    }

    private static void ReadDataHeader(ref ThriftCompact thrift, ref ParquetPageHeader header)
    {
        header.HasDataHeader = true;
        short last = 0;
        while (thrift.Field(ref last, out short id, out int kind))
        {
            switch (id)
            {
                case 1 when kind == ThriftCompact.I32: header.NumValues = thrift.Int(); break;
                case 2 when kind == ThriftCompact.I32: header.Encoding = thrift.Int(); break;
                case 3 when kind == ThriftCompact.I32: header.DefinitionLevelEncoding = thrift.Int(); break;
                default: thrift.Skip(kind, 2); break;
            }
        }
    }

    private static void ReadDictionaryHeader(ref ThriftCompact thrift, ref ParquetPageHeader header)
    {
        header.HasDictionaryHeader = true;
        short last = 0;
        while (thrift.Field(ref last, out short id, out int kind))
        {
            switch (id)
            {
                case 1 when kind == ThriftCompact.I32: header.NumValues = thrift.Int(); break;
                case 2 when kind == ThriftCompact.I32: header.Encoding = thrift.Int(); break;
                default: thrift.Skip(kind, 2); break;
            }
        }
    }

    private static void ReadDataHeaderV2(ref ThriftCompact thrift, ref ParquetPageHeader header)
    {
        header.HasDataHeaderV2 = true;
        short last = 0;
        while (thrift.Field(ref last, out short id, out int kind))
        {
            switch (id)
            {
                case 1 when kind == ThriftCompact.I32: header.NumValues = thrift.Int(); break;
                case 4 when kind == ThriftCompact.I32: header.Encoding = thrift.Int(); break;
                case 5 when kind == ThriftCompact.I32: header.DefinitionLevelsByteLength = thrift.Int(); break;
                case 6 when kind == ThriftCompact.I32: header.RepetitionLevelsByteLength = thrift.Int(); break;
                case 7 when kind is ThriftCompact.True or ThriftCompact.False: header.IsCompressed = kind == ThriftCompact.True; break;
                default: thrift.Skip(kind, 2); break;
            }
        }
    }

    /// <summary>A bounded reader of Thrift's compact protocol: every read checks the bytes left, nesting is limited.</summary>
    private ref struct ThriftCompact(ReadOnlySpan<byte> data)
    {
        public const int True = 1, False = 2, I32 = 5, Struct = 12;
        private const int MaxDepth = 32;
        private readonly ReadOnlySpan<byte> _data = data;
        public int Position;

        private byte Byte() => Position < _data.Length ? _data[Position++] : throw new NeedMoreBytesException();

        private ulong Varint()
        {
            ulong value = 0;
            for (int shift = 0; shift < 64; shift += 7)
            {
                byte b = Byte();
                value |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return value;
                }
            }
            throw new InvalidDataException("a page header holds a malformed number");
        }

        private long Long()
        {
            ulong v = Varint();
            return (long)(v >> 1) ^ -(long)(v & 1);
        }

        public int Int()
        {
            long v = Long();
            return v is >= int.MinValue and <= int.MaxValue ? (int)v : throw new InvalidDataException("a page header holds a number out of range");
        }

        /// <summary>The next field's id and type; false at the struct's end.</summary>
        public bool Field(ref short last, out short id, out int kind)
        {
            byte header = Byte();
            kind = header & 0x0F;
            if (header == 0)
            {
                id = 0;
                return false;
            }
            int delta = header >> 4;
            if (delta == 0)
            {
                long full = Long();
                id = full is >= short.MinValue and <= short.MaxValue ? (short)full : throw new InvalidDataException("a page header holds a bad field id");
            }
            else
            {
                id = (short)(last + delta);
            }
            last = id;
            return true;
        }

        private void Advance(ulong count)
        {
            if (count > (ulong)(_data.Length - Position))
            {
                throw new NeedMoreBytesException();
            }
            Position += (int)count;
        }

        /// <summary>Skips a field's value (a boolean field's value is in its header).</summary>
        public void Skip(int kind, int depth)
        {
            if (kind is True or False)
            {
                return;
            }
            Value(kind, depth);
        }

        private void Value(int kind, int depth)
        {
            if (depth > MaxDepth)
            {
                throw new InvalidDataException("a page header nests too deep");
            }
            switch (kind)
            {
                case True or False or 3:
                    Advance(1);
                    break;
                case 4 or I32 or 6:
                    Varint();
                    break;
                case 7:
                    Advance(8);
                    break;
                case 8:
                    Advance(Varint());
                    break;
                case 9 or 10:
                {
                    byte header = Byte();
                    ulong count = (ulong)(header >> 4);
                    if (count == 15)
                    {
                        count = Varint();
                    }
                    Elements(count, header & 0x0F, depth);
                    break;
                }
                case 11:
                {
                    ulong count = Varint();
                    if (count == 0)
                    {
                        break;
                    }
                    byte types = Byte();
                    for (ulong i = 0; i < count; i++)
                    {
                        Value(types >> 4, depth + 1);
                        Value(types & 0x0F, depth + 1);
                    }
                    break;
                }
                case Struct:
                {
                    short last = 0;
                    while (Field(ref last, out _, out int inner))
                    {
                        Skip(inner, depth + 1);
                    }
                    break;
                }
                default:
                    throw new InvalidDataException($"a page header holds an unknown Thrift type ({kind})");
            }
        }

        private void Elements(ulong count, int kind, int depth)
        {
            for (ulong i = 0; i < count; i++)
            {
                Value(kind, depth + 1);
            }
        }
    }
}
