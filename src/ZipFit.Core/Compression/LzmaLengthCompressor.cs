using System.Runtime.InteropServices;

namespace ZipFit.Core.Compression;

/// <summary>
/// Length of Python's <c>lzma.compress(data, preset=p)</c>: the xz container with a CRC64 check, from the
/// system liblzma's stream encoder (the buffer encoder writes a different block header, 4 bytes longer).
/// One encoder per instance, re-initialised for each call so liblzma keeps its dictionary and match-finder
/// memory (at preset 9 it still clears a 64 MiB hash table per call, which bounds the speed).
/// </summary>
internal sealed unsafe class LzmaLengthCompressor : ILengthCompressor
{
    private const int OutputChunk = 64 * 1024;
    private readonly uint _preset;
    private SystemLzma.LzmaStream* _stream;
    private byte* _output;

    public LzmaLengthCompressor(int preset, bool extreme)
    {
        if (preset is < 0 or > 9)
        {
            throw new ArgumentOutOfRangeException(nameof(preset), preset, "lzma presets are 0-9.");
        }
        _ = SystemLzma.Functions;
        _preset = (uint)preset | (extreme ? SystemLzma.PresetExtreme : 0);
        Identity = IdentityFor(preset, extreme);
        _stream = (SystemLzma.LzmaStream*)NativeMemory.AllocZeroed((nuint)sizeof(SystemLzma.LzmaStream));
        _output = (byte*)NativeMemory.Alloc(OutputChunk);
    }

    public string Identity { get; }

    public static bool IsAvailable => SystemLzma.IsAvailable;

    /// <summary>The loaded liblzma's version (lzma_version_string), or empty when there is none.</summary>
    public static string LibraryVersion => SystemLzma.Version;

    /// <summary>Why lzma cannot be used here, with how to install liblzma.</summary>
    public static string MissingMessage => SystemLzma.MissingMessage;

    public static string Name(int preset, bool extreme) => $"lzma-{preset}{(extreme ? "e" : "")}";

    public static string IdentityFor(int preset, bool extreme) =>
        $"{Name(preset, extreme)}/liblzma-{(SystemLzma.IsAvailable ? SystemLzma.Version : "missing")}";

    public int CompressedLength(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_stream == null, this);
        var api = SystemLzma.Functions;
        int rc = api.EasyEncoder(_stream, _preset, SystemLzma.CheckCrc64);
        if (rc != SystemLzma.LzmaOk)
        {
            throw new InvalidOperationException($"liblzma lzma_easy_encoder failed with code {rc}.");
        }
        byte empty = 0;
        fixed (byte* input = data)
        {
            _stream->NextIn = data.IsEmpty ? &empty : input;
            _stream->AvailIn = (nuint)data.Length;
            while (true)
            {
                // Only the length matters: the output chunk is overwritten as often as needed.
                _stream->NextOut = _output;
                _stream->AvailOut = OutputChunk;
                rc = api.Code(_stream, SystemLzma.LzmaFinish);
                if (rc == SystemLzma.LzmaStreamEnd)
                {
                    break;
                }
                if (rc != SystemLzma.LzmaOk)
                {
                    throw new InvalidOperationException($"liblzma lzma_code failed with code {rc}.");
                }
            }
        }
        return checked((int)_stream->TotalOut);
    }

    private void Free()
    {
        if (_stream != null)
        {
            // lzma_end also from the finalizer: the encoder's own memory is large (hundreds of MiB at preset 9).
            if (SystemLzma.IsAvailable)
            {
                SystemLzma.Functions.End(_stream);
            }
            NativeMemory.Free(_stream);
            _stream = null;
        }
        if (_output != null)
        {
            NativeMemory.Free(_output);
            _output = null;
        }
    }

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    ~LzmaLengthCompressor() => Free();
}
