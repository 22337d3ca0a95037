using System.Runtime.InteropServices;

namespace ZipFit.Core.Compression;

/// <summary>
/// A read-only stream of the frames of a .zst file, decompressed by the system libzstd (<see cref="SystemZstd"/>).
/// Decoded bytes go straight into the caller's buffer. A file that ends inside a frame is an
/// <see cref="EndOfStreamException"/>; a damaged frame an <see cref="InvalidDataException"/>. The library's default
/// window limit (128 MiB) bounds the memory a frame may ask for.
/// </summary>
internal sealed unsafe class SystemZstdDecompressionStream : ForwardReadStream
{
    private const int InputSize = 1 << 17;

    private readonly DStreamHandle _dstream;
    private readonly byte[] _input = GC.AllocateUninitializedArray<byte>(InputSize, pinned: true);
    private int _inputPos, _inputEnd;
    private bool _innerDone;
    private bool _inFrame;

    public SystemZstdDecompressionStream(Stream inner) : base(inner)
    {
        _dstream = DStreamHandle.Create();
    }

    public override int Read(Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_dstream.IsClosed, this);
        if (destination.IsEmpty)
        {
            return 0;
        }
        var api = SystemZstd.Functions;
        fixed (byte* outPtr = destination)
        fixed (byte* inPtr = _input)
        {
            while (true)
            {
                if (_inputPos == _inputEnd && !_innerDone)
                {
                    _inputPos = 0;
                    _inputEnd = Inner.Read(_input, 0, _input.Length);
                    _innerDone = _inputEnd == 0;
                }
                bool noInput = _inputPos == _inputEnd;
                if (noInput && !_inFrame)
                {
                    return 0;
                }
                var input = new SystemZstd.Buffer { Data = inPtr, Size = (nuint)_inputEnd, Pos = (nuint)_inputPos };
                var output = new SystemZstd.Buffer { Data = outPtr, Size = (nuint)destination.Length, Pos = 0 };
                nuint hint = api.DecompressStream(_dstream.DangerousGetHandle(), &output, &input);
                if (api.IsError(hint) != 0)
                {
                    throw new InvalidDataException($"The zstd data is damaged: {SystemZstd.ErrorName(hint)}.");
                }
                _inputPos = (int)input.Pos;
                // 0 means a frame has just been completely decoded and flushed.
                _inFrame = hint != 0;
                if (output.Pos > 0)
                {
                    return (int)output.Pos;
                }
                if (noInput)
                {
                    // The file has ended: what the context still held has been flushed.
                    if (_inFrame)
                    {
                        throw new EndOfStreamException("The zstd stream ends inside a frame: the file is truncated.");
                    }
                    return 0;
                }
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _dstream.Dispose();
        }
        base.Dispose(disposing);
    }

    /// <summary>The native decompression context, freed even when a reader is never disposed.</summary>
    private sealed class DStreamHandle : SafeHandle
    {
        private DStreamHandle() : base(IntPtr.Zero, ownsHandle: true) { }

        public override bool IsInvalid => handle == IntPtr.Zero;

        public static DStreamHandle Create()
        {
            var h = new DStreamHandle();
            h.SetHandle(SystemZstd.Functions.CreateDStream());
            if (h.IsInvalid)
            {
                throw new OutOfMemoryException("libzstd could not create a decompression context.");
            }
            return h;
        }

        protected override bool ReleaseHandle()
        {
            SystemZstd.Functions.FreeDStream(handle);
            return true;
        }
    }
}
