namespace ZipFit.Core.Cache;

/// <summary>The cache's tables, and the migrations from each older schema version.</summary>
internal static class Schema
{
    /// <summary>Version 1's tables; a new cache is created at version 1 and migrated from there.</summary>
    public static readonly string[] CreateV1 =
    [
        "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE compressors(id INTEGER PRIMARY KEY, identity TEXT NOT NULL UNIQUE)",
        // A target set under one compressor: members are the 16-byte content hashes of its examples, in order.
        "CREATE TABLE targets(id INTEGER PRIMARY KEY, fingerprint TEXT NOT NULL, compressor_id INTEGER NOT NULL, members BLOB NOT NULL, created INTEGER NOT NULL, UNIQUE(fingerprint, compressor_id))",
        // A method (identity with its parameters) applied to a target set.
        "CREATE TABLE scopes(id INTEGER PRIMARY KEY, method TEXT NOT NULL, target TEXT NOT NULL, compressor_id INTEGER, created INTEGER NOT NULL, UNIQUE(method, target))",
        "CREATE TABLE lengths(hash BLOB NOT NULL, compressor_id INTEGER NOT NULL, length INTEGER NOT NULL, created INTEGER NOT NULL, PRIMARY KEY(hash, compressor_id)) WITHOUT ROWID",
        // C(x+y) for every member y of the target, little-endian int32s in member order.
        "CREATE TABLE pairs(hash BLOB NOT NULL, target_id INTEGER NOT NULL, lengths BLOB NOT NULL, created INTEGER NOT NULL, PRIMARY KEY(hash, target_id)) WITHOUT ROWID",
        "CREATE TABLE scores(hash BLOB NOT NULL, scope_id INTEGER NOT NULL, score REAL NOT NULL, created INTEGER NOT NULL, PRIMARY KEY(hash, scope_id)) WITHOUT ROWID",
    ];

    /// <summary>Migrations[v] turns schema v into v+1. Version 0 is a cache created before versioning (none exist yet).</summary>
    public static readonly string[][] Migrations =
    [
        [],
        // v2: scores of a first run of a method on a target, appended as they come and merged into scores (sorted, in
        // one transaction) when the run ends; inserting them one by one at random keys rewrote most of the table's
        // pages on every commit (a million scores took 40 s).
        ["CREATE TABLE staged_scores(hash BLOB NOT NULL, scope_id INTEGER NOT NULL, score REAL NOT NULL, created INTEGER NOT NULL)"],
        // v3: lengths and pair lengths staged the same way. A first exact run over 100k examples spent 33 s of 237 writing
        // 200 pair lengths an example at random keys.
        [
            "CREATE TABLE staged_lengths(hash BLOB NOT NULL, compressor_id INTEGER NOT NULL, length INTEGER NOT NULL, created INTEGER NOT NULL)",
            "CREATE TABLE staged_pairs(hash BLOB NOT NULL, target_id INTEGER NOT NULL, lengths BLOB NOT NULL, created INTEGER NOT NULL)",
        ],
        // v4: the hash behind every row's key is named in meta (ContentKeyHash). A cache created from now on uses XXH3-128
        // (written with the file); one created before keeps the SHA-256 prefix its rows were stored under. Older versions
        // of ZipFit refuse v4, so none of them adds rows under the other hash.
        [$"INSERT OR IGNORE INTO meta(key, value) VALUES ('content_hash', '{Sha256PrefixName}')"],
        // v5: a new scope's first O(N) run stages sorted runs of its scores (one row per run) and merges them into
        // blocks of sorted scores (ScoreCache.Blocks.cs): one row per score cost ~2 µs an example, a tenth of a
        // million-example run of a fast method.
        [
            "CREATE TABLE staged_score_runs(id INTEGER PRIMARY KEY, scope_id INTEGER NOT NULL, created INTEGER NOT NULL, entries BLOB NOT NULL)",
            // A rowid table with an index, not WITHOUT ROWID: that would hold whole rows, blocks and all, in its inner
            // pages, four to a page, and a lookup then read two pages or more instead of one.
            "CREATE TABLE score_blocks(scope_id INTEGER NOT NULL, generation INTEGER NOT NULL, first_hash BLOB NOT NULL, created INTEGER NOT NULL, " +
                "entries BLOB NOT NULL)",
            "CREATE UNIQUE INDEX score_blocks_by_key ON score_blocks(scope_id, generation, first_hash)",
        ],
    ];

    /// <summary>meta's content_hash values.</summary>
    public const string XxHash128Name = "xxh3-128", Sha256PrefixName = "sha256-128";
}
