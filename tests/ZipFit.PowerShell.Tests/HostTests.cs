namespace ZipFit.PowerShell.Tests;

/// <summary>The console host, run as users run it.</summary>
public sealed class HostTests
{
    private static (int Code, string Out, string Err) Host(params string[] args)
    {
        var info = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Repo.Root,
        };
        info.ArgumentList.Add(HostProcess.HostDll);
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }
        info.Environment["ZIPFIT_CACHE_DIR"] = Path.Combine(Path.GetTempPath(), "zipfit-host-test-cache");
        using var p = System.Diagnostics.Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(120_000), "the host did not exit");
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    [Fact]
    public void RunsACommandWithPwshHabitFlags()
    {
        var (code, output, error) = Host("-NoLogo", "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass",
            "-Command", "'def f(): pass' | Get-ZipFitScore -Target 'def g(): pass' | ForEach-Object { $_.Score -gt 0 }; 'plain string'");
        Assert.True(code == 0, error);
        Assert.Equal(new[] { "True", "plain string" }, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')));
    }

    [Fact]
    public void ObjectsPrintOnOneLine()
    {
        var (code, output, _) = Host("-Command", "'def f(): pass' | Get-ZipFitScore -Target 'def g(): pass'");
        Assert.Equal(0, code);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(@"^\d\.\d{6}  input:1  def f\(\): pass", line);
    }

    [Fact]
    public void ATerminatingErrorGoesToStderrWithItsIdAndExitsNonZero()
    {
        var (code, output, error) = Host("-Command", "'x' | Get-ZipFitScore -Target @()");
        Assert.Equal(1, code);
        Assert.Equal("", output.Trim());
        Assert.Contains("ZipFit.EmptyTarget", error);
    }

    [Fact]
    public void NonTerminatingErrorsGoToStderrAndTheRunSucceeds()
    {
        var (code, output, error) = Host("-Command", "'a', [pscustomobject]@{ other = 1 } | Get-ZipFitScore -Target 'a' | ForEach-Object Id");
        Assert.Equal(0, code);
        Assert.Equal("input:1", output.Trim());
        Assert.Contains("ZipFit.MissingTextProperty", error);
    }

    [Fact]
    public void RunsAFileWithNamedArgumentsAndItsExitCode()
    {
        string script = Path.Combine(Path.GetTempPath(), $"zipfit-host-{Guid.NewGuid():N}.ps1");
        File.WriteAllText(script, "param([int] $Top = 1, [switch] $Loud)\n\"top=$Top loud=$Loud\"\nexit 7\n");
        try
        {
            var (code, output, error) = Host("-File", script, "-Top", "3", "-Loud");
            Assert.True(code == 7, error);
            Assert.Equal("top=3 loud=True", output.Trim());
        }
        finally
        {
            File.Delete(script);
        }
    }

    [Fact]
    public void TheExampleSelectsPythonFromTheShippedSample()
    {
        var (code, output, error) = Host("-File", Path.Combine(Repo.Root, "examples", "select-top.ps1"), "-Top", "5");
        Assert.True(code == 0, error);
        Assert.Contains("Top 5:", output);
        Assert.Equal(5, output.Split('\n').Count(l => l.Contains(" ex-")));
    }
}
