namespace ZipFit.Core.Data;

/// <summary>
/// .NET's GZipStream ends quietly at a truncated file. This wrapper counts the decompressed
/// bytes and, at the end, compares them with the size the gzip trailer records (ISIZE, the
/// last 4 bytes of the file), so a cut-off download is reported instead of silently shortened.
/// </summary>
internal sealed class GzipTrailerCheck : Stream
{
    private readonly Stream _inner;
    private readonly uint? _recordedSize;
    private long _total;
    private bool _checked;

    public GzipTrailerCheck(Stream decompressed, FileStream file)
    {
        _inner = decompressed;
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

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read = _inner.Read(buffer);
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

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _total; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
