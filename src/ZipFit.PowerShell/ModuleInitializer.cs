using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace ZipFit;

/// <summary>
/// PowerShell does not read a module's deps.json, so SQLite's native library under
/// runtimes/&lt;rid&gt;/native is not found on its own: resolve it while the module is loaded.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly string LibDir = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!;
    private static readonly Dictionary<string, IntPtr> Loaded = new(StringComparer.Ordinal);

    public void OnImport() => AssemblyLoadContext.Default.ResolvingUnmanagedDll += ResolveNative;

    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        AssemblyLoadContext.Default.ResolvingUnmanagedDll -= ResolveNative;
        // Native libraries stay mapped: SQLite may still hold pooled connections in this process.
    }

    private static IntPtr ResolveNative(Assembly assembly, string name)
    {
        if (!name.Contains("e_sqlite3", StringComparison.Ordinal))
        {
            return IntPtr.Zero;
        }
        lock (Loaded)
        {
            if (Loaded.TryGetValue(name, out IntPtr cached))
            {
                return cached;
            }
            foreach (string candidate in NativeCandidates("e_sqlite3"))
            {
                if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out IntPtr handle))
                {
                    Loaded[name] = handle;
                    return handle;
                }
            }
        }
        return IntPtr.Zero;
    }

    private static IEnumerable<string> NativeCandidates(string baseName)
    {
        string arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        (string os, string file) = true switch
        {
            _ when OperatingSystem.IsWindows() => ("win", $"{baseName}.dll"),
            _ when OperatingSystem.IsMacOS() => ("osx", $"lib{baseName}.dylib"),
            _ => ("linux", $"lib{baseName}.so"),
        };
        if (os == "linux" && IsMusl())
        {
            yield return Path.Combine(LibDir, "runtimes", $"linux-musl-{arch}", "native", file);
        }
        yield return Path.Combine(LibDir, "runtimes", $"{os}-{arch}", "native", file);
    }

    private static bool IsMusl() =>
        RuntimeInformation.RuntimeIdentifier.Contains("musl", StringComparison.OrdinalIgnoreCase)
        || File.Exists("/etc/alpine-release");
}
