namespace ZipFit.Core.Compression;

/// <summary>A compressor and level; the factory for per-thread <see cref="ILengthCompressor"/>s.</summary>
public sealed record CompressorSpec
{
    public CompressorKind Kind { get; }
    public int Level { get; }

    /// <summary>For gzip, the implementation (chosen once, when the spec is made); null for the others.</summary>
    public GzipEngine? Engine { get; }

    public CompressorSpec(CompressorKind kind, int level, GzipEngine? engine = null)
    {
        if (!IsValidLevel(kind, level))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level,
                $"Level {level} is not valid for {Name(kind)}; valid levels are {DescribeLevels(kind)}.");
        }
        Kind = kind;
        Level = level;
        Engine = kind == CompressorKind.Gzip ? engine ?? GzipLengthCompressor.EngineFor(level) : null;
    }

    public static CompressorSpec Default { get; } = new(CompressorKind.Gzip, 9);

    public static string[] Names { get; } = ["gzip", "zstd", "brotli", "lz4"];

    public static string Name(CompressorKind kind) => kind switch
    {
        CompressorKind.Gzip => "gzip",
        CompressorKind.Zstd => "zstd",
        CompressorKind.Brotli => "brotli",
        CompressorKind.Lz4 => "lz4",
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
            default: kind = default; return false;
        }
    }

    public static int DefaultLevel(CompressorKind kind) => kind switch
    {
        CompressorKind.Gzip => 9,
        CompressorKind.Zstd => 3,
        CompressorKind.Brotli => 11,
        CompressorKind.Lz4 => 0,
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
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static bool IsValidLevel(CompressorKind kind, int level) => ValidLevels(kind).Contains(level);

    public static string DescribeLevels(CompressorKind kind) => kind switch
    {
        CompressorKind.Lz4 => "0 and 3-12",
        _ => $"{ValidLevels(kind)[0]}-{ValidLevels(kind)[^1]}",
    };

    /// <summary>Parses <c>gzip</c>, <c>gzip-6</c>, <c>zstd-19</c>...; a missing level means the default.</summary>
    public static CompressorSpec Parse(string text, int? level = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        string name = text;
        int dash = text.LastIndexOf('-');
        if (dash > 0 && int.TryParse(text.AsSpan(dash + 1), out int parsed))
        {
            name = text[..dash];
            level ??= parsed;
        }
        if (!TryParseKind(name, out var kind))
        {
            throw new ArgumentException(
                $"Unknown compressor '{text}'. Valid compressors: {string.Join(", ", Names)}.", nameof(text));
        }
        return new CompressorSpec(kind, level ?? DefaultLevel(kind));
    }

    public ILengthCompressor Create() => Kind switch
    {
        CompressorKind.Gzip => GzipLengthCompressor.Create(Level, Engine!.Value),
        CompressorKind.Zstd => new ZstdLengthCompressor(Level),
        CompressorKind.Brotli => new BrotliLengthCompressor(Level),
        CompressorKind.Lz4 => new Lz4LengthCompressor(Level),
        _ => throw new InvalidOperationException(),
    };

    /// <summary>The identity of the lengths this spec produces on this machine, e.g. <c>gzip-9/zlib-1.2.13</c>.</summary>
    public string Identity => Kind switch
    {
        CompressorKind.Gzip => GzipLengthCompressor.IdentityFor(Level, Engine!.Value),
        CompressorKind.Zstd => ZstdLengthCompressor.IdentityFor(Level),
        CompressorKind.Brotli => BrotliLengthCompressor.IdentityFor(Level),
        CompressorKind.Lz4 => Lz4LengthCompressor.IdentityFor(Level),
        _ => throw new InvalidOperationException(),
    };

    public override string ToString() => $"{Name(Kind)}-{Level}";
}
