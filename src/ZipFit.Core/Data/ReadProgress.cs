namespace ZipFit.Core.Data;

/// <summary>How far through a dataset file reading has got, from the file's own position (compressed bytes for .gz/.zst).</summary>
public sealed class ReadProgress
{
    private FileStream? _file;
    private long _length;
    private long _doneUnits = -1;

    internal void Attach(FileStream file)
    {
        _file = file;
        _length = file.Length;
    }

    /// <summary>For formats read in units rather than bytes (Parquet row groups).</summary>
    internal void Report(long done, long total)
    {
        _file = null;
        _doneUnits = done;
        _length = total;
    }

    /// <summary>0 to 1; 0 before reading starts.</summary>
    public double Fraction
    {
        get
        {
            if (_length <= 0)
            {
                return 0;
            }
            try
            {
                long done = _file is { } f ? f.Position : Math.Max(0, _doneUnits);
                return Math.Clamp((double)done / _length, 0, 1);
            }
            catch (ObjectDisposedException)
            {
                return 1;
            }
        }
    }
}
