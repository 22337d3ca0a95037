namespace ZipFit.Core.Data;

/// <summary>
/// Splits a stream into lines of raw bytes, so that invalid UTF-8 can be reported per line.
/// Ends of line are LF, CRLF or a lone CR; a UTF-8 byte-order mark at the start is skipped.
/// </summary>
internal sealed class ByteLineReader
{
    private readonly Stream _stream;
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private bool _eof;
    private bool _first = true;
    private bool _skipLf;

    public ByteLineReader(Stream stream) => _stream = stream;

    /// <summary>1-based number of the line last returned.</summary>
    public long LineNumber { get; private set; }

    /// <summary>The next line without its end-of-line bytes; valid until the next call.</summary>
    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        while (true)
        {
            if (_skipLf)
            {
                if (_start == _end && !Fill())
                {
                    _skipLf = false;
                }
                else if (_start < _end)
                {
                    if (_buffer[_start] == (byte)'\n')
                    {
                        _start++;
                    }
                    _skipLf = false;
                }
            }
            if (_first)
            {
                while (_end - _start < 3 && !_eof && Fill()) { }
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
                    line = _buffer.AsSpan(_start, at - _start);
                    _skipLf = _buffer[at] == (byte)'\r';
                    _start = at + 1;
                    LineNumber++;
                    return true;
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
                line = _buffer.AsSpan(_start, _end - _start);
                _start = _end;
                LineNumber++;
                return true;
            }
            line = default;
            return false;
        }
    }

    /// <summary>Reads more bytes, compacting or growing the buffer; false at the end of the stream.</summary>
    private bool Fill()
    {
        if (_eof)
        {
            return false;
        }
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
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
