using System.Text;
using ZipFit.Core.Compression;

namespace ZipFit.Core.Tests;

/// <summary>The system libzstd reader gives the bytes the managed decoder gives, and fails the same way on damage.</summary>
public sealed class SystemZstdTests
{
    private static byte[] Frames(int frames, int linesPerFrame)
    {
        var ms = new MemoryStream();
        for (int f = 0; f < frames; f++)
        {
            // Each CompressionStream writes one frame; a .zst file may hold many, one after another.
            using var zs = new ZstdSharp.CompressionStream(ms, 3, leaveOpen: true);
            for (int i = 0; i < linesPerFrame; i++)
            {
                zs.Write(Encoding.UTF8.GetBytes($"{{\"id\":\"f{f}-{i}\",\"text\":\"{new string((char)('a' + i % 26), i % 300)}\"}}\n"));
            }
        }
        return ms.ToArray();
    }

    private static byte[] ReadAll(Stream s, int chunk)
    {
        var output = new MemoryStream();
        var buffer = new byte[chunk];
        int n;
        while ((n = s.Read(buffer, 0, buffer.Length)) > 0)
        {
            output.Write(buffer, 0, n);
        }
        return output.ToArray();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1 << 16)]
    public void ManyFramesDecodeToTheManagedDecodersBytesWhateverTheReadSize(int chunk)
    {
        Assert.True(SystemZstd.IsAvailable, "these tests need libzstd.so.1 (Debian: libzstd1)");
        var file = Frames(3, 4000);
        var expected = ReadAll(new ZstdSharp.DecompressionStream(new MemoryStream(file)), 1 << 16);
        using var native = new SystemZstdDecompressionStream(new MemoryStream(file));
        Assert.Equal(expected, ReadAll(native, chunk));
    }

    [Fact]
    public void AFileCutInsideAFrameIsEndOfStreamAndGarbageIsInvalidData()
    {
        Assert.True(SystemZstd.IsAvailable, "these tests need libzstd.so.1 (Debian: libzstd1)");
        var file = Frames(1, 4000);
        using (var cut = new SystemZstdDecompressionStream(new MemoryStream(file[..(file.Length / 2)])))
        {
            Assert.Throws<EndOfStreamException>(() => ReadAll(cut, 4096));
        }
        using var garbage = new SystemZstdDecompressionStream(new MemoryStream(Encoding.UTF8.GetBytes("this is not zstd at all, not even close")));
        Assert.Throws<InvalidDataException>(() => ReadAll(garbage, 4096));
        using var empty = new SystemZstdDecompressionStream(new MemoryStream());
        Assert.Empty(ReadAll(empty, 4096));
    }

    [Fact]
    public void AMissingLibraryIsNotLoaded()
    {
        Assert.Null(SystemZstd.Load(["libzipfit-no-such-zstd.so.9"]));
    }
}
