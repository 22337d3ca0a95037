namespace ZipFit.Core.Cache;

/// <summary>What a cache file holds. ContentHash names the hash its rows are keyed by: xxh3-128, or sha256-128 in a
/// cache created before schema version 4.</summary>
public sealed record CacheInfo(
    string Path,
    long SizeBytes,
    int SchemaVersion,
    string ContentHash,
    long LengthRows,
    long PairRows,
    long ScoreRows,
    long TargetRows,
    IReadOnlyList<string> Compressors,
    IReadOnlyList<string> Methods)
{
    public override string ToString() =>
        $"{Path}: {SizeBytes / 1048576.0:F1} MB, {LengthRows} lengths, {PairRows} pair rows, {ScoreRows} scores, {TargetRows} target sets; compressors {string.Join(", ", Compressors)}";
}
