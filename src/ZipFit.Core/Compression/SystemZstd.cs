using System.Runtime.InteropServices;

namespace ZipFit.Core.Compression;

/// <summary>
/// The machine's own libzstd, loaded at run time to read .zst pools: it decompresses about three times as fast as
/// the managed port, which matters when a pool of millions of records is read on the pipeline thread. Where it is
/// missing (Windows, or ZIPFIT_NO_SYSTEM_ZSTD=1), the managed ZstdSharp reads the same files.
/// </summary>
internal static unsafe class SystemZstd
{
    internal static readonly string[] DefaultCandidates =
    [
        "libzstd.so.1", "libzstd.so",
        "libzstd.1.dylib", "/opt/homebrew/opt/zstd/lib/libzstd.1.dylib", "/usr/local/opt/zstd/lib/libzstd.1.dylib",
    ];

    private static readonly Lazy<Api?> LazyApi = new(() =>
        Environment.GetEnvironmentVariable("ZIPFIT_NO_SYSTEM_ZSTD") is "1" or "true" ? null : Load(DefaultCandidates));

    public static bool IsAvailable => LazyApi.Value is not null;

    internal static Api Functions => LazyApi.Value ?? throw new DllNotFoundException("libzstd could not be loaded.");

    internal sealed class Api
    {
        public delegate* unmanaged[Cdecl]<IntPtr> CreateDStream;
        public delegate* unmanaged[Cdecl]<IntPtr, nuint> FreeDStream;
        public delegate* unmanaged[Cdecl]<IntPtr, Buffer*, Buffer*, nuint> DecompressStream;
        public delegate* unmanaged[Cdecl]<nuint, uint> IsError;
        public delegate* unmanaged[Cdecl]<nuint, byte*> GetErrorName;
        public uint Version;
    }

    /// <summary>ZSTD_inBuffer and ZSTD_outBuffer have the same layout: pointer, size, position.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct Buffer
    {
        public byte* Data;
        public nuint Size;
        public nuint Pos;
    }

    internal static Api? Load(IEnumerable<string> candidates) => NativeLibraries.LoadFirst(candidates, handle =>
    {
        var version = (delegate* unmanaged[Cdecl]<uint>)NativeLibrary.GetExport(handle, "ZSTD_versionNumber");
        var api = new Api
        {
            CreateDStream = (delegate* unmanaged[Cdecl]<IntPtr>)NativeLibrary.GetExport(handle, "ZSTD_createDStream"),
            FreeDStream = (delegate* unmanaged[Cdecl]<IntPtr, nuint>)NativeLibrary.GetExport(handle, "ZSTD_freeDStream"),
            DecompressStream = (delegate* unmanaged[Cdecl]<IntPtr, Buffer*, Buffer*, nuint>)NativeLibrary.GetExport(handle, "ZSTD_decompressStream"),
            IsError = (delegate* unmanaged[Cdecl]<nuint, uint>)NativeLibrary.GetExport(handle, "ZSTD_isError"),
            GetErrorName = (delegate* unmanaged[Cdecl]<nuint, byte*>)NativeLibrary.GetExport(handle, "ZSTD_getErrorName"),
            Version = version(),
        };
        // The streaming API used here is stable from 1.4 on; an older library is passed over.
        if (api.Version < 10400)
        {
            throw new EntryPointNotFoundException("libzstd older than 1.4");
        }
        return api;
    });

    public static string ErrorName(nuint code) => Marshal.PtrToStringAnsi((IntPtr)Functions.GetErrorName(code)) ?? "unknown error";
}
