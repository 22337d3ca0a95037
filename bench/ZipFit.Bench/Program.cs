using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text;
using ZipFit.Bench;
using ZipFit.Core.Compression;
using ZipFit.Core.Data;
using ZipFit.Core.Scoring;

// zipfit-bench: measures ZipFit on the shared python-code data and prints markdown tables.
//   dotnet run -c Release --project bench/ZipFit.Bench -- [all|raw|scoring|limit|climit|rss|pipeline|cache|methods|generalisation|ceiling|sensitivity|order|downstream] [--data DIR] [--out DIR]
//   scale-pool --records 100000,1000000 [--parquet] [--out DIR]: the scale pools (bench/scale.ps1 runs them)
//   climit options: --examples N (default 5000), --rounds N (3), --threads N (2)
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
string command = args.FirstOrDefault(a => !a.StartsWith("--")) ?? "all";
string dataDir = Option("--data") ?? Path.Combine(RepoRoot(), "..", "shared", "data", "python-code");
string outDir = Path.GetFullPath(Option("--out") ?? Path.Combine(RepoRoot(), "bench-out"));
Directory.CreateDirectory(outDir);
var data = new BenchData(dataDir);
if (!File.Exists(data.TargetPath))
{
    Console.Error.WriteLine($"No data at {data.Dir}: pass --data <dir with target.jsonl and source-medium.jsonl.gz>.");
    return 2;
}
Console.WriteLine($"Machine: {Machine.Describe()}");
Console.WriteLine($"Command: zipfit-bench {string.Join(' ', args)}");
var report = new StringBuilder();
var sections = command == "all" ? new[] { "raw", "scoring", "limit", "pipeline", "rss", "cache" } : [command];
foreach (string section in sections)
{
    Table table = section switch
    {
        "raw" => RawLimit(),
        "scoring" => Scoring(),
        "pipeline" => Pipeline(),
        "rss" => Rss(),
        "cache" => Cache(),
        "cache-overhead" => CacheOverhead(),
        "methods" => MethodsBench.Run(data, includeNcd: !args.Contains("--no-ncd")),
        "limit" => Limit(),
        "limit-full" => LimitFull(),
        "climit-managed" => CLimitBench.RunManagedOnly(data, IntOption("--examples", 5000), IntOption("--rounds", 3), IntOption("--threads", 2)),
        "climit" => CLimitBench.Run(data, RepoRoot(), outDir, IntOption("--examples", 5000), IntOption("--rounds", 3), IntOption("--threads", 2)),
        "parity" => Parity(),
        "dsir-paths" => DsirPaths.Run(Option("--pool") ?? throw new ArgumentException("dsir-paths needs --pool FILE"), IntOption("--records", 30_000), IntOption("--rounds", 7)),
        "byteview-paths" => ByteViewPaths.Run(data, Option("--pool") ?? throw new ArgumentException("byteview-paths needs --pool FILE"), IntOption("--records", 30_000), IntOption("--rounds", 7)),
        "skeleton-paths" => SkeletonPaths.Run(data, Option("--pool") ?? throw new ArgumentException("skeleton-paths needs --pool FILE"), IntOption("--records", 30_000), IntOption("--rounds", 7)),
        "cache-write" => CacheWriteBench.Run(Option("--pool") ?? throw new ArgumentException("cache-write needs --pool FILE"), IntOption("--records", 1_000_000), outDir),
        "scale-split" => ScaleSplit.Run(data, Option("--pool") ?? throw new ArgumentException("scale-split needs --pool FILE"), IntOption("--records", 100_000)),
        "scale-pool" => ScalePoolGenerator.Run(data, outDir,
            (Option("--records") ?? "100000").Split(',').Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToList(),
            parquet: args.Contains("--parquet")),
        "generalisation" => MethodsBench.Generalisation(data),
        "ceiling" => MethodsBench.Ceiling(data),
        "sensitivity" => MethodsBench.Sensitivity(data),
        "order" => MethodsBench.PoolOrder(data),
        "downstream" => ZipFit.Bench.Downstream.DownstreamReport.Run(data, includeNcd: !args.Contains("--no-ncd"),
            only: args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault()),
        _ => throw new ArgumentException($"Unknown benchmark '{section}'."),
    };
    report.Append(table);
}
File.WriteAllText(Path.Combine(outDir, $"results-{command}.md"), $"Machine: {Machine.Describe()}\n{report}");
return 0;

