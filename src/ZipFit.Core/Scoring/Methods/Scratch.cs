namespace ZipFit.Core.Scoring.Methods;

/// <summary>Per-scorer reusable buffers: grow (at least doubling) and are then reused, so scoring allocates nothing per example.</summary>
internal static class Scratch
{
    public static byte[] Ensure(ref byte[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new byte[Math.Max(length, 2 * buffer.Length)];
        return buffer;
    }
}
