using ZipFit.Core.Data;

namespace ZipFit.Core.Tests;

/// <summary>A damaged Parquet footer is a reader error, found before Parquet.Net decodes it (which could loop forever).</summary>
public sealed class ParquetFooterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("zipfit-footer-").FullName;
    private static readonly byte[] Good = File.ReadAllBytes(Path.Combine(Fixtures.Dir, "source-30.parquet"));
    private static int FooterLength => BitConverter.ToInt32(Good, Good.Length - 8);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private List<DatasetItem> ReadWithin(byte[] content, string name, TimeSpan limit)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, content);
        var read = Task.Run(() => DatasetReader.Read(path).ToList());
        Assert.True(read.Wait(limit), $"reading {name} did not finish in {limit.TotalSeconds} s");
        return read.Result;
    }

    [Fact]
    public void TheIntactFileReadsAndPassesTheCheck()
    {
        using (var stream = new MemoryStream(Good))
        {
            Assert.Null(ParquetFooterCheck.Problem(stream));
        }
        Assert.Equal(30, ReadWithin(Good, "good.parquet", TimeSpan.FromSeconds(30)).Count(i => i.Record is not null));
    }

    [Fact]
    public void AFlippedStopByteAtTheEndOfTheMetadataIsAnUnreadableFileNotAnEndlessLoop()
    {
        // This flip sent Parquet.Net 6.1's metadata reader into an endless loop.
        var bad = (byte[])Good.Clone();
        Assert.Equal(0, bad[^9]);
        bad[^9] = 0x94;
        var items = ReadWithin(bad, "stop.parquet", TimeSpan.FromSeconds(30));
        var error = Assert.Single(items).Error;
        Assert.Equal(DatasetErrorIds.UnreadableFile, error?.ErrorId);
        Assert.Contains("metadata", error!.Message);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public void AFooterLengthThatDoesNotFitIsAnUnreadableFile(int footerLength)
    {
        var bad = (byte[])Good.Clone();
        BitConverter.GetBytes(footerLength).CopyTo(bad, bad.Length - 8);
        var error = Assert.Single(ReadWithin(bad, "length.parquet", TimeSpan.FromSeconds(30))).Error;
        Assert.Equal(DatasetErrorIds.UnreadableFile, error?.ErrorId);
    }

    [Fact]
    public async Task EveryFooterByteFlippedEndsInRecordsOrReaderErrorsNeverAnExceptionOrAHang()
    {
        var random = new Random(20261202);
        int start = Good.Length - 8 - FooterLength;
        var flips = Enumerable.Range(0, 1500).Select(_ => (Position: start + random.Next(FooterLength), Value: (byte)random.Next(256))).ToList();
        var all = Task.Run(() =>
        {
            int errors = 0;
            foreach (var (position, value) in flips)
            {
                var bad = (byte[])Good.Clone();
                bad[position] = value;
                string path = Path.Combine(_dir, "flip.parquet");
                File.WriteAllBytes(path, bad);
                errors += DatasetReader.Read(path).Count(i => i.Error is not null);
            }
            return errors;
        });
        int errors = await all.WaitAsync(TimeSpan.FromMinutes(3)); // TimeoutException: a footer was still being read
        Assert.True(errors > 0);
    }
}