string? Option(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

int IntOption(string name, int fallback) => Option(name) is string v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

static string RepoRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "ZipFit.sln")))
        {
            return dir.FullName;
        }
    }
    return Directory.GetCurrentDirectory();
}

// The same x+y compressions, one-shot, in a tight loop on each core: zlib's own ceiling.
Table RawLimit()
{
    var pool = data.Read(data.MediumPath, 100).Select(r => r.Utf8).ToList();
    var targets = data.Target();
    var pairs = pool.SelectMany(x => targets.Select(y => x.Concat(y).ToArray())).ToList();
    var table = new Table("Raw limit: one-shot gzip of x+y in a tight loop (no scoring)", "engine", "level", "threads", "pairs/s", "MB/s", "µs/pair/thread");
    foreach (var engine in new[] { GzipEngine.System, GzipEngine.Managed })
    {
        foreach (int level in new[] { 9, 6 })
        {
            foreach (int threads in new[] { 1, 2 })
            {
                var (pairsPerSecond, mbPerSecond) = RawRun(pairs, level, engine, threads, TimeSpan.FromSeconds(6));
                table.Row(GzipLengthCompressor.IdentityFor(level, engine), level, threads, pairsPerSecond, mbPerSecond, threads * 1e6 / pairsPerSecond);
            }
        }
    }
    table.Note($"{pairs.Count:N0} pairs of the first 100 medium-pool examples × 200 targets, mean {pairs.Average(p => p.Length):N0} bytes.");
    return table;
}

static (double PairsPerSecond, double MbPerSecond) RawRun(List<byte[]> pairs, int level, GzipEngine engine, int threads, TimeSpan budget)
{
    long count = 0, bytes = 0;
    var sw = Stopwatch.StartNew();
    var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
    {
        using var c = GzipLengthCompressor.Create(level, engine);
        long n = 0, b = 0;
        for (int i = t; sw.Elapsed < budget; i = (i + threads) % pairs.Count)
        {
            c.CompressedLength(pairs[i]);
            n++;
            b += pairs[i].Length;
        }
        Interlocked.Add(ref count, n);
        Interlocked.Add(ref bytes, b);
    })).ToList();
    workers.ForEach(w => w.Start());
    workers.ForEach(w => w.Join());
    double seconds = sw.Elapsed.TotalSeconds;
    return (count / seconds, bytes / seconds / 1e6);
}

// The shared reference scores (Python's gzip, all 2,000 examples of the small pool) against both engines.
Table Parity()
{
    var table = new Table("Parity with the Python reference (source-small.jsonl, 2,000 examples × 200 targets)",
        "compressor", "examples", "max abs difference", "within 1e-12");
    var targets = new TargetSet(data.Target());
    var pool = data.Read(data.SmallPath);
    foreach (int level in new[] { 9, 6 })
    {
        var reference = File.ReadLines(Path.Combine(data.Dir, $"scores-small-gzip{level}.tsv")).Skip(1).Select(l => l.Split('\t'))
            .ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture));
        foreach (var engine in new[] { GzipEngine.Managed, GzipEngine.System })
        {
            var method = NcdMethod.Prepare(targets, new CompressorSpec(CompressorKind.Gzip, level, engine));
            var scores = ExampleScoring.Score(method, pool.Select(r => new ScoringInput<string>(r.Utf8, r.Id)), 2).ToList();
            double max = scores.Max(s => Math.Abs(s.Score - reference[s.Tag]));
            int within = scores.Count(s => Math.Abs(s.Score - reference[s.Tag]) <= 1e-12);
            table.Row(method.Compressor.Identity, scores.Count, max.ToString("G3", CultureInfo.InvariantCulture), $"{within} of {reference.Count}");
        }
    }
    return table;
}

