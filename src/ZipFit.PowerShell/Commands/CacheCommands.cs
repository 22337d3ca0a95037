using System.Management.Automation;
using ZipFit.Core.Cache;

namespace ZipFit.Commands;

/// <summary>Opens the cache file the cache cmdlets act on.</summary>
internal static class CacheCommands
{
    /// <summary>Opens an existing cache, or reports why it cannot.</summary>
    public static ScoreCache? Open(ZipFitCmdlet cmdlet, string? cachePath)
    {
        string path = cachePath is null ? CacheLocation.DefaultPath : cmdlet.GetUnresolvedProviderPathFromPSPath(cachePath);
        if (!File.Exists(path))
        {
            cmdlet.WriteError(ErrorRecords.NotFound(cmdlet, ErrorIds.CacheNotFound, string.Format(Strings.CacheNotFoundAt, path), path));
            return null;
        }
        try
        {
            return ScoreCache.Open(path, cmdlet.WriteWarning);
        }
        catch (Exception ex) when (ex is NotACacheException or CacheVersionException || CacheFailures.IsStorageFailure(ex))
        {
            cmdlet.WriteError(ErrorRecords.CacheUnusable(ex, path));
            return null;
        }
    }
}
