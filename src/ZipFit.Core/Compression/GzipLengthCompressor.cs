using System.IO.Compression;
using System.Runtime.InteropServices;

namespace ZipFit.Core.Compression;

/// <summary>
/// Length of <c>gzip.compress(data, level)</c>: a raw deflate stream plus the gzip container's
/// 10-byte header and 8-byte trailer.
/// </summary>
public abstract class GzipLengthCompressor : ILengthCompressor
{
    /// <summary>Bytes the gzip container adds around the deflate stream (no file name, no extra fields).</summary>
    public const int ContainerBytes = 18;

    public abstract string Identity { get; }

    public abstract int CompressedLength(ReadOnlySpan<byte> data);

    public virtual int CompressedLength(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, Span<byte> scratch) =>
        Concatenation.CompressCopy(this, first, second, scratch);

    public virtual void Dispose() => GC.SuppressFinalize(this);

    /// <summary>The zlib version whose output the managed engine reproduces.</summary>
    public const string ManagedZlibVersion = "1.2.13";

    /// <summary>True when lengths equal Python's <c>gzip.compress</c> with zlib 1.2.13 (the managed engine or the system zlib).</summary>
    public static bool IsExact(int level) => EngineFor(level) != GzipEngine.Runtime;

    /// <summary>Whether the machine's zlib is present (the cross-check engine).</summary>
    public static bool HasSystemZlib => SystemZlib.IsAvailable;

    /// <summary>
    /// The engine used for a level: the managed one for 1-9 unless ZIPFIT_GZIP_ENGINE=system asks for
    /// the machine's zlib; level 0 (stored blocks) from the system zlib, else the runtime's deflate.
    /// </summary>
    public static GzipEngine EngineFor(int level)
    {
        string? requested = Environment.GetEnvironmentVariable("ZIPFIT_GZIP_ENGINE")?.Trim().ToLowerInvariant();
        if (requested == "system" && SystemZlib.IsAvailable)
        {
            return GzipEngine.System;
        }
        if (requested == "runtime")
        {
            return GzipEngine.Runtime;
        }
        if (level >= 1)
        {
            return GzipEngine.Managed;
        }
        return SystemZlib.IsAvailable ? GzipEngine.System : GzipEngine.Runtime;
    }

    public static string IdentityFor(int level) => IdentityFor(level, EngineFor(level));

    public static string IdentityFor(int level, GzipEngine engine) => engine switch
    {
        GzipEngine.Managed => $"gzip-{level}/managed-zlib-{ManagedZlibVersion}",
        GzipEngine.System => $"gzip-{level}/zlib-{SystemZlib.Version}",
        _ => $"gzip-{level}/dotnet-{Environment.Version.ToString(2)}",
    };

    public static GzipLengthCompressor Create(int level) => Create(level, EngineFor(level));

    public static GzipLengthCompressor Create(int level, GzipEngine engine) => engine switch
    {
        GzipEngine.Managed => new ManagedDeflateGzip(level),
        GzipEngine.System => new SystemZlibGzip(level),
        _ => new ManagedRuntimeGzip(level),
    };

    /// <summary>ZipFit's length-only deflate (see Compression/Deflate): exact, and x is processed once per example.</summary>
    private sealed class ManagedDeflateGzip : GzipLengthCompressor, IPrefixLengthCompressor
    {
        private readonly Deflate.DeflateLengthCalculator _calculator;

        public ManagedDeflateGzip(int level)
        {
            if (level is < 1 or > 9)
            {
                throw new ArgumentOutOfRangeException(nameof(level), level, "The managed deflate engine covers levels 1-9.");
            }
            _calculator = new Deflate.DeflateLengthCalculator(level);
            Identity = IdentityFor(level, GzipEngine.Managed);
        }

        public override string Identity { get; }

        public override int CompressedLength(ReadOnlySpan<byte> data) => _calculator.RawDeflateLength(data) + ContainerBytes;

        public void SetPrefix(ReadOnlySpan<byte> prefix) => _calculator.SetPrefix(prefix);

        public int CompressedLengthWithSuffix(ReadOnlySpan<byte> suffix) => _calculator.RawDeflateLengthWithSuffix(suffix) + ContainerBytes;

        public SuffixPlan PrepareSuffix(ReadOnlySpan<byte> suffix) => new DeflatePlan(new Deflate.DeflateSuffixPlan(_calculator.Level, suffix));

        public int CompressedLengthWithSuffix(SuffixPlan suffix) => suffix is DeflatePlan plan && plan.Plan.Level == _calculator.Level
            ? _calculator.RawDeflateLengthWithSuffix(plan.Plan) + ContainerBytes
            : CompressedLengthWithSuffix(suffix.Bytes.Span);

        private sealed class DeflatePlan(Deflate.DeflateSuffixPlan plan) : SuffixPlan(plan.Memory)
        {
            public Deflate.DeflateSuffixPlan Plan { get; } = plan;
        }
    }

