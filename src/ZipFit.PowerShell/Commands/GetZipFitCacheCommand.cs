using System.Management.Automation;
using ZipFit.Core.Cache;

namespace ZipFit.Commands;

/// <summary>Shows a cache file: its path, size, rows of each kind, and the compressors and methods seen.</summary>
[Cmdlet(VerbsCommon.Get, "ZipFitCache")]
[OutputType(typeof(CacheInfo))]
public sealed class GetZipFitCacheCommand : ZipFitCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Path")]
    [ValidateNotNullOrEmpty]
    public string? CachePath { get; set; }

    protected override void ProcessRecord()
    {
        if (CacheCommands.Open(this, CachePath) is not { } cache)
        {
            return;
        }
        using (cache)
        {
            WriteObject(cache.GetInfo());
        }
    }
}