// Exact gzip-9 scoring on 2 threads against the raw system-zlib limit on 2 threads, alternated in one run.
Table Limit()
{
    var targets = data.Target();
    var pool = data.Read(data.MediumPath, 1000).Select(r => r.Utf8).ToList();
    var pairs = pool.Take(100).SelectMany(x => targets.Select(y => x.Concat(y).ToArray())).ToList();
    var table = new Table("Exact gzip-9 scoring vs the raw zlib limit, 2 threads, alternated in one run",
        "round", "raw system zlib pairs/s", "scoring, system zlib pairs/s", "scoring, managed pairs/s", "system / raw", "managed / raw");
    var ratios = new List<(double System, double Managed)>();
    for (int round = 1; round <= 3; round++)
    {
        var (raw, _) = RawRun(pairs, 9, GzipEngine.System, 2, TimeSpan.FromSeconds(8));
        double system = ScoreRate(new CompressorSpec(CompressorKind.Gzip, 9, GzipEngine.System), 300);
        double managed = ScoreRate(new CompressorSpec(CompressorKind.Gzip, 9, GzipEngine.Managed), 600);
        ratios.Add((system / raw, managed / raw));
        table.Row(round, raw, system, managed, system / raw, managed / raw);
    }
    table.Note($"Median ratios: system {ratios.Select(r => r.System).Order().ElementAt(1):F2}, managed {ratios.Select(r => r.Managed).Order().ElementAt(1):F2} (raw limit = one-shot x+y compressions in a tight loop on both cores).");
    return table;

    double ScoreRate(CompressorSpec spec, int n)
    {
        var method = NcdMethod.Prepare(new TargetSet(targets), spec);
        var sw = Stopwatch.StartNew();
        ExampleScoring.Score(method, pool.Take(n).Select((x, i) => new ScoringInput<int>(x, i)), 2).Count();
        return (double)n * targets.Count / sw.Elapsed.TotalSeconds;
    }
}

// The whole medium pool (20,000 × 200) scored exactly at gzip-9 by the managed engine, between two
// raw-limit measurements, then by the system zlib to count mismatches.
Table LimitFull()
{
    var targets = data.Target();
    var pool = data.Read(data.MediumPath).Select(r => r.Utf8).ToList();
    var rng = new Random(1);
    var pairs = Enumerable.Range(0, 100).Select(_ => pool[rng.Next(pool.Count)])
        .SelectMany(x => targets.Select(y => x.Concat(y).ToArray())).ToList();
    var table = new Table("Exact gzip-9 scoring of the whole medium pool vs the raw zlib limit, 2 threads, one run",
        "measurement", "pairs", "seconds", "pairs/s", "vs raw limit");
    var (rawBefore, _) = RawRun(pairs, 9, GzipEngine.System, 2, TimeSpan.FromSeconds(10));
    var (managed, managedSeconds, managedScores) = Score(new CompressorSpec(CompressorKind.Gzip, 9, GzipEngine.Managed));
    var (rawAfter, _) = RawRun(pairs, 9, GzipEngine.System, 2, TimeSpan.FromSeconds(10));
    double raw = (rawBefore + rawAfter) / 2;
    var (system, systemSeconds, systemScores) = Score(new CompressorSpec(CompressorKind.Gzip, 9, GzipEngine.System));
    long total = (long)pool.Count * targets.Count;
    table.Row("raw limit, system zlib one-shot x+y (before / after)", $"{pairs.Count:N0} sampled", "10 + 10", $"{rawBefore:N0} / {rawAfter:N0}", "1");
    table.Row("scoring, managed engine", total, managedSeconds, managed, managed / raw);
    table.Row("scoring, system zlib (cross-check)", total, systemSeconds, system, system / raw);
    int mismatches = managedScores.Zip(systemScores).Count(p => p.First != p.Second);
    table.Note($"Scores that differ between the two engines: {mismatches} of {pool.Count:N0} (bit-for-bit comparison). Raw pairs: 100 random pool examples × 200 targets.");
    return table;

    (double Rate, double Seconds, double[] Scores) Score(CompressorSpec spec)
    {
        var method = NcdMethod.Prepare(new TargetSet(targets), spec);
        var sw = Stopwatch.StartNew();
        var scores = ExampleScoring.Score(method, pool.Select((x, i) => new ScoringInput<int>(x, i)), 2).OrderBy(r => r.Tag).Select(r => r.Score).ToArray();
        double seconds = sw.Elapsed.TotalSeconds;
        return ((double)pool.Count * targets.Count / seconds, seconds, scores);
    }
}

