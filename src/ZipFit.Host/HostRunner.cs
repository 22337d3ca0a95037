using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace ZipFit.Host;

/// <summary>Runs a script in a runspace with ZipFit imported, streaming output and errors as they come.</summary>
internal sealed class HostRunner(TextWriter stdout, TextWriter stderr)
{
    public int Run(string[] args)
    {
        HostArguments parsed;
        try
        {
            parsed = HostArguments.Parse(args);
        }
        catch (ArgumentException ex)
        {
            stderr.WriteLine(ex.Message);
            return 2;
        }
        if (parsed.ShowHelp)
        {
            stdout.WriteLine(HostArguments.Usage);
            return parsed.Command is null && parsed.File is null ? 0 : 2;
        }
        string? module = parsed.ModulePath ?? FindModule();
        if (module is null)
        {
            stderr.WriteLine("Cannot find ZipFit.psd1: build the repository (dotnet build -c Release) or pass -Module <path>.");
            return 2;
        }

        var host = new ConsoleHost(stdout, stderr);
        var state = InitialSessionState.CreateDefault2();
        state.ImportPSModule(module);
        using var runspace = RunspaceFactory.CreateRunspace(host, state);
        runspace.Open();
        using var ps = PowerShell.Create(runspace);
        if (parsed.File is not null)
        {
            string script = Path.GetFullPath(parsed.File);
            if (!File.Exists(script))
            {
                stderr.WriteLine($"The script '{parsed.File}' does not exist.");
                return 2;
            }
            ps.AddCommand(script);
            ScriptArguments.Bind(ps, parsed.FileArguments);
        }
        else
        {
            // As in pwsh, a terminating error ends the command and the exit code says so.
            ps.AddScript($"try {{\n{parsed.Command}\n}} catch {{ throw }}");
        }
        if (runspace.SessionStateProxy.PSVariable.GetValue("Error") is ArrayList { Count: > 0 } importErrors)
        {
            // Importing the module failed: say why and stop.
            foreach (var error in importErrors)
            {
                stderr.WriteLine(ObjectText.Format(error));
            }
            return 2;
        }

        var output = new PSDataCollection<PSObject>();
        output.DataAdded += (_, e) => stdout.WriteLine(ObjectText.Format(output[e.Index]));
        ps.Streams.Error.DataAdded += (_, e) => stderr.WriteLine(ObjectText.FormatError(ps.Streams.Error[e.Index]));
        // Warnings, verbose, host output and progress reach the host's UI directly.

        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            ps.BeginStop(null, null);
        };

        try
        {
            ps.Invoke(null, output);
        }
        catch (PipelineStoppedException)
        {
            host.ClearProgress();
            stderr.WriteLine("Stopped.");
            return 130;
        }
        catch (RuntimeException ex)
        {
            host.ClearProgress();
            stderr.WriteLine(ObjectText.FormatError(ex.ErrorRecord));
            return host.ExitCode ?? 1;
        }
        host.ClearProgress();
        if (host.ExitCode is { } code)
        {
            return code;
        }
        // `exit N` in a script file sets $LASTEXITCODE, as with pwsh -File.
        return parsed.File is not null && runspace.SessionStateProxy.GetVariable("LASTEXITCODE") is int last ? last : 0;
    }

    /// <summary>ZIPFIT_MODULE, or ZipFit.psd1 in a folder above the host's own.</summary>
    private static string? FindModule()
    {
        if (Environment.GetEnvironmentVariable("ZIPFIT_MODULE") is { Length: > 0 } env)
        {
            return env;
        }
        foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "ZipFit.psd1");
                if (File.Exists(candidate) && Directory.Exists(Path.Combine(dir.FullName, "module", "lib")))
                {
                    return candidate;
                }
            }
        }
        return null;
    }
}
