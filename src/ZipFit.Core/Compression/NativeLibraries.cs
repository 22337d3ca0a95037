using System.Runtime.InteropServices;

namespace ZipFit.Core.Compression;

/// <summary>Loads the first of several system libraries that has the exports a binding needs.</summary>
internal static class NativeLibraries
{
    /// <summary>
    /// <paramref name="bind"/> reads the exports from a loaded handle; a library missing one
    /// (<see cref="EntryPointNotFoundException"/>) is freed and the next name tried. Null when none binds.
    /// </summary>
    public static T? LoadFirst<T>(IEnumerable<string> names, Func<IntPtr, T> bind) where T : class
    {
        foreach (string name in names)
        {
            if (!NativeLibrary.TryLoad(name, out IntPtr handle))
            {
                continue;
            }
            try
            {
                return bind(handle);
            }
            catch (EntryPointNotFoundException)
            {
                NativeLibrary.Free(handle);
            }
        }
        return null;
    }
}
