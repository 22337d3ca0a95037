using System.Management.Automation;
using ZipFit.Core.Compression;

namespace ZipFit.Commands;

/// <summary>Resolves -Compressor/-Level against a preferred spec (the target's own), or stops with ZipFit.InvalidLevel.</summary>
internal static class CompressorParameters
{
    public static CompressorSpec Resolve(ZipFitCmdlet cmdlet, string? compressor, int? level, CompressorSpec? preferred)
    {
        if (compressor is null && level is null && preferred is not null)
        {
            return preferred;
        }
        CompressorKind kind = preferred?.Kind ?? CompressorKind.Gzip;
        if (compressor is not null)
        {
            CompressorSpec.TryParseKind(compressor, out kind);
        }
        int resolvedLevel = level
            ?? (compressor is null && preferred is not null ? preferred.Level : CompressorSpec.DefaultLevel(kind));
        if (!CompressorSpec.IsValidLevel(kind, resolvedLevel))
        {
            cmdlet.ThrowTerminatingError(ErrorRecords.Detected(ErrorIds.InvalidLevel, ErrorCategory.InvalidArgument,
                string.Format(Strings.BadLevel, resolvedLevel, CompressorSpec.Name(kind), CompressorSpec.DescribeLevels(kind)), resolvedLevel));
        }
        return new CompressorSpec(kind, resolvedLevel);
    }
}