// Exact NCD scoring through the core's parallel scorer.
Table Scoring()
{
    var targets = data.Target();
    var pool = data.Read(data.MediumPath, 4000).Select(r => r.Utf8).ToList();
    var table = new Table("Exact scoring (NCD over 200 targets) through the core", "compressor", "threads", "examples", "pairs/s", "MB/s", "µs/pair/thread");
    var specs = new[]
    {
        new CompressorSpec(CompressorKind.Gzip, 9, GzipEngine.System), new CompressorSpec(CompressorKind.Gzip, 9, GzipEngine.Managed),
        new CompressorSpec(CompressorKind.Gzip, 6, GzipEngine.System), new CompressorSpec(CompressorKind.Gzip, 6, GzipEngine.Managed),
        CompressorSpec.Parse("zstd-3"), CompressorSpec.Parse("brotli-11"), CompressorSpec.Parse("brotli-4"), CompressorSpec.Parse("lz4-0"),
    };
    foreach (var compressor in specs)
    {
        var method = NcdMethod.Prepare(new TargetSet(targets), compressor);
        // Calibrate: about 8 s of work at one thread.
        var sw = Stopwatch.StartNew();
        ExampleScoring.Score(method, pool.Take(10).Select((x, i) => new ScoringInput<int>(x, i)), 1).Count();
        int n = (int)Math.Clamp(10 * 8.0 / sw.Elapsed.TotalSeconds, 20, pool.Count);
        var sample = pool.Take(n).ToList();
        long bytes = sample.Sum(x => (long)x.Length * targets.Count + targets.Sum(y => (long)y.Length));
        foreach (int threads in new[] { 1, 2 })
        {
            sw.Restart();
            ExampleScoring.Score(method, sample.Select((x, i) => new ScoringInput<int>(x, i)), threads).Count();
            double seconds = sw.Elapsed.TotalSeconds;
            double pairsPerSecond = (double)n * targets.Count / seconds;
            table.Row(compressor.Identity, threads, n, pairsPerSecond, bytes / seconds / 1e6, threads * 1e6 / pairsPerSecond);
        }
    }
    return table;
}

