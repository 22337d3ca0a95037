using System.Runtime.InteropServices;

namespace ZipFit.Core.Compression.Deflate.Tests;

/// <summary>
/// Reference: the system zlib (libz.so.1, 1.2.13) through P/Invoke, raw deflate
/// (windowBits -15, memLevel 8, default strategy), whole input in one deflate(Z_FINISH).
/// One reusable z_stream per instance (deflateReset between calls).
/// </summary>
public sealed unsafe class ZlibNative : IDisposable
{
    private const string Lib = "libz.so.1";
    private const int ZFinish = 4, ZStreamEnd = 1, ZDeflated = 8;
    private const int StreamSize = 112; // sizeof(z_stream) on x64 Linux

    [DllImport(Lib, EntryPoint = "deflateInit2_")]
    private static extern int DeflateInit2(IntPtr strm, int level, int method, int windowBits, int memLevel, int strategy,
        [MarshalAs(UnmanagedType.LPStr)] string version, int streamSize);
    [DllImport(Lib, EntryPoint = "deflate")]
    private static extern int Deflate(IntPtr strm, int flush);
    [DllImport(Lib, EntryPoint = "deflateEnd")]
    private static extern int DeflateEnd(IntPtr strm);
    [DllImport(Lib, EntryPoint = "deflateReset")]
    private static extern int DeflateReset(IntPtr strm);
    [DllImport(Lib, EntryPoint = "zlibVersion")]
    private static extern IntPtr ZlibVersion();

    // z_stream field offsets (x64 LP64).
    private const int OffNextIn = 0, OffAvailIn = 8, OffTotalIn = 16, OffNextOut = 24, OffAvailOut = 32, OffTotalOut = 40;

    private readonly IntPtr _strm;
    private byte[] _out = new byte[1 << 16];

    public static string Version => Marshal.PtrToStringAnsi(ZlibVersion()) ?? "?";

    public ZlibNative(int level)
    {
        _strm = Marshal.AllocHGlobal(StreamSize);
        new Span<byte>((void*)_strm, StreamSize).Clear();
        int rc = DeflateInit2(_strm, level, ZDeflated, -15, 8, 0, "1.2.13", StreamSize);
        if (rc != 0) throw new InvalidOperationException($"deflateInit2_ failed: {rc}");
    }

    /// <summary>Raw deflate length of data. If output is given, the compressed bytes are copied there.</summary>
    public int RawDeflateLength(ReadOnlySpan<byte> data)
    {
        int bound = data.Length + data.Length / 8 + 1024;
        if (_out.Length < bound) _out = new byte[bound];
        if (DeflateReset(_strm) != 0) throw new InvalidOperationException("deflateReset failed");
        byte* s = (byte*)_strm;
        fixed (byte* pin = data)
        fixed (byte* pout = _out)
        {
            byte dummy = 0;
            *(IntPtr*)(s + OffNextIn) = pin == null ? (IntPtr)(&dummy) : (IntPtr)pin;
            *(uint*)(s + OffAvailIn) = (uint)data.Length;
            *(IntPtr*)(s + OffNextOut) = (IntPtr)pout;
            *(uint*)(s + OffAvailOut) = (uint)_out.Length;
            int rc = Deflate(_strm, ZFinish);
            if (rc != ZStreamEnd) throw new InvalidOperationException($"deflate returned {rc}");
            return (int)*(ulong*)(s + OffTotalOut);
        }
    }

    public ReadOnlySpan<byte> LastOutput(int len) => _out.AsSpan(0, len);

    public void Dispose()
    {
        DeflateEnd(_strm);
        Marshal.FreeHGlobal(_strm);
    }
}
