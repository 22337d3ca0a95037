using System.Management.Automation;
using ZipFit.Core.Cache;

namespace ZipFit.Commands;

/// <summary>Removes cached entries: all, one compressor's, or those older than a date.</summary>
[Cmdlet(VerbsCommon.Clear, "ZipFitCache", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(CacheInfo))]
public sealed class ClearZipFitCacheCommand : ZipFitCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Path")]
    [ValidateNotNullOrEmpty]
    public string? CachePath { get; set; }

    /// <summary>Only entries of compressors matching this (gzip, gzip-9, zstd-*, or a full identity).</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string? Compressor { get; set; }

    /// <summary>Only entries written before this date.</summary>
    [Parameter]
    public DateTime? OlderThan { get; set; }

    /// <summary>Clears without asking for confirmation.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Outputs the cache's state after clearing.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        if (CacheCommands.Open(this, CachePath) is not { } cache)
        {
            return;
        }
        using (cache)
        {
            var info = cache.GetInfo();
            string what = Compressor is null ? "all entries" : $"entries of compressors matching '{Compressor}'";
            if (OlderThan is { } date)
            {
                what += $" older than {date:u}";
            }
            if (!ShouldProcess(info.Path, $"Clear {what}"))
            {
                return;
            }
            if (!Force && !ShouldContinue($"Clear {what} from '{info.Path}'?", "Clear the ZipFit cache"))
            {
                return;
            }
            long removed = cache.Clear(Compressor, OlderThan is { } d ? new DateTimeOffset(d.ToUniversalTime()) : null);
            WriteVerbose($"Removed {removed} rows from {info.Path}.");
            if (PassThru)
            {
                WriteObject(cache.GetInfo());
            }
        }
    }
}