// Per-record cost of Import → Get-ZipFitScore → Select-ZipFitTop → Export beyond the scoring itself.
Table Pipeline()
{
    var table = new Table("Pipeline cost per record (in-process runspace, -NoCache)", "method", "records", "core read+score s", "4-cmdlet pipeline s", "-Path pipeline s", "added µs/record (4 cmdlets)", "added µs/record (-Path)");
    using var runspace = OpenRunspace();
    string output = Path.Combine(outDir, "pipeline-top.jsonl");
    foreach (var (method, path, targetCount) in new[] { ("ContextXent", data.MediumPath, 200), ("Ncd", data.SmallPath, 200) })
    {
        var targetBytes = data.Target(targetCount);
        double Core()
        {
            var sw = Stopwatch.StartNew();
            var name = Enum.Parse<ScoringMethodName>(method);
            using var session = new ScoringSession<DatasetRecord>(
                new ScoringSessionOptions(name, new TargetSet(targetBytes), CompressorSpec.Default, Environment.ProcessorCount));
            foreach (var r in DatasetReader.Read(path).Select(i => i.Record!))
            {
                session.Add(r.Utf8, r);
                while (session.TryTake(out _, out _)) { }
            }
            session.Complete().Count();
            return sw.Elapsed.TotalSeconds;
        }
        string target = $"(Import-ZipFitDataset '{data.TargetPath}')";
        string full = $"Import-ZipFitDataset '{path}' | Get-ZipFitScore -Target {target} -Method {method} -NoCache | Select-ZipFitTop 1000 | Export-ZipFitDataset '{output}' -Force";
        string fast = $"Get-ZipFitScore -Path '{path}' -Target {target} -Method {method} -NoCache | Select-ZipFitTop 1000 | Export-ZipFitDataset '{output}' -Force";
        int n = data.Read(path).Count;
        Core();
        Run(runspace, full);
        double core = Core();
        double pipeline = Time(() => Run(runspace, full));
        double pathPipeline = Time(() => Run(runspace, fast));
        table.Row(method, n, core, pipeline, pathPipeline, (pipeline - core) * 1e6 / n, (pathPipeline - core) * 1e6 / n);
    }
    table.Note("Core = DatasetReader + the parallel scorer, no PowerShell; the pipelines run in a warm runspace that imported the module from ZipFit.psd1.");
    return table;
}

// Peak memory of whole runs, as separate pwsh processes: RSS must stay flat as the pool grows.
Table Rss()
{
    var table = new Table("Peak RSS of a pwsh process (Get-ZipFitScore -Path pool | Select-ZipFitTop 1000 | Export), NCD gzip-9, 10 targets", "examples", "pipeline", "seconds", "peak RSS MB");
    foreach (int n in new[] { 2_000, 20_000, 200_000 })
    {
        string pool = data.BuildPool(outDir, n);
        string target = $"(Import-ZipFitDataset '{data.TargetPath}' | ForEach-Object {{ $i = 0 }} {{ if ($i++ -lt 10) {{ $_ }} }})";
        foreach (var (name, script) in new[]
        {
            ("-Path", $"Get-ZipFitScore -Path '{pool}' -Target {target} -NoCache | Select-ZipFitTop 1000 | Export-ZipFitDataset '{outDir}/rss-top.jsonl' -Force"),
            ("Import-ZipFitDataset", $"Import-ZipFitDataset '{pool}' | Get-ZipFitScore -Target {target} -NoCache | Select-ZipFitTop 1000 | Export-ZipFitDataset '{outDir}/rss-top.jsonl' -Force"),
        })
        {
            var (seconds, rssMb) = RunMeasured(script);
            table.Row(n, name, seconds, rssMb);
        }
    }
    table.Note("Peak RSS = /usr/bin/time -f %M (maximum resident set size) of `dotnet pwsh -NoProfile -Command …` (the pinned pwsh 7.6.9, .config/dotnet-tools.json); pools are the medium pool repeated with new ids.");
    return table;
}

