using System.Runtime.InteropServices;

namespace ZipFit.Core.Compression;

/// <summary>
/// The machine's own liblzma (xz-utils), loaded at run time. Python's <c>lzma</c> module calls the same
/// library, so its lengths are the reference for lzma scores. Windows has none; ZIPFIT_LIBLZMA names
/// another file or path to load instead of the usual names.
/// </summary>
internal static unsafe class SystemLzma
{
    /// <summary>Environment variable naming the library to load (a file name or a path) instead of <see cref="DefaultCandidates"/>.</summary>
    public const string LibraryVariable = "ZIPFIT_LIBLZMA";

    internal static readonly string[] DefaultCandidates =
    [
        "liblzma.so.5", "liblzma.so",
        "liblzma.5.dylib", "/opt/homebrew/opt/xz/lib/liblzma.5.dylib", "/usr/local/opt/xz/lib/liblzma.5.dylib", "/usr/lib/liblzma.5.dylib",
        "liblzma.dll", "liblzma-5.dll",
    ];

    private static readonly Lazy<Api?> LazyApi = new(() => Load(Candidates()));

    public static bool IsAvailable => LazyApi.Value is not null;

    public static string Version => LazyApi.Value?.Version ?? "";

    internal static Api Functions => LazyApi.Value ?? throw new DllNotFoundException(MissingMessage);

    /// <summary>What to tell a user whose machine has no liblzma.</summary>
    public static string MissingMessage
    {
        get
        {
            string tried = Environment.GetEnvironmentVariable(LibraryVariable) is { Length: > 0 } own
                ? $"'{own}' (from {LibraryVariable})"
                : "liblzma.so.5 / liblzma.5.dylib";
            return $"lzma needs the system liblzma (xz-utils), and {tried} could not be loaded. Install it "
                + "(Debian/Ubuntu: apt-get install liblzma5; Fedora: dnf install xz-libs; macOS: brew install xz), "
                + $"or set {LibraryVariable} to the library's path. Windows has no system liblzma: use gzip, zstd, brotli or lz4 there.";
        }
    }

    internal sealed class Api
    {
        public delegate* unmanaged[Cdecl]<LzmaStream*, uint, int, int> EasyEncoder;
        public delegate* unmanaged[Cdecl]<LzmaStream*, int, int> Code;
        public delegate* unmanaged[Cdecl]<LzmaStream*, void> End;
        public string Version = "";
    }

    private static string[] Candidates() =>
        Environment.GetEnvironmentVariable(LibraryVariable) is { Length: > 0 } own ? [own] : DefaultCandidates;

    /// <summary>The first of <paramref name="candidates"/> that loads and exports the encoder API, or null.</summary>
    internal static Api? Load(IEnumerable<string> candidates) => NativeLibraries.LoadFirst(candidates, handle =>
    {
        var versionFn = (delegate* unmanaged[Cdecl]<byte*>)NativeLibrary.GetExport(handle, "lzma_version_string");
        return new Api
        {
            EasyEncoder = (delegate* unmanaged[Cdecl]<LzmaStream*, uint, int, int>)NativeLibrary.GetExport(handle, "lzma_easy_encoder"),
            Code = (delegate* unmanaged[Cdecl]<LzmaStream*, int, int>)NativeLibrary.GetExport(handle, "lzma_code"),
            End = (delegate* unmanaged[Cdecl]<LzmaStream*, void>)NativeLibrary.GetExport(handle, "lzma_end"),
            Version = Marshal.PtrToStringAnsi((IntPtr)versionFn()) ?? "",
        };
    });

    /// <summary>liblzma's lzma_stream (5.x; all-zero is LZMA_STREAM_INIT). The reserved tail is kept so the size matches.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct LzmaStream
    {
        public byte* NextIn;
        public nuint AvailIn;
        public ulong TotalIn;
        public byte* NextOut;
        public nuint AvailOut;
        public ulong TotalOut;
        public IntPtr Allocator;
        public IntPtr Internal;
        public IntPtr ReservedPtr1;
        public IntPtr ReservedPtr2;
        public IntPtr ReservedPtr3;
        public IntPtr ReservedPtr4;
        public ulong SeekPos;
        public ulong ReservedInt2;
        public nuint ReservedInt3;
        public nuint ReservedInt4;
        public int ReservedEnum1;
        public int ReservedEnum2;
    }

    public const int LzmaOk = 0;
    public const int LzmaStreamEnd = 1;
    public const int LzmaRun = 0;
    public const int LzmaFinish = 3;
    public const int CheckCrc64 = 4;
    public const uint PresetExtreme = 0x80000000;
}
