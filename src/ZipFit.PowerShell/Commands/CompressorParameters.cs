using System.Management.Automation;
using ZipFit.Core.Compression;

namespace ZipFit.Commands;

/// <summary>
/// Resolves -Compressor/-Level against a preferred spec (the target's own), or stops with ZipFit.InvalidLevel,
/// or ZipFit.CompressorUnavailable when the compressor cannot run here (lzma without the system liblzma).
/// </summary>
internal static class CompressorParameters
{
    public static CompressorSpec Resolve(ZipFitCmdlet cmdlet, string? compressor, int? level, CompressorSpec? preferred)
    {
        var spec = compressor is null && level is null && preferred is not null ? preferred : Build(cmdlet, compressor, level, preferred);
        if (spec.UnavailableReason is { } reason)
        {
            cmdlet.ThrowTerminatingError(ErrorRecords.Detected(ErrorIds.CompressorUnavailable, ErrorCategory.NotInstalled, reason,
                compressor ?? spec.ToString()));
        }
        return spec;
    }

    private static CompressorSpec Build(ZipFitCmdlet cmdlet, string? compressor, int? level, CompressorSpec? preferred)
    {
        CompressorKind kind = preferred?.Kind ?? CompressorKind.Gzip;
        int? named = null;
        bool extreme = false;
        if (compressor is not null && CompressorSpec.TrySplit(compressor, out string name, out named, out extreme))
        {
            CompressorSpec.TryParseKind(name, out kind);
        }
        // -Level wins over a level in -Compressor (lzma-6e with -Level 9 is lzma-9e).
        int resolvedLevel = level ?? named
            ?? (compressor is null && preferred is not null ? preferred.Level : CompressorSpec.DefaultLevel(kind));
        if (!CompressorSpec.IsValidLevel(kind, resolvedLevel))
        {
            cmdlet.ThrowTerminatingError(ErrorRecords.Detected(ErrorIds.InvalidLevel, ErrorCategory.InvalidArgument,
                string.Format(Strings.BadLevel, resolvedLevel, CompressorSpec.Name(kind), CompressorSpec.DescribeLevels(kind)), resolvedLevel));
        }
        return new CompressorSpec(kind, resolvedLevel, extreme: extreme && kind == CompressorKind.Lzma);
    }
}