    private sealed unsafe class SystemZlibGzip : GzipLengthCompressor
    {
        private const int OutputChunk = 64 * 1024;
        private readonly string _identity;
        private SystemZlib.ZStream* _stream;
        private byte* _output;

        public SystemZlibGzip(int level)
        {
            _identity = IdentityFor(level);
            var api = SystemZlib.Functions;
            _stream = (SystemZlib.ZStream*)NativeMemory.AllocZeroed((nuint)sizeof(SystemZlib.ZStream));
            _output = (byte*)NativeMemory.Alloc(OutputChunk);
            fixed (byte* version = api.VersionBytes)
            {
                // windowBits -15: raw deflate; the container is a constant we add ourselves.
                int rc = api.DeflateInit2(_stream, level, SystemZlib.ZDeflated, -15, 8, 0, version, sizeof(SystemZlib.ZStream));
                if (rc != SystemZlib.ZOk)
                {
                    Free();
                    throw new InvalidOperationException($"zlib deflateInit2 failed with code {rc}.");
                }
            }
        }

        public override string Identity => _identity;

        public override int CompressedLength(ReadOnlySpan<byte> data) => CompressedLength(data, ReadOnlySpan<byte>.Empty, default);

        /// <summary>
        /// Feeds the two parts in two deflate calls (the first without flushing). zlib only compresses
        /// once it has its full lookahead or is told to finish, so the output is the same as for one
        /// buffer (the parity tests check this) and the parts are never copied.
        /// </summary>
        public override int CompressedLength(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, Span<byte> scratch)
        {
            ObjectDisposedException.ThrowIf(_stream == null, this);
            var api = SystemZlib.Functions;
            api.DeflateReset(_stream);
            byte empty = 0;
            fixed (byte* a = first)
            fixed (byte* b = second)
            {
                if (second.Length > 0)
                {
                    _stream->NextIn = first.Length == 0 ? &empty : a;
                    _stream->AvailIn = (uint)first.Length;
                    Deflate(api, SystemZlib.ZNoFlush);
                    _stream->NextIn = b;
                    _stream->AvailIn = (uint)second.Length;
                }
                else
                {
                    _stream->NextIn = first.Length == 0 ? &empty : a;
                    _stream->AvailIn = (uint)first.Length;
                }
                Deflate(api, SystemZlib.ZFinish);
            }
            return checked((int)_stream->TotalOut + ContainerBytes);
        }

        private void Deflate(SystemZlib.Api api, int flush)
        {
            while (true)
            {
                // Only the length matters: the output chunk is overwritten as often as needed.
                _stream->NextOut = _output;
                _stream->AvailOut = OutputChunk;
                int rc = api.Deflate(_stream, flush);
                if (rc == SystemZlib.ZStreamEnd || (flush == SystemZlib.ZNoFlush && rc == SystemZlib.ZOk && _stream->AvailIn == 0))
                {
                    return;
                }
                if (rc == SystemZlib.ZBufError && flush == SystemZlib.ZNoFlush && _stream->AvailIn == 0)
                {
                    return;
                }
                if (rc != SystemZlib.ZOk)
                {
                    throw new InvalidOperationException($"zlib deflate failed with code {rc}.");
                }
            }
        }

        private void Free()
        {
            if (_stream != null)
            {
                NativeMemory.Free(_stream);
                _stream = null;
            }
            if (_output != null)
            {
                NativeMemory.Free(_output);
                _output = null;
            }
        }

        public override void Dispose()
        {
            if (_stream != null && SystemZlib.IsAvailable)
            {
                SystemZlib.Functions.DeflateEnd(_stream);
            }
            Free();
            base.Dispose();
        }

        ~SystemZlibGzip() => Free();
    }

    /// <summary>
    /// Fallback where the machine has no zlib (Windows): .NET's deflate, which exposes only three
    /// levels and whose lengths differ from Python's. Results carry a distinct identity.
    /// </summary>
    private sealed class ManagedRuntimeGzip : GzipLengthCompressor
    {
        private readonly CompressionLevel _level;
        private readonly string _identity;
        private readonly CountingStream _sink = new();

        public ManagedRuntimeGzip(int level)
        {
            _identity = IdentityFor(level);
            _level = level switch
            {
                0 => CompressionLevel.NoCompression,
                <= 5 => CompressionLevel.Fastest,
                <= 8 => CompressionLevel.Optimal,
                _ => CompressionLevel.SmallestSize,
            };
        }

        public override string Identity => _identity;

        public override int CompressedLength(ReadOnlySpan<byte> data)
        {
            _sink.Reset();
            using (var deflate = new DeflateStream(_sink, _level, leaveOpen: true))
            {
                deflate.Write(data);
            }
            return checked((int)_sink.Length + ContainerBytes);
        }
    }
}