// Issue 16: the cold-run cost of the cache, alternated with runs without it (N C C N N C …) so that drift on a
// shared machine falls on both sides alike.
Table CacheOverhead()
{
    int examples = args.SkipWhile(a => a != "--examples").Skip(1).Select(int.Parse).FirstOrDefault(5000);
    int pairs = args.SkipWhile(a => a != "--rounds").Skip(1).Select(int.Parse).FirstOrDefault(3);
    var table = new Table($"Cache overhead on a cold run ({examples:N0} medium-pool examples x 200 targets, gzip-9, Get-ZipFitScore -Path in a warm runspace, alternated)",
        "run", "order", "seconds");
    using var runspace = OpenRunspace();
    string dir = Path.Combine(outDir, "cache-overhead");
    if (Directory.Exists(dir)) Directory.Delete(dir, true);
    Directory.CreateDirectory(dir);
    string pool = Path.Combine(dir, "pool.jsonl");
    File.WriteAllLines(pool, data.Read(data.MediumPath).Take(examples).Select(r => r.Json!));
    string Score(string cache) => $"$global:scores = @(Get-ZipFitScore -Path '{pool}' -Target (Import-ZipFitDataset '{data.TargetPath}') {cache} | ForEach-Object Score)";
    Run(runspace, Score("-NoCache")); // warm-up: JIT and the first read of the files
    var without = new List<double>();
    var with = new List<double>();
    int order = 0;
    for (int round = 0; round < pairs; round++)
    {
        foreach (bool cached in round % 2 == 0 ? new[] { false, true } : new[] { true, false })
        {
            string db = Path.Combine(dir, $"c{round}.db");
            double t = Time(() => Run(runspace, Score(cached ? $"-CachePath '{db}'" : "-NoCache")));
            (cached ? with : without).Add(t);
            table.Row(cached ? "cold, new cache file" : "cold, -NoCache", ++order, t);
        }
    }
    double Median(List<double> xs) { var o = xs.Order().ToArray(); return o.Length % 2 == 1 ? o[o.Length / 2] : (o[o.Length / 2 - 1] + o[o.Length / 2]) / 2; }
    table.Note($"Median with cache {Median(with):F2} s, without {Median(without):F2} s: overhead {(Median(with) / Median(without) - 1) * 100:+0.0;-0.0} % " +
        $"(sum over all rounds: {(with.Sum() / without.Sum() - 1) * 100:+0.0;-0.0} %).");
    return table;
}

// Issue 3's cache scenarios on the medium pool against all 200 targets at gzip-9.
Table Cache()
{
    var table = new Table("Cache (medium pool, 200 targets, gzip-9, Get-ZipFitScore -Path in a warm runspace)", "run", "seconds", "vs cold without cache", "cache MB");
    using var runspace = OpenRunspace();
    string dir = Path.Combine(outDir, "cache-bench");
    if (Directory.Exists(dir)) Directory.Delete(dir, true);
    Directory.CreateDirectory(dir);
    string pool95 = Path.Combine(dir, "pool-95.jsonl");
    File.WriteAllLines(pool95, data.Read(data.MediumPath).Take(19_000).Select(r => r.Json!));
    string t190 = Path.Combine(dir, "target-190.jsonl");
    File.WriteAllLines(t190, data.Read(data.TargetPath).Take(190).Select(r => r.Json!));
    string Score(string pool, string target, string cache) =>
        $"$global:scores = @(Get-ZipFitScore -Path '{pool}' -Target (Import-ZipFitDataset '{target}') {cache} | ForEach-Object Score)";
    double Mb(string path) => new[] { "", "-wal" }.Select(s => new FileInfo(path + s)).Where(f => f.Exists).Sum(f => f.Length) / 1e6;

    double noCache = Time(() => Run(runspace, Score(data.MediumPath, data.TargetPath, "-NoCache")));
    var reference = (object[])runspace.SessionStateProxy.GetVariable("scores");
    table.Row("cold, -NoCache", noCache, 1.0, "");
    string c1 = Path.Combine(dir, "c1.db");
    double cold = Time(() => Run(runspace, Score(data.MediumPath, data.TargetPath, $"-CachePath '{c1}'")));
    var cached = (object[])runspace.SessionStateProxy.GetVariable("scores");
    table.Row("cold, with cache (cache overhead)", cold, cold / noCache, Mb(c1));
    double warm = Time(() => Run(runspace, Score(data.MediumPath, data.TargetPath, $"-CachePath '{c1}'")));
    var warmScores = (object[])runspace.SessionStateProxy.GetVariable("scores");
    table.Row("warm re-run (same pool and target)", warm, warm / noCache, Mb(c1));
    string c2 = Path.Combine(dir, "c2.db");
    double first95 = Time(() => Run(runspace, Score(pool95, data.TargetPath, $"-CachePath '{c2}'")));
    table.Row("cold on the first 95 % of the pool", first95, first95 / noCache, Mb(c2));
    double grown = Time(() => Run(runspace, Score(data.MediumPath, data.TargetPath, $"-CachePath '{c2}'")));
    table.Row("then the whole pool", grown, grown / noCache, Mb(c2));
    string c3 = Path.Combine(dir, "c3.db");
    double first190 = Time(() => Run(runspace, Score(data.MediumPath, t190, $"-CachePath '{c3}'")));
    table.Row("cold with 190 target examples", first190, first190 / noCache, Mb(c3));
    double all200 = Time(() => Run(runspace, Score(data.MediumPath, data.TargetPath, $"-CachePath '{c3}'")));
    var edited = (object[])runspace.SessionStateProxy.GetVariable("scores");
    table.Row("then all 200 target examples", all200, all200 / noCache, Mb(c3));
    static double[] Values(object[] scores) => scores.Select(s => Convert.ToDouble(s is PSObject ps ? ps.BaseObject : s)).ToArray();
    bool same = Values(reference).SequenceEqual(Values(cached)) && Values(reference).SequenceEqual(Values(warmScores))
        && Values(reference).SequenceEqual(Values(edited));
    table.Note($"Scores identical with and without the cache (cold, warm, after the target edit): {same}. Warm speed-up: {noCache / warm:F0}x.");
    return table;
}

