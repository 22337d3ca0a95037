namespace ZipFit.Core.Compression;

/// <summary>A per-thread scratch buffer that grows to the largest size asked for and is then reused.</summary>
internal struct GrowableBuffer
{
    private byte[] _array;

    public Span<byte> Get(int size)
    {
        if (_array is null || _array.Length < size)
        {
            _array = new byte[Math.Max(size, Math.Max(4096, (_array?.Length ?? 0) * 2))];
        }
        return _array.AsSpan(0, size);
    }
}
