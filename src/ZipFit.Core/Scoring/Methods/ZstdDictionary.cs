using System.Runtime.InteropServices;
using ZstdSharp;
using ZstdSharp.Unsafe;
using Z = ZstdSharp.Unsafe.Methods;

namespace ZipFit.Core.Scoring.Methods;

/// <summary>How a zstd dictionary is built from a set of examples.</summary>
public enum ZstdDictKind
{
    /// <summary>Raw-content dictionary: the examples' bytes concatenated (see <see cref="ZstdDictionary.BuildRawContent"/>).</summary>
    Raw = 0,

    /// <summary>ZDICT fastCover training (ZstdSharp <c>DictBuilder.TrainFromBuffer</c>): selected segments + entropy tables.</summary>
    Trained = 1,

    /// <summary>Raw content, finalised with entropy tables (Huffman/FSE statistics) computed from the same examples (ZDICT_finalizeDictionary).</summary>
    RawWithEntropy = 2,
}

/// <summary>
/// A compiled zstd compression dictionary (ZSTD_CDict) shared read-only by any number of threads; each thread
/// compresses with its own <see cref="ZstdDictCompressor"/>. ZstdSharp.Port 0.8.8 has no managed shared-dictionary
/// type (Compressor.LoadDictionary compiles a private copy per compressor), so this wraps the ported C API:
/// ZSTD_createCDict once, then ZSTD_compress_usingCDict per call (the CDict is only read during compression,
/// the same guarantee as upstream zstd).
/// </summary>
public sealed unsafe class ZstdDictionary : IDisposable
{
    private readonly CDictHandle _handle;

    private ZstdDictionary(CDictHandle handle, int level, int size, ZstdDictKind kind)
    {
        _handle = handle;
        Level = level;
        SizeBytes = size;
        Kind = kind;
    }

    public int Level { get; }
    public int SizeBytes { get; }
    public ZstdDictKind Kind { get; }

    internal CDictHandle Handle => _handle;

    /// <summary>Compiles <paramref name="dictionary"/> (raw content or a ZDICT-format dictionary) for compression at <paramref name="level"/>.</summary>
    public static ZstdDictionary Compile(ReadOnlySpan<byte> dictionary, int level, ZstdDictKind kind)
    {
        if (dictionary.Length == 0) throw new ArgumentException("empty dictionary", nameof(dictionary));
        ZSTD_CDict_s* cdict;
        fixed (byte* p = dictionary)
        {
            var cParams = Z.ZSTD_getCParams(level, 0, (nuint)dictionary.Length);
            var contentType = kind == ZstdDictKind.Raw ? ZSTD_dictContentType_e.ZSTD_dct_rawContent : ZSTD_dictContentType_e.ZSTD_dct_fullDict;
            cdict = Z.ZSTD_createCDict_advanced(p, (nuint)dictionary.Length, ZSTD_dictLoadMethod_e.ZSTD_dlm_byCopy,
                contentType, cParams, default);
        }
        if (cdict == null) throw new InvalidOperationException("ZSTD_createCDict failed");
        // the level is carried by the CDict: ZSTD_createCDict_advanced stores cParams only, so set it for frame params too
        return new ZstdDictionary(new CDictHandle((IntPtr)cdict), level, dictionary.Length, kind);
    }

