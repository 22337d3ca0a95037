using ZipFit.Core.Compression;

namespace ZipFit.Core.Data;

/// <summary>
/// .NET's GZipStream ends quietly at a truncated file. This wrapper counts the decompressed
/// bytes and, at the end, compares them with the size the gzip trailer records (ISIZE, the
/// last 4 bytes of the file), so a cut-off download is reported instead of silently shortened.
/// </summary>
internal sealed class GzipTrailerCheck : ForwardReadStream
{
    private readonly uint? _recordedSize;
    private long _total;
    private bool _checked;

    public GzipTrailerCheck(Stream decompressed, FileStream file) : base(decompressed)
    {
        if (file.Length >= 18)
        {
            long position = file.Position;
            file.Seek(-4, SeekOrigin.End);
            Span<byte> size = stackalloc byte[4];
            file.ReadExactly(size);
            _recordedSize = BitConverter.ToUInt32(size);
            file.Seek(position, SeekOrigin.Begin);
        }
    }

    public override int Read(Span<byte> buffer)
    {
        int read = Inner.Read(buffer);
        _total += read;
        if (read == 0 && buffer.Length > 0 && !_checked)
        {
            _checked = true;
            if (_recordedSize is null || (uint)_total != _recordedSize.Value)
            {
                throw new InvalidDataException("the gzip stream ends early (its size does not match the gzip trailer).");
            }
        }
        return read;
    }

    public override long Position { get => _total; set => throw new NotSupportedException(); }
}
