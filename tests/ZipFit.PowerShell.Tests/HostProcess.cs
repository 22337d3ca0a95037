using System.Diagnostics;
using System.Text;

namespace ZipFit.PowerShell.Tests;

/// <summary>Runs the ZipFit host as a separate process, as users and schedulers do.</summary>
internal sealed class HostProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private readonly Timer _memory;
    private long _peakKb;

    private HostProcess(Process process)
    {
        _process = process;
        // VmHWM is the process's own high-water mark: sampling it shortly before exit catches the peak.
        _memory = new Timer(_ => SampleMemory(), null, 0, 50);
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_stdout) _stdout.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_stderr) _stderr.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static string HostDll
    {
        get
        {
            var candidates = new[] { "Debug", "Release" }
                .Select(c => Path.Combine(Repo.Root, "src", "ZipFit.Host", "bin", c, "net10.0", "zipfit-host.dll"))
                .Where(File.Exists)
                .OrderByDescending(File.GetLastWriteTimeUtc)
                .ToList();
            return candidates.Count > 0 ? candidates[0] : throw new InvalidOperationException("zipfit-host.dll is not built.");
        }
    }

    /// <summary>Starts the host on <paramref name="module"/> (default: the repository's ZipFit.psd1).</summary>
    public static HostProcess Start(string command, IDictionary<string, string>? environment = null, string? module = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Repo.Root,
        };
        info.ArgumentList.Add(HostDll);
        info.ArgumentList.Add("-Module");
        info.ArgumentList.Add(module ?? Repo.ModuleManifest);
        info.ArgumentList.Add("-Command");
        info.ArgumentList.Add(command);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[k] = v;
        }
        return new HostProcess(Process.Start(info)!);
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The highest resident set size seen (Linux VmHWM), in MB; NaN where /proc is not available.</summary>
    public double PeakRssMb => Interlocked.Read(ref _peakKb) is > 0 and var kb ? kb / 1024.0 : double.NaN;

    private void SampleMemory()
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{_process.Id}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    long kb = long.Parse(line[6..].Trim().Split(' ')[0]);
                    long seen;
                    do { seen = Interlocked.Read(ref _peakKb); } while (kb > seen && Interlocked.CompareExchange(ref _peakKb, kb, seen) != seen);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or FormatException)
        {
        }
    }

    public int Id => _process.Id;

    /// <summary>SIGKILL on Unix: no finally blocks, no disposal.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public (int ExitCode, string Stdout, string Stderr) WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            Kill();
            throw new TimeoutException("The host did not finish in time.\n" + Stderr);
        }
        _process.WaitForExit();
        return (_process.ExitCode, Stdout, Stderr);
    }

    public string Stdout { get { lock (_stdout) return _stdout.ToString(); } }

    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

    public void Dispose()
    {
        _memory.Dispose();
        if (!_process.HasExited)
        {
            Kill();
        }
        _process.Dispose();
    }
}
