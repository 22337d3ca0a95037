using System.Diagnostics;

namespace ZipFit.PowerShell.Tests;

/// <summary>A small tmpfs, to test a full disk and a read-only location for real (needs root; null where mounting is not allowed).</summary>
internal sealed class TmpfsMount : IDisposable
{
    private TmpfsMount(string path) => Path = path;

    public string Path { get; }

    public static TmpfsMount? TryCreate(string sizeKb)
    {
        string path = Directory.CreateTempSubdirectory("zipfit-tmpfs-").FullName;
        if (Run("mount", "-t", "tmpfs", "-o", $"size={sizeKb}k", "tmpfs", path) != 0)
        {
            Directory.Delete(path);
            return null;
        }
        return new TmpfsMount(path);
    }

    public void MakeReadOnly()
    {
        if (Run("mount", "-o", "remount,ro", Path) != 0)
        {
            throw new InvalidOperationException("remount read-only failed");
        }
    }

    public void Dispose()
    {
        Run("umount", "-l", Path);
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }

    private static int Run(string file, params string[] args)
    {
        try
        {
            var info = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (string a in args)
            {
                info.ArgumentList.Add(a);
            }
            using var p = Process.Start(info)!;
            p.WaitForExit();
            return p.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }
}
