using System.Diagnostics;
using System.Management.Automation;

namespace ZipFit.Commands;

/// <summary>Write-Progress at most four times a second: examples done, rate, and time left when the total is known.</summary>
internal sealed class ProgressReporter(Cmdlet cmdlet, int activityId, string activity)
{
    private const long IntervalMs = 250;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _lastMs = -IntervalMs;
    private bool _shown;

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <param name="fraction">0-1 when known, negative when not.</param>
    public void Update(long done, double fraction = -1, string? detail = null)
    {
        long now = _clock.ElapsedMilliseconds;
        if (now - _lastMs < IntervalMs)
        {
            return;
        }
        _lastMs = now;
        double seconds = Math.Max(0.001, _clock.Elapsed.TotalSeconds);
        var record = new ProgressRecord(activityId, activity, $"{done:N0} examples, {done / seconds:N0}/s{(detail is null ? "" : ", " + detail)}");
        if (fraction > 0)
        {
            record.PercentComplete = (int)Math.Clamp(fraction * 100, 0, 100);
            record.SecondsRemaining = (int)Math.Ceiling(seconds * (1 - fraction) / fraction);
        }
        cmdlet.WriteProgress(record);
        _shown = true;
    }

    public void Complete()
    {
        if (_shown)
        {
            cmdlet.WriteProgress(new ProgressRecord(activityId, activity, "Done") { RecordType = ProgressRecordType.Completed });
        }
    }
}
