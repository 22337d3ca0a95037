namespace ZipFit.Host;

/// <summary>pwsh-style arguments: -Command '&lt;script&gt;' or -File script.ps1 [args]; pwsh habits like -NoProfile are accepted.</summary>
internal sealed record HostArguments(string? Command, string? File, IReadOnlyList<string> FileArguments, string? ModulePath, bool ShowHelp)
{
    private static readonly string[] IgnoredSwitches = ["-noprofile", "-nologo", "-noninteractive", "-nop", "-nol", "-noni", "-mta", "-sta"];
    private static readonly string[] IgnoredWithValue = ["-executionpolicy", "-ep", "-ex", "-outputformat", "-of", "-inputformat", "-if", "-workingdirectory", "-wd"];

    public static HostArguments Parse(IReadOnlyList<string> args)
    {
        string? command = null, file = null, module = null;
        bool help = false;
        var fileArgs = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            string lower = a.ToLowerInvariant();
            if (file is not null)
            {
                fileArgs.Add(a);
                continue;
            }
            if (lower is "-command" or "-c")
            {
                command = string.Join(' ', args.Skip(i + 1));
                break;
            }
            if (lower is "-file" or "-f")
            {
                file = i + 1 < args.Count ? args[++i] : throw new ArgumentException("-File needs a script path.");
                continue;
            }
            if (lower is "-module")
            {
                module = i + 1 < args.Count ? args[++i] : throw new ArgumentException("-Module needs a path to ZipFit.psd1.");
                continue;
            }
            if (lower is "-help" or "-h" or "-?" or "--help" or "/?")
            {
                help = true;
                continue;
            }
            if (IgnoredSwitches.Contains(lower))
            {
                continue;
            }
            if (IgnoredWithValue.Contains(lower))
            {
                i++;
                continue;
            }
            if (!a.StartsWith('-') && a.EndsWith(".ps1", StringComparison.OrdinalIgnoreCase))
            {
                file = a;
                continue;
            }
            // Like pwsh: anything else starts the command text.
            command = string.Join(' ', args.Skip(i));
            break;
        }
        return new HostArguments(command, file, fileArgs, module, help || (command is null && file is null));
    }

    public const string Usage = """
        zipfit-host: runs PowerShell with the ZipFit module imported, on machines without pwsh.

          dotnet run --project src/ZipFit.Host -- -Command '<script>'
          dotnet run --project src/ZipFit.Host -- -File <script.ps1> [args...]

        Options: -Module <path to ZipFit.psd1> (default: found next to the repo or ZIPFIT_MODULE);
        -NoProfile, -NoLogo, -NonInteractive and -ExecutionPolicy <x> are accepted and ignored.
        Exit code: 0, or 1 after a terminating error, or the script's own 'exit N'.
        """;
}
