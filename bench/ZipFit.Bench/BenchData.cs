using System.IO.Compression;
using System.Text;
using System.Text.Json;
using ZipFit.Core.Data;

namespace ZipFit.Bench;

/// <summary>The shared python-code data: target, pools, and larger pools built from them.</summary>
internal sealed class BenchData(string dir)
{
    public string Dir { get; } = Path.GetFullPath(dir);
    public string TargetPath => Path.Combine(Dir, "target.jsonl");
    public string MediumPath => Path.Combine(Dir, "source-medium.jsonl.gz");
    public string SmallPath => Path.Combine(Dir, "source-small.jsonl");

    public List<DatasetRecord> Read(string path, int max = int.MaxValue) =>
        DatasetReader.Read(path).Where(i => i.Record is not null).Select(i => i.Record!).Take(max).ToList();

    public List<byte[]> Target(int count = int.MaxValue) => Read(TargetPath, count).Select(r => r.Utf8).ToList();

    /// <summary>A gzip JSONL pool of <paramref name="count"/> examples: the medium pool repeated with new ids (and a marker so texts differ).</summary>
    public string BuildPool(string outDir, int count)
    {
        string path = Path.Combine(outDir, $"pool-{count}.jsonl.gz");
        if (File.Exists(path))
        {
            return path;
        }
        var records = Read(MediumPath);
        string temp = path + ".tmp";
        using (var file = File.Create(temp))
        using (var gz = new GZipStream(file, CompressionLevel.Fastest))
        using (var writer = new StreamWriter(gz, new UTF8Encoding(false)))
        {
            for (int i = 0; i < count; i++)
            {
                var r = records[i % records.Count];
                int round = i / records.Count;
                string text = round == 0 ? r.Text : $"{r.Text}\n# copy {round}\n";
                using var doc = JsonDocument.Parse(r.Json!);
                string domain = doc.RootElement.GetProperty("domain").GetString()!;
                writer.WriteLine(JsonSerializer.Serialize(new { id = $"{r.Id}-r{round}", text, domain }));
            }
        }
        File.Move(temp, path, overwrite: true);
        return path;
    }
}