    /// <summary>Builds the dictionary bytes of the given kind from examples (deterministic).</summary>
    public static byte[] Build(IReadOnlyList<byte[]> examples, int maxBytes, ZstdDictKind kind, int level)
    {
        if (examples.Count == 0) throw new ArgumentException("no examples", nameof(examples));
        if (maxBytes < 256) throw new ArgumentOutOfRangeException(nameof(maxBytes));
        switch (kind)
        {
            case ZstdDictKind.Raw:
                return BuildRawContent(examples, maxBytes);
            case ZstdDictKind.Trained:
            {
                var samples = examples.Where(e => e.Length > 0).ToArray();
                return DictBuilder.TrainFromBuffer(samples, maxBytes);
            }
            case ZstdDictKind.RawWithEntropy:
            {
                // leave room for the entropy-table header (< 1 KiB in practice)
                var content = BuildRawContent(examples, Math.Max(256, maxBytes - 2048));
                return FinalizeWithEntropy(content, examples, maxBytes, level);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    /// <summary>
    /// Raw content: whole examples in the given order, concatenated until <paramref name="maxBytes"/> (the last one cut).
    /// The most-target-like content for zstd is whatever is nearest the end of the dictionary (shortest offsets), so
    /// the order is reversed: the first example ends up last.
    /// </summary>
    public static byte[] BuildRawContent(IReadOnlyList<byte[]> examples, int maxBytes)
    {
        long total = 0;
        foreach (var e in examples) total += e.Length;
        int size = (int)Math.Min(total, maxBytes);
        var dict = new byte[size];
        int end = size;
        foreach (var e in examples)
        {
            if (end == 0) break;
            int take = Math.Min(e.Length, end);
            // take the example's head when it must be cut
            e.AsSpan(0, take).CopyTo(dict.AsSpan(end - take));
            end -= take;
        }
        return dict;
    }

    private static byte[] FinalizeWithEntropy(byte[] content, IReadOnlyList<byte[]> examples, int maxBytes, int level)
    {
        var samples = examples.Where(e => e.Length > 0).ToArray();
        long total = samples.Sum(s => (long)s.Length);
        var concat = new byte[total];
        var sizes = new nuint[samples.Length];
        long off = 0;
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i].CopyTo(concat, off);
            off += samples[i].Length;
            sizes[i] = (nuint)samples[i].Length;
        }
        int cap = Math.Max(maxBytes, content.Length + 4096);
        var dst = new byte[cap];
        nuint r;
        fixed (byte* pd = dst)
        fixed (byte* pc = content)
        fixed (byte* ps = concat)
        fixed (nuint* pz = sizes)
        {
            var p = new ZDICT_params_t { compressionLevel = level, notificationLevel = 0, dictID = 0 };
            r = Z.ZDICT_finalizeDictionary(pd, (nuint)cap, pc, (nuint)content.Length, ps, pz, (uint)samples.Length, p);
        }
        if (Z.ZDICT_isError(r)) throw new InvalidOperationException("ZDICT_finalizeDictionary: " + Z.ZDICT_getErrorName(r));
        Array.Resize(ref dst, (int)r);
        return dst;
    }

    public void Dispose() => _handle.Dispose();

    internal sealed class CDictHandle : SafeHandle
    {
        public CDictHandle(IntPtr p) : base(IntPtr.Zero, true) => SetHandle(p);
        public override bool IsInvalid => handle == IntPtr.Zero;
        protected override bool ReleaseHandle()
        {
            Z.ZSTD_freeCDict((ZSTD_CDict_s*)handle);
            return true;
        }
    }
}

/// <summary>
/// Per-thread compressor (own ZSTD_CCtx and output buffer) measuring compressed sizes against shared
/// <see cref="ZstdDictionary"/> instances. Allocation-free per call once the buffer fits the largest input.
/// Never share an instance between threads.
/// </summary>
public sealed unsafe class ZstdDictCompressor : IDisposable
{
    private ZSTD_CCtx_s* _cctx;
    private byte[] _dst = new byte[(int)Z.ZSTD_compressBound(64 * 1024)];
    private readonly List<ZstdDictionary.CDictHandle> _refs = new();

    public ZstdDictCompressor()
    {
        _cctx = Z.ZSTD_createCCtx();
        if (_cctx == null) throw new InvalidOperationException("ZSTD_createCCtx failed");
    }

    /// <summary>Keeps the dictionary's native memory alive for as long as this compressor lives.</summary>
    public void Retain(ZstdDictionary dict)
    {
        bool ok = false;
        dict.Handle.DangerousAddRef(ref ok);
        if (ok) _refs.Add(dict.Handle);
    }

    /// <summary>Compressed frame size of <paramref name="src"/> with <paramref name="dict"/> (which must be retained).</summary>
    public int CompressedSize(ReadOnlySpan<byte> src, ZstdDictionary dict)
    {
        EnsureCapacity(src.Length);
        nuint r;
        fixed (byte* ps = src)
        fixed (byte* pd = _dst)
        {
            r = Z.ZSTD_compress_usingCDict(Cctx, pd, (nuint)_dst.Length, ps, (nuint)src.Length,
                (ZSTD_CDict_s*)dict.Handle.DangerousGetHandle());
        }
        if (Z.ZSTD_isError(r)) throw new ZstdException(Z.ZSTD_getErrorCode(r), Z.ZSTD_getErrorName(r));
        return (int)r;
    }

    /// <summary>Compressed frame size of <paramref name="src"/> without a dictionary.</summary>
    public int CompressedSize(ReadOnlySpan<byte> src, int level)
    {
        EnsureCapacity(src.Length);
        nuint r;
        fixed (byte* ps = src)
        fixed (byte* pd = _dst)
        {
            r = Z.ZSTD_compressCCtx(Cctx, pd, (nuint)_dst.Length, ps, (nuint)src.Length, level);
        }
        if (Z.ZSTD_isError(r)) throw new ZstdException(Z.ZSTD_getErrorCode(r), Z.ZSTD_getErrorName(r));
        return (int)r;
    }

    private ZSTD_CCtx_s* Cctx => _cctx != null ? _cctx : throw new ObjectDisposedException(nameof(ZstdDictCompressor));

    private void EnsureCapacity(int n)
    {
        int need = (int)Z.ZSTD_compressBound((nuint)n);
        Scratch.Ensure(ref _dst, need);
    }

    public void Dispose()
    {
        if (_cctx != null)
        {
            Z.ZSTD_freeCCtx(_cctx);
            _cctx = null;
            foreach (var h in _refs) h.DangerousRelease();
            _refs.Clear();
        }
        GC.SuppressFinalize(this);
    }

    ~ZstdDictCompressor()
    {
        if (_cctx != null) Z.ZSTD_freeCCtx(_cctx);
    }
}
