using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace ZipFit.Internal;

/// <summary>
/// The private load context of ZipFit's engine: ZipFit.Core and every managed dependency it brings
/// (Microsoft.Data.Sqlite, SQLitePCLRaw, Parquet.Net, ZstdSharp, K4os LZ4 …) load here from the
/// module's <c>deps</c> folder, and their native libraries (e_sqlite3) resolve from its
/// <c>runtimes/&lt;rid&gt;/native</c> folders. Another module's copy of the same assemblies, in the
/// default context or its own, is neither used nor disturbed.
/// </summary>
/// <remarks>
/// Resolution follows <c>deps/ZipFit.Core.deps.json</c> (the host's own rules, RID fallbacks included);
/// a file named like the assembly in the deps folder, and the runtimes folder of this process's RID,
/// are the fallback when the host cannot read it. An assembly the deps folder does not hold (the .NET
/// libraries, System.Management.Automation) comes from the default context, so types shared with the
/// cmdlets are the same types on both sides.
/// </remarks>
internal sealed class ZipFitLoadContext : AssemblyLoadContext
{
    private readonly string _depsDir;
    private readonly AssemblyDependencyResolver? _resolver;

    public ZipFitLoadContext(string depsDir) : base("ZipFit", isCollectible: false)
    {
        _depsDir = depsDir;
        string core = Path.Combine(depsDir, CoreLoader.CoreAssemblyName + ".dll");
        try
        {
            _resolver = new AssemblyDependencyResolver(core);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IOException)
        {
            // No deps.json, or a host without hostpolicy: probe the folder instead.
            _resolver = null;
        }
    }

    public string DepsDirectory => _depsDir;

    protected override Assembly? Load(AssemblyName name)
    {
        string? path = _resolver?.ResolveAssemblyToPath(name);
        if (path is null && name.Name is { } simple)
        {
            string candidate = Path.Combine(_depsDir, simple + ".dll");
            path = File.Exists(candidate) ? candidate : null;
        }
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        string? path = _resolver?.ResolveUnmanagedDllToPath(unmanagedDllName);
        if (path is not null && NativeLibrary.TryLoad(path, out IntPtr handle))
        {
            return handle;
        }
        foreach (string candidate in NativeCandidates(unmanagedDllName))
        {
            if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out handle))
            {
                return handle;
            }
        }
        return IntPtr.Zero;
    }

    /// <summary>runtimes/&lt;os&gt;-&lt;arch&gt;/native/&lt;file&gt; for this process, musl first on musl Linux.</summary>
    private IEnumerable<string> NativeCandidates(string name)
    {
        string arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        (string os, string prefix, string suffix) = true switch
        {
            _ when OperatingSystem.IsWindows() => ("win", "", ".dll"),
            _ when OperatingSystem.IsMacOS() => ("osx", "lib", ".dylib"),
            _ => ("linux", "lib", ".so"),
        };
        string file = Path.HasExtension(name) ? name : prefix + name + suffix;
        var rids = new List<string>();
        if (os == "linux" && (RuntimeInformation.RuntimeIdentifier.Contains("musl", StringComparison.OrdinalIgnoreCase)
            || File.Exists("/etc/alpine-release")))
        {
            rids.Add($"linux-musl-{arch}");
        }
        rids.Add($"{os}-{arch}");
        foreach (string rid in rids)
        {
            yield return Path.Combine(_depsDir, "runtimes", rid, "native", file);
        }
        yield return Path.Combine(_depsDir, file);
    }
}

/// <summary>
/// Hands ZipFit.Core to ZipFit.PowerShell: the cmdlets live in the default context (so their types
/// are usable by name), and when the runtime looks there for ZipFit.Core, which it does not hold,
/// this resolver answers with the copy in <see cref="ZipFitLoadContext"/>. It answers for ZipFit.Core
/// only; every other name is left to the default context and other resolvers.
/// </summary>
internal static class CoreLoader
{
    public const string CoreAssemblyName = "ZipFit.Core";
    public const string DepsFolderName = "deps";

    private static readonly Lazy<ZipFitLoadContext> LazyContext = new(
        () => new ZipFitLoadContext(Path.Combine(ModuleLibDirectory, DepsFolderName)), LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly object Gate = new();
    private static bool _installed;

    /// <summary>The folder of ZipFit.PowerShell.dll.</summary>
    public static string ModuleLibDirectory =>
        Path.GetDirectoryName(typeof(CoreLoader).Assembly.Location) is { Length: > 0 } dir ? dir : AppContext.BaseDirectory;

    public static ZipFitLoadContext Context => LazyContext.Value;

    public static void Install()
    {
        lock (Gate)
        {
            if (!_installed)
            {
                AssemblyLoadContext.Default.Resolving += ResolveCore;
                _installed = true;
            }
        }
    }

    public static void Uninstall()
    {
        lock (Gate)
        {
            if (_installed)
            {
                AssemblyLoadContext.Default.Resolving -= ResolveCore;
                _installed = false;
            }
        }
    }

    private static Assembly? ResolveCore(AssemblyLoadContext context, AssemblyName name)
    {
        if (!string.Equals(name.Name, CoreAssemblyName, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        // Once loaded, the same Assembly comes back for every later request.
        return Context.LoadFromAssemblyName(name);
    }
}
