using System.Management.Automation;
using ZipFit.Core.Data;

namespace ZipFit.Commands;

/// <summary>Parses -Shard ("i/n") or stops the command with ZipFit.InvalidShard.</summary>
internal static class ShardParameter
{
    public static Shard? Parse(ZipFitCmdlet cmdlet, string? text)
    {
        if (text is null)
        {
            return null;
        }
        try
        {
            return Core.Data.Shard.Parse(text);
        }
        catch (FormatException ex)
        {
            cmdlet.ThrowTerminatingError(ErrorRecords.FromException(ex, ErrorIds.InvalidShard, ErrorCategory.InvalidArgument, text));
            return null;
        }
    }
}
