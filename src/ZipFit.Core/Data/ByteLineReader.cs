namespace ZipFit.Core.Data;

/// <summary>What <see cref="ByteLineReader.Next"/> found.</summary>
internal enum LineKind
{
    /// <summary>The end of the stream.</summary>
    End,
    /// <summary>A line no longer than the limit.</summary>
    Line,
    /// <summary>A line longer than the limit: skipped without being held; its length is <see cref="ByteLineReader.SkippedLength"/>.</summary>
    TooLong,
}

/// <summary>
/// Splits a stream into lines of raw bytes, so that invalid UTF-8 can be reported per line.
/// Ends of line are LF, CRLF or a lone CR; a UTF-8 byte-order mark at the start is skipped.
/// A line longer than the limit is never held: once more than the limit has arrived without an
/// end of line, the reader drops what it has and counts the rest of the line as it streams past,
/// so memory stays at about the limit whatever the line's length (even beyond 2 GiB).
/// </summary>
internal sealed class ByteLineReader
{
    private const int InitialSize = 64 * 1024;
    private const int LargeLine = 1 << 20;

    private readonly Stream _stream;
    private readonly int _maxLine;
    private byte[] _buffer = new byte[InitialSize];
    private int _start;
    private int _end;
    private bool _eof;
    private bool _first = true;
    private bool _skipLf;
    private int _lineOffset;
    private int _lineLength;

    /// <param name="maxLineBytes">The longest line returned whole (at most <see cref="Array.MaxLength"/> - 1).</param>
    public ByteLineReader(Stream stream, int maxLineBytes = int.MaxValue)
    {
        _stream = stream;
        _maxLine = Math.Clamp(maxLineBytes, 0, Array.MaxLength - 1);
    }

    /// <summary>1-based number of the line last returned.</summary>
    public long LineNumber { get; private set; }

    /// <summary>The length in bytes of the last line reported as <see cref="LineKind.TooLong"/>.</summary>
    public long SkippedLength { get; private set; }

    /// <summary>The next line (valid until the next call), or a line too long to hold, or the end.</summary>
    public LineKind Next(out ReadOnlyMemory<byte> line)
    {
        line = default;
        if (_skipLf)
        {
            if (_start < _end || Fill())
            {
                if (_buffer[_start] == (byte)'\n')
                {
                    _start++;
                }
            }
            _skipLf = false;
        }
        if (_first)
        {
            while (_end - _start < 3 && Fill()) { }
            if (_end - _start >= 3 && _buffer[_start] == 0xEF && _buffer[_start + 1] == 0xBB && _buffer[_start + 2] == 0xBF)
            {
                _start += 3;
            }
            _first = false;
        }
        int scanFrom = _start;
        while (true)
        {
            int i = _buffer.AsSpan(scanFrom, _end - scanFrom).IndexOfAny((byte)'\n', (byte)'\r');
            if (i >= 0)
            {
                int at = scanFrom + i;
                int length = at - _start;
                _skipLf = _buffer[at] == (byte)'\r';
                LineNumber++;
                if (length > _maxLine)
                {
                    _start = at + 1;
                    SkippedLength = length;
                    return LineKind.TooLong;
                }
                line = Hold(_start, length);
                _start = at + 1;
                return LineKind.Line;
            }
            if (_end - _start > _maxLine)
            {
                return SkipRestOfLine();
            }
            scanFrom = _end;
            int consumed = _start;
            if (!Fill())
            {
                break;
            }
            scanFrom -= consumed - _start;
        }
        if (_end > _start)
        {
            LineNumber++;
            line = Hold(_start, _end - _start);
            _start = _end;
            return LineKind.Line;
        }
        return LineKind.End;
    }

    private ReadOnlyMemory<byte> Hold(int offset, int length)
    {
        _lineOffset = offset;
        _lineLength = length;
        return _buffer.AsMemory(offset, length);
    }

    /// <summary>
    /// The line last returned, as memory that stays valid: a large line that fills most of the
    /// buffer takes the buffer itself (the reader starts a new one) instead of being copied.
    /// </summary>
    public ReadOnlyMemory<byte> Detach()
    {
        if (_lineLength >= LargeLine && _lineLength >= _buffer.Length / 2)
        {
            var taken = _buffer.AsMemory(_lineOffset, _lineLength);
            int rest = _end - _start;
            var fresh = new byte[Math.Max(InitialSize, rest)];
            Buffer.BlockCopy(_buffer, _start, fresh, 0, rest);
            _buffer = fresh;
            _start = 0;
            _end = rest;
            _lineLength = 0;
            return taken;
        }
        return _buffer.AsSpan(_lineOffset, _lineLength).ToArray();
    }

    /// <summary>Drops the line's bytes held so far and counts the rest up to its end, a buffer at a time.</summary>
    private LineKind SkipRestOfLine()
    {
        long length = _end - _start;
        _start = _end = 0;
        LineNumber++;
        while (true)
        {
            if (!Fill())
            {
                SkippedLength = length;
                return LineKind.TooLong;
            }
            int i = _buffer.AsSpan(0, _end).IndexOfAny((byte)'\n', (byte)'\r');
            if (i >= 0)
            {
                length += i;
                _skipLf = _buffer[i] == (byte)'\r';
                _start = i + 1;
                SkippedLength = length;
                return LineKind.TooLong;
            }
            length += _end;
            _start = _end = 0;
        }
    }

    /// <summary>Reads more bytes, compacting, growing (up to the limit + 1) or shrinking the buffer; false at the end of the stream.</summary>
    private bool Fill()
    {
        if (_eof)
        {
            return false;
        }
        int held = _end - _start;
        if (_buffer.Length > LargeLine && held <= InitialSize / 2)
        {
            // Back to a small buffer once a long line has gone.
            var small = new byte[InitialSize];
            Buffer.BlockCopy(_buffer, _start, small, 0, held);
            _buffer = small;
            _start = 0;
            _end = held;
        }
        else if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, held);
            _end = held;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            // Only reached while the held bytes are within the limit, so the new size exceeds the old.
            int size = (int)Math.Min((long)_buffer.Length * 2, (long)_maxLine + 1);
            Array.Resize(ref _buffer, size);
        }
        int read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
            return false;
        }
        _end += read;
        return true;
    }
}
