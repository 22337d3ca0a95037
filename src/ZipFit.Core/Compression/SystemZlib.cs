using System.Runtime.InteropServices;

namespace ZipFit.Core.Compression;

/// <summary>
/// The machine's own zlib, loaded at run time. Python's <c>gzip.compress</c> calls the same
/// library, so its lengths are the reference for exact ZIP-FIT scores. Windows has none.
/// </summary>
internal static unsafe class SystemZlib
{
    private static readonly string[] Candidates =
        ["libz.so.1", "libz.so", "libz.1.dylib", "libz.dylib", "/usr/lib/libz.1.dylib"];

    private static readonly Lazy<Api?> LazyApi = new(Load);

    public static bool IsAvailable => LazyApi.Value is not null;

    public static string Version => LazyApi.Value?.Version ?? "";

    internal static Api Functions => LazyApi.Value ?? throw new PlatformNotSupportedException("No system zlib was found.");

    internal sealed class Api
    {
        public delegate* unmanaged[Cdecl]<ZStream*, int, int, int, int, int, byte*, int, int> DeflateInit2;
        public delegate* unmanaged[Cdecl]<ZStream*, int, int> Deflate;
        public delegate* unmanaged[Cdecl]<ZStream*, int> DeflateReset;
        public delegate* unmanaged[Cdecl]<ZStream*, int> DeflateEnd;
        public string Version = "";
        public byte[] VersionBytes = [];
    }

    private static Api? Load()
    {
        if (Environment.GetEnvironmentVariable("ZIPFIT_NO_SYSTEM_ZLIB") is "1" or "true")
        {
            return null;
        }
        return NativeLibraries.LoadFirst(Candidates, handle =>
        {
            var versionFn = (delegate* unmanaged[Cdecl]<byte*>)NativeLibrary.GetExport(handle, "zlibVersion");
            string version = Marshal.PtrToStringAnsi((IntPtr)versionFn()) ?? "";
            return new Api
            {
                DeflateInit2 = (delegate* unmanaged[Cdecl]<ZStream*, int, int, int, int, int, byte*, int, int>)
                    NativeLibrary.GetExport(handle, "deflateInit2_"),
                Deflate = (delegate* unmanaged[Cdecl]<ZStream*, int, int>)NativeLibrary.GetExport(handle, "deflate"),
                DeflateReset = (delegate* unmanaged[Cdecl]<ZStream*, int>)NativeLibrary.GetExport(handle, "deflateReset"),
                DeflateEnd = (delegate* unmanaged[Cdecl]<ZStream*, int>)NativeLibrary.GetExport(handle, "deflateEnd"),
                Version = version,
                VersionBytes = System.Text.Encoding.ASCII.GetBytes(version + "\0"),
            };
        });
    }

    /// <summary>zlib's z_stream (LP64 and LLP64 layouts both follow from nuint/pointer sizes, except
    /// Windows' 32-bit uLong, which never applies because Windows has no system zlib).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct ZStream
    {
        public byte* NextIn;
        public uint AvailIn;
        public nuint TotalIn;
        public byte* NextOut;
        public uint AvailOut;
        public nuint TotalOut;
        public IntPtr Msg;
        public IntPtr State;
        public IntPtr ZAlloc;
        public IntPtr ZFree;
        public IntPtr Opaque;
        public int DataType;
        public nuint Adler;
        public nuint Reserved;
    }

    public const int ZOk = 0;
    public const int ZStreamEnd = 1;
    public const int ZNoFlush = 0;
    public const int ZFinish = 4;
    public const int ZBufError = -5;
    public const int ZDeflated = 8;
}
