using System.Buffers.Binary;
using Microsoft.Data.Sqlite;

namespace ZipFit.Core.Cache;

/// <summary>ScoreCache: SQL and blob helpers shared by the other parts.</summary>
public sealed partial class ScoreCache
{
    // ---- helpers ---------------------------------------------------------------------------

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    internal static byte[] PackHashes(IReadOnlyList<string> hashes)
    {
        var bytes = new byte[hashes.Count * 16];
        for (int i = 0; i < hashes.Count; i++)
        {
            Convert.FromHexString(hashes[i]).CopyTo(bytes, i * 16);
        }
        return bytes;
    }

    internal static List<string> UnpackHashes(byte[] packed) =>
        Enumerable.Range(0, packed.Length / 16).Select(i => Convert.ToHexString(packed, i * 16, 16).ToLowerInvariant()).ToList();

    internal static byte[] PackInts(int[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * 4), values[i]);
        }
        return bytes;
    }

    internal static int[] UnpackInts(byte[] bytes)
    {
        var values = new int[bytes.Length / 4];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(i * 4));
        }
        return values;
    }

    private static int Execute(SqliteConnection connection, string sql, SqliteTransaction? tx = null, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return command.ExecuteNonQuery();
    }

    private static List<T> Query<T>(SqliteConnection connection, string sql, Func<SqliteDataReader, T> read, SqliteTransaction? tx = null,
        params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        using var reader = command.ExecuteReader();
        var list = new List<T>();
        while (reader.Read())
        {
            list.Add(read(reader));
        }
        return list;
    }
}
