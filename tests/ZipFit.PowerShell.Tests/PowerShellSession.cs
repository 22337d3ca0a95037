using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace ZipFit.PowerShell.Tests;

/// <summary>A real PowerShell runspace (the 7.6.9 engine) that imports ZipFit from the repository's module folder.</summary>
public sealed class PowerShellSession : IDisposable
{
    private readonly Runspace _runspace;

    static PowerShellSession()
    {
        // Scenarios that use the default cache location must not touch the user's own cache.
        Environment.SetEnvironmentVariable("ZIPFIT_CACHE_DIR", Path.Combine(Path.GetTempPath(), "zipfit-test-cache-" + Environment.ProcessId));
    }

    public PowerShellSession()
    {
        var state = InitialSessionState.CreateDefault2();
        _runspace = RunspaceFactory.CreateRunspace(state);
        _runspace.Open();
        _runspace.SessionStateProxy.Path.SetLocation(Repo.Root);
        _runspace.SessionStateProxy.SetVariable("RepoRoot", Repo.Root);
        Run($"Import-Module -Name '{Repo.ModuleManifest}' -ErrorAction Stop");
    }

    /// <summary>A PowerShell instance on this runspace, for tests that stop it or read its streams.</summary>
    public System.Management.Automation.PowerShell Create(string script)
    {
        var ps = System.Management.Automation.PowerShell.Create(_runspace);
        ps.AddScript(script);
        return ps;
    }

    public Collection<PSObject> Run(string script, out IReadOnlyList<ErrorRecord> errors) =>
        Invoke(ps => ps.AddScript(script), out errors);

    public Collection<PSObject> Run(string script)
    {
        var output = Run(script, out var errors);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("Unexpected errors:\n" + string.Join("\n", errors.Select(e => $"{e.FullyQualifiedErrorId}: {e}")));
        }
        return output;
    }

    /// <summary>Runs a script file as a command, as `& ./file.ps1` does.</summary>
    public Collection<PSObject> RunFile(string path, out IReadOnlyList<ErrorRecord> errors) =>
        Invoke(ps => ps.AddCommand(path), out errors);

    private Collection<PSObject> Invoke(Action<System.Management.Automation.PowerShell> setup, out IReadOnlyList<ErrorRecord> errors)
    {
        using var ps = System.Management.Automation.PowerShell.Create(_runspace);
        setup(ps);
        var output = ps.Invoke();
        errors = ps.Streams.Error.ToList();
        return output;
    }

    public void SessionVariable(string name, object value) => _runspace.SessionStateProxy.SetVariable(name, value);

    public void Dispose() => _runspace.Dispose();
}

internal static class Repo
{
    public static string Root { get; } = Find();

    public static string ModuleManifest => Path.Combine(Root, "ZipFit.psd1");

    public static string Scenarios => Path.Combine(Root, "tests", "scenarios");

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ZipFit.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("The repository root (ZipFit.sln) was not found above " + AppContext.BaseDirectory);
    }
}
