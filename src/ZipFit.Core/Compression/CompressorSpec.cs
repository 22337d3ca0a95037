namespace ZipFit.Core.Compression;

/// <summary>A compressor and level; the factory for per-thread <see cref="ILengthCompressor"/>s.</summary>
public sealed record CompressorSpec
{
    public CompressorKind Kind { get; }
    public int Level { get; }

    /// <summary>For gzip, the implementation (chosen once, when the spec is made); null for the others.</summary>
    public GzipEngine? Engine { get; }

    /// <summary>For lzma, the preset's extreme variant (Python's <c>preset | lzma.PRESET_EXTREME</c>, written <c>lzma-6e</c>).</summary>
    public bool Extreme { get; }

    public CompressorSpec(CompressorKind kind, int level, GzipEngine? engine = null, bool extreme = false)
    {
        if (!IsValidLevel(kind, level))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level,
                $"Level {level} is not valid for {Name(kind)}; valid levels are {DescribeLevels(kind)}.");
        }
        if (extreme && kind != CompressorKind.Lzma)
        {
            throw new ArgumentException($"Only lzma has extreme presets, not {Name(kind)}.", nameof(extreme));
        }
        Kind = kind;
        Level = level;
        Engine = kind == CompressorKind.Gzip ? engine ?? GzipLengthCompressor.EngineFor(level) : null;
        Extreme = extreme;
    }

    public static CompressorSpec Default { get; } = new(CompressorKind.Gzip, 9);

    public static string[] Names { get; } = ["gzip", "zstd", "brotli", "lz4", "lzma"];

    public static string Name(CompressorKind kind) => kind switch
    {
        CompressorKind.Gzip => "gzip",
        CompressorKind.Zstd => "zstd",
        CompressorKind.Brotli => "brotli",
        CompressorKind.Lz4 => "lz4",
        CompressorKind.Lzma => "lzma",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static bool TryParseKind(string? name, out CompressorKind kind)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case "gzip": case "zlib": case "deflate": kind = CompressorKind.Gzip; return true;
            case "zstd": case "zstandard": kind = CompressorKind.Zstd; return true;
            case "brotli": case "br": kind = CompressorKind.Brotli; return true;
            case "lz4": kind = CompressorKind.Lz4; return true;
            case "lzma": case "xz": kind = CompressorKind.Lzma; return true;
            default: kind = default; return false;
        }
    }

    public static int DefaultLevel(CompressorKind kind) => kind switch
    {
        CompressorKind.Gzip => 9,
        CompressorKind.Zstd => 3,
        CompressorKind.Brotli => 11,
        CompressorKind.Lz4 => 0,
        CompressorKind.Lzma => 6,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>All valid levels of a compressor, lowest first.</summary>
    public static IReadOnlyList<int> ValidLevels(CompressorKind kind) => kind switch
    {
        CompressorKind.Gzip => Enumerable.Range(0, 10).ToArray(),
        CompressorKind.Zstd => Enumerable.Range(1, 22).ToArray(),
        CompressorKind.Brotli => Enumerable.Range(0, 12).ToArray(),
        // K4os LZ4: 0 is the fast codec, 3..12 the high-compression codec; 1 and 2 do not exist.
        CompressorKind.Lz4 => new[] { 0 }.Concat(Enumerable.Range(3, 10)).ToArray(),
        CompressorKind.Lzma => Enumerable.Range(0, 10).ToArray(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static bool IsValidLevel(CompressorKind kind, int level) => ValidLevels(kind).Contains(level);

    public static string DescribeLevels(CompressorKind kind) => kind switch
    {
        CompressorKind.Lz4 => "0 and 3-12",
        _ => $"{ValidLevels(kind)[0]}-{ValidLevels(kind)[^1]}",
    };

    /// <summary>
    /// Parses <c>gzip</c>, <c>gzip-6</c>, <c>zstd-19</c>, <c>lzma-6e</c>...; a missing level means the default,
    /// and <paramref name="level"/>, when given, replaces the one in the text.
    /// </summary>
    public static CompressorSpec Parse(string text, int? level = null)
    {
        if (!TrySplit(text, out string name, out int? parsed, out bool extreme) || !TryParseKind(name, out var kind))
        {
            throw new ArgumentException(
                $"Unknown compressor '{text}'. Valid compressors: {string.Join(", ", Names)}, optionally with a level (gzip-6, lzma-9, lzma-6e).", nameof(text));
        }
        return new CompressorSpec(kind, level ?? parsed ?? DefaultLevel(kind), extreme: extreme);
    }

    /// <summary>Splits <c>name[-level[e]]</c>; false when what follows the dash is not a level.</summary>
    public static bool TrySplit(string? text, out string name, out int? level, out bool extreme)
    {
        name = text?.Trim() ?? "";
        level = null;
        extreme = false;
        int dash = name.LastIndexOf('-');
        if (dash <= 0)
        {
            return name.Length > 0;
        }
        ReadOnlySpan<char> suffix = name.AsSpan(dash + 1);
        if (suffix.Length > 1 && suffix[^1] is 'e' or 'E')
        {
            extreme = true;
            suffix = suffix[..^1];
        }
        if (!int.TryParse(suffix, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int parsed))
        {
            extreme = false;
            return false;
        }
        level = parsed;
        name = name[..dash];
        return true;
    }

    public ILengthCompressor Create() => Kind switch
    {
        CompressorKind.Gzip => GzipLengthCompressor.Create(Level, Engine!.Value),
        CompressorKind.Zstd => new ZstdLengthCompressor(Level),
        CompressorKind.Brotli => new BrotliLengthCompressor(Level),
        CompressorKind.Lz4 => new Lz4LengthCompressor(Level),
        CompressorKind.Lzma => new LzmaLengthCompressor(Level, Extreme),
        _ => throw new InvalidOperationException(),
    };

    /// <summary>Null when this compressor can run on this machine; otherwise why not and how to fix it (lzma without liblzma).</summary>
    public string? UnavailableReason => Kind == CompressorKind.Lzma && !LzmaLengthCompressor.IsAvailable ? LzmaLengthCompressor.MissingMessage : null;

    /// <summary>The identity of the lengths this spec produces on this machine, e.g. <c>gzip-9/zlib-1.2.13</c>.</summary>
    public string Identity => Kind switch
    {
        CompressorKind.Gzip => GzipLengthCompressor.IdentityFor(Level, Engine!.Value),
        CompressorKind.Zstd => ZstdLengthCompressor.IdentityFor(Level),
        CompressorKind.Brotli => BrotliLengthCompressor.IdentityFor(Level),
        CompressorKind.Lz4 => Lz4LengthCompressor.IdentityFor(Level),
        CompressorKind.Lzma => LzmaLengthCompressor.IdentityFor(Level, Extreme),
        _ => throw new InvalidOperationException(),
    };

    public override string ToString() => $"{Name(Kind)}-{Level}{(Extreme ? "e" : "")}";
}
