using System.Runtime.InteropServices;

namespace ZipFit.Bench;

internal static class Machine
{
    public static string Describe()
    {
        string cpu = "unknown CPU";
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() ?? cpu;
        }
        catch (IOException)
        {
        }
        return $"{cpu}, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, " +
               $"zlib {ZipFit.Core.Compression.CompressorSpec.Default.Identity}";
    }

    /// <summary>Peak resident set size of this process (VmHWM), in MB.</summary>
    public static double PeakRssMb()
    {
        try
        {
            string? line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:"));
            return line is null ? double.NaN : double.Parse(line.Split(':')[1].Trim().Split(' ')[0]) / 1024.0;
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }
}
