using System.Diagnostics;
using System.Globalization;
using ZipFit.Core.Compression;
using ZipFit.Core.Scoring;

namespace ZipFit.Bench;

/// <summary>
/// `zipfit-bench climit`: exact gzip-9 scoring by ZipFit's managed engine against the C zlib limit
/// (bench/c/zlib_limit.c, built here with the system compiler against the system zlib) on the same
/// pairs, alternated in one run, with every pair length compared.
/// </summary>
internal static class CLimitBench
{
    private const string InstallHint = "install a C compiler and the zlib headers: apt-get install -y build-essential zlib1g-dev";

    public static Table Run(BenchData data, string repoRoot, string outDir, int examples, int rounds, int threads)
    {
        string exe = BuildCProgram(repoRoot, outDir);
        var targets = data.Target();
        var pool = data.Read(data.MediumPath, examples).Select(r => r.Utf8).ToList();
        long pairCount = (long)pool.Count * targets.Count;
        string pairsFile = Path.Combine(outDir, "climit-pairs.bin");
        string lengthsFile = Path.Combine(outDir, "climit-lengths.bin");
        WritePairs(pairsFile, pool, targets);

        var spec = new CompressorSpec(CompressorKind.Gzip, 9, GzipEngine.Managed);
        var method = NcdMethod.Prepare(new TargetSet(targets), spec);
        var managedLengths = new int[pairCount];

        var table = new Table($"Exact gzip-9 scoring vs the C zlib limit, {threads} threads, alternated in one run",
            "round", "C zlib pairs/s", "ZipFit exact pairs/s", "ratio", "mismatched pairs");
        var ratios = new List<double>();
        long totalMismatches = 0;
        string zlibVersion = "?";
        for (int round = 1; round <= rounds; round++)
        {
            var (cRate, version) = RunC(exe, pairsFile, lengthsFile, threads);
            zlibVersion = version;
            var cLengths = ReadLengths(lengthsFile, pairCount);
            double managedRate = RunManaged(method, pool, targets.Count, managedLengths, threads);
            long mismatches = 0;
            for (long k = 0; k < pairCount; k++)
            {
                if (cLengths[k] != managedLengths[k])
                {
                    mismatches++;
                }
            }
            totalMismatches += mismatches;
            ratios.Add(managedRate / cRate);
            table.Row(round, cRate, managedRate, (managedRate / cRate).ToString("F2", CultureInfo.InvariantCulture), mismatches);
        }
        var sorted = ratios.Order().ToList();
        table.Note($"{pool.Count:N0} medium-pool examples × {targets.Count} targets = {pairCount:N0} pairs per measurement; each round runs C first, then ZipFit. " +
                   $"C: bench/c/zlib_limit.c against the system zlib {zlibVersion} (deflateInit2(9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) once per thread, deflateReset per pair, x+y in one deflate(Z_FINISH)). " +
                   $"ZipFit: NcdMethod's scorer (C(x) once per example, then C(x+y) for every target from a snapshot of x with per-target suffix plans), lengths of every pair kept. " +
                   $"Ratio min / median / max: {sorted[0]:F2} / {sorted[sorted.Count / 2]:F2} / {sorted[^1]:F2}. Pair lengths that differ from C's: {totalMismatches} of {pairCount * rounds:N0}.");
        return table;
    }

    /// <summary>`climit-managed`: only ZipFit's side of climit (for profiling the engine, e.g. under perf).</summary>
    public static Table RunManagedOnly(BenchData data, int examples, int rounds, int threads)
    {
        var targets = data.Target();
        var pool = data.Read(data.MediumPath, examples).Select(r => r.Utf8).ToList();
        var method = NcdMethod.Prepare(new TargetSet(targets), new CompressorSpec(CompressorKind.Gzip, 9, GzipEngine.Managed));
        var lengths = new int[(long)pool.Count * targets.Count];
        var table = new Table($"Exact gzip-9 scoring alone, {threads} threads", "round", "ZipFit exact pairs/s", "sum of lengths");
        for (int round = 1; round <= rounds; round++)
        {
            double rate = RunManaged(method, pool, targets.Count, lengths, threads);
            table.Row(round, rate, lengths.Sum(l => (long)l));
        }
        return table;
    }

    /// <summary>Compiles bench/c/zlib_limit.c into the output folder (again when the source is newer).</summary>
    private static string BuildCProgram(string repoRoot, string outDir)
    {
        string source = Path.Combine(repoRoot, "bench", "c", "zlib_limit.c");
        string exe = Path.Combine(outDir, "zlib_limit");
        if (File.Exists(exe) && File.GetLastWriteTimeUtc(exe) >= File.GetLastWriteTimeUtc(source))
        {
            return exe;
        }
        string? cc = new[] { Environment.GetEnvironmentVariable("CC"), "cc", "gcc", "clang" }
            .FirstOrDefault(c => !string.IsNullOrEmpty(c) && FindOnPath(c!) is not null);
        if (cc is null)
        {
            throw new InvalidOperationException($"climit needs a C compiler (cc) and zlib's headers; none found: {InstallHint}");
        }
        var info = new ProcessStartInfo(cc) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in new[] { "-O2", "-pthread", "-o", exe, source, "-lz" })
        {
            info.ArgumentList.Add(a);
        }
        using var process = Process.Start(info)!;
        string stderr = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"compiling {source} with {cc} failed ({stderr.Trim()}): {InstallHint}");
        }
        return exe;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    private static void WritePairs(string path, List<byte[]> pool, List<byte[]> targets)
    {
        using var w = new BinaryWriter(File.Create(path));
        w.Write(pool.Count);
        w.Write(targets.Count);
        foreach (var b in pool.Concat(targets))
        {
            w.Write(b.Length);
            w.Write(b);
        }
    }

    private static int[] ReadLengths(string path, long count)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length != count * 4)
        {
            throw new InvalidOperationException($"{path}: {bytes.Length} bytes, expected {count * 4}");
        }
        var lengths = new int[count];
        Buffer.BlockCopy(bytes, 0, lengths, 0, bytes.Length);
        return lengths;
    }

    private static (double PairsPerSecond, string ZlibVersion) RunC(string exe, string pairsFile, string lengthsFile, int threads)
    {
        var info = new ProcessStartInfo(exe) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in new[] { pairsFile, lengthsFile, threads.ToString(CultureInfo.InvariantCulture), "9", "31" })
        {
            info.ArgumentList.Add(a);
        }
        using var process = Process.Start(info)!;
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{exe} failed ({process.ExitCode}): {stderr.Trim()}");
        }
        var fields = stdout.Trim().Split(' ').Select(f => f.Split('=', 2)).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1]);
        return (double.Parse(fields["pairs_per_s"], CultureInfo.InvariantCulture), fields["zlib"]);
    }

    /// <summary>The scorer's work per example (C(x), then C(x+y) for every target) on <paramref name="threads"/> threads; returns pairs/s.</summary>
    private static double RunManaged(NcdMethod method, List<byte[]> pool, int targetCount, int[] lengths, int threads)
    {
        int next = -1;
        var sw = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            var scorer = method.CreatePairLengthScorer();
            int i;
            while ((i = Interlocked.Increment(ref next)) < pool.Count)
            {
                var x = pool[i];
                scorer.CompressedLength(x);
                var span = lengths.AsSpan(i * targetCount, targetCount);
                span.Fill(-1);
                scorer.ComputeMissingPairLengths(x, span);
            }
            scorer.Dispose();
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        return (double)pool.Count * targetCount / sw.Elapsed.TotalSeconds;
    }
}