Runspace OpenRunspace()
{
    var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
    runspace.Open();
    Run(runspace, $"Import-Module '{Path.Combine(RepoRoot(), "ZipFit.psd1")}' -ErrorAction Stop");
    return runspace;
}

static void Run(Runspace runspace, string script)
{
    using var ps = PowerShell.Create(runspace);
    ps.AddScript(script);
    ps.Invoke();
    if (ps.HadErrors && ps.Streams.Error.Count > 0)
    {
        throw new InvalidOperationException(string.Join("\n", ps.Streams.Error.Select(e => e.ToString())));
    }
}

static double Time(Action action)
{
    var sw = Stopwatch.StartNew();
    action();
    return sw.Elapsed.TotalSeconds;
}

// Runs the script in the repository's pinned pwsh (`dotnet tool restore` first), the module imported from ZipFit.psd1.
(double Seconds, double RssMb) RunMeasured(string script)
{
    var info = new ProcessStartInfo("/usr/bin/time") { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = RepoRoot() };
    string command = $"$ErrorActionPreference = 'Stop'; Import-Module '{Path.Combine(RepoRoot(), "ZipFit.psd1")}'; {script}";
    foreach (string a in new[] { "-f", "ZIPFIT_PEAK_KB=%M", "dotnet", "pwsh", "-NoProfile", "-NonInteractive", "-Command", command })
    {
        info.ArgumentList.Add(a);
    }
    var sw = Stopwatch.StartNew();
    using var process = Process.Start(info)!;
    string stdout = process.StandardOutput.ReadToEnd();
    string stderr = process.StandardError.ReadToEnd();
    process.WaitForExit();
    double seconds = sw.Elapsed.TotalSeconds;
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"pwsh failed ({process.ExitCode}): {stderr}");
    }
    string? line = stderr.Split('\n').LastOrDefault(l => l.StartsWith("ZIPFIT_PEAK_KB="));
    return (seconds, line is null ? double.NaN : double.Parse(line["ZIPFIT_PEAK_KB=".Length..]) / 1024.0);
}
