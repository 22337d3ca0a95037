namespace ZipFit.Core.Compression;

/// <summary>Which implementation computes gzip lengths.</summary>
public enum GzipEngine
{
    /// <summary>ZipFit's own length-only deflate, exact to zlib 1.2.13 at levels 1-9, on every platform; reuses the shared x across pairs.</summary>
    Managed,
    /// <summary>The machine's zlib through P/Invoke (what Python's gzip calls); the cross-check.</summary>
    System,
    /// <summary>.NET's deflate, where nothing else is available; its lengths differ from Python's.</summary>
    Runtime,
}
