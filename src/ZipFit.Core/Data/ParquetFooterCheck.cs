namespace ZipFit.Core.Data;

/// <summary>
/// Checks that a Parquet file's footer (its Thrift-compact FileMetaData) is well formed before Parquet.Net decodes it:
/// a damaged footer can send Parquet.Net 6.1's metadata reader into an endless loop (a stop byte flipped sends it
/// past the end of the metadata). The walk reads every field and value with bounds, so it always ends; it does not
/// interpret the metadata, only proves that it is one complete struct that ends exactly where the footer says.
/// </summary>
internal static class ParquetFooterCheck
{
    /// <summary>The largest footer read: real ones are kilobytes to a few megabytes.</summary>
    public const int MaxFooterBytes = 256 << 20;

    private const int MaxDepth = 64;

    /// <summary>Null when the footer is well formed; otherwise what is wrong with it.</summary>
    public static string? Problem(Stream file)
    {
        long length = file.Length;
        if (length < 12)
        {
            return "the file is too short to be Parquet";
        }
        Span<byte> tail = stackalloc byte[8];
        file.Seek(length - 8, SeekOrigin.Begin);
        file.ReadExactly(tail);
        if (!tail[4..].SequenceEqual("PAR1"u8))
        {
            return "it does not end with the Parquet magic bytes";
        }
        int footerLength = BitConverter.ToInt32(tail);
        if (footerLength <= 0 || footerLength > length - 12)
        {
            return $"its footer length ({footerLength:N0}) does not fit the file";
        }
        if (footerLength > MaxFooterBytes)
        {
            return $"its footer ({footerLength:N0} bytes) is larger than the {MaxFooterBytes:N0} bytes read";
        }
        var footer = new byte[footerLength];
        file.Seek(length - 8 - footerLength, SeekOrigin.Begin);
        file.ReadExactly(footer);
        file.Seek(0, SeekOrigin.Begin);
        var walk = new Walk(footer);
        if (!walk.Struct(0))
        {
            return "its metadata is damaged";
        }
        return walk.Position == footer.Length ? null : "its metadata ends before the footer does";
    }

    /// <summary>A bounded walk over Thrift's compact protocol: every read checks the bytes left.</summary>
    private ref struct Walk(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        public int Position;

        private bool Byte(out byte b)
        {
            if (Position >= _data.Length)
            {
                b = 0;
                return false;
            }
            b = _data[Position++];
            return true;
        }

        private bool Varint(out ulong value)
        {
            value = 0;
            for (int shift = 0; shift < 70; shift += 7)
            {
                if (!Byte(out byte b))
                {
                    return false;
                }
                value |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return true;
                }
            }
            return false;
        }

        private bool Skip(long count)
        {
            if (count < 0 || count > _data.Length - Position)
            {
                return false;
            }
            Position += (int)count;
            return true;
        }

        public bool Struct(int depth)
        {
            if (depth > MaxDepth)
            {
                return false;
            }
            while (true)
            {
                if (!Byte(out byte header))
                {
                    return false;
                }
                if (header == 0)
                {
                    return true;
                }
                int type = header & 0x0F;
                if (header >> 4 == 0 && !Varint(out _))
                {
                    return false;
                }
                // Booleans in a struct carry their value in the field header.
                if (type is 1 or 2)
                {
                    continue;
                }
                if (!Value(type, depth))
                {
                    return false;
                }
            }
        }

        private bool Value(int type, int depth)
        {
            switch (type)
            {
                case 1 or 2 or 3:
                    return Skip(1);
                case 4 or 5 or 6:
                    return Varint(out _);
                case 7:
                    return Skip(8);
                case 8:
                    return Varint(out ulong size) && size <= int.MaxValue && Skip((long)size);
                case 9 or 10:
                {
                    if (!Byte(out byte header))
                    {
                        return false;
                    }
                    ulong count = (ulong)(header >> 4);
                    if (count == 15 && !Varint(out count))
                    {
                        return false;
                    }
                    return Elements(count, header & 0x0F, depth);
                }
                case 11:
                {
                    if (!Varint(out ulong count))
                    {
                        return false;
                    }
                    if (count == 0)
                    {
                        return true;
                    }
                    if (!Byte(out byte types) || count > (ulong)(_data.Length - Position) / 2)
                    {
                        return false;
                    }
                    for (ulong i = 0; i < count; i++)
                    {
                        if (!Value(types >> 4, depth + 1) || !Value(types & 0x0F, depth + 1))
                        {
                            return false;
                        }
                    }
                    return true;
                }
                case 12:
                    return Struct(depth + 1);
                default:
                    return false;
            }
        }

        private bool Elements(ulong count, int type, int depth)
        {
            // Every element takes at least one byte, so a count larger than what is left is damage.
            if (count > (ulong)(_data.Length - Position))
            {
                return false;
            }
            for (ulong i = 0; i < count; i++)
            {
                if (!Value(type, depth + 1))
                {
                    return false;
                }
            }
            return true;
        }
    }
}
