namespace ZipFit.Core.Cache;

/// <summary>The default per-user cache file.</summary>
public static class CacheLocation
{
    public const string FileName = "cache.db";

    /// <summary>ZIPFIT_CACHE_DIR, else $XDG_CACHE_HOME/zipfit, else ~/.cache/zipfit; LocalApplicationData\zipfit on Windows.</summary>
    public static string DefaultPath
    {
        get
        {
            string? dir = Environment.GetEnvironmentVariable("ZIPFIT_CACHE_DIR");
            if (string.IsNullOrEmpty(dir))
            {
                if (OperatingSystem.IsWindows())
                {
                    dir = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "zipfit");
                }
                else
                {
                    string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
                    dir = !string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg)
                        ? Path.Combine(xdg, "zipfit")
                        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "zipfit");
                }
            }
            return Path.Combine(dir, FileName);
        }
    }
}
