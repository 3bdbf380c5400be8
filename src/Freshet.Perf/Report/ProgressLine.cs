using System.Diagnostics;
using Freshet.Perf.Measure;

namespace Freshet.Perf.Report;

/// <summary>
/// A one-line progress display on a terminal, rewritten in place every second: records so far and the rate over the
/// last second. Silent when stderr is not a terminal, so that scripts and logs get only the final report.
/// </summary>
public sealed class ProgressLine : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly TextWriter _output;
    private readonly bool _enabled;

    private ProgressLine(string kind, LiveCounters counters, TextWriter output, bool enabled)
    {
        _output = output;
        _enabled = enabled;
        _loop = enabled ? RunAsync(kind, counters) : Task.CompletedTask;
    }

    public static ProgressLine Start(string kind, LiveCounters counters) =>
        new(kind, counters, Console.Error, !Console.IsErrorRedirected);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        if (_enabled)
            await _output.WriteAsync("\r" + new string(' ', 100) + "\r");
        _stop.Dispose();
    }

    private async Task RunAsync(string kind, LiveCounters counters)
    {
        var started = Stopwatch.GetTimestamp();
        long lastRecords = 0, lastBytes = 0;
        var lastTime = started;
        try
        {
            while (true)
            {
                await Task.Delay(1000, _stop.Token);
                var now = Stopwatch.GetTimestamp();
                long records = counters.Records, bytes = counters.Bytes;
                var seconds = Stopwatch.GetElapsedTime(lastTime, now).TotalSeconds;
                var line = $"\r{kind}: {records:N0} records in {Stopwatch.GetElapsedTime(started, now).TotalSeconds:F0} s, "
                    + $"{(records - lastRecords) / seconds:N0} records/s, {(bytes - lastBytes) / (1024.0 * 1024.0) / seconds:F2} MB/s"
                    + (counters.Errors > 0 ? $", {counters.Errors:N0} errors" : string.Empty) + "   ";
                await _output.WriteAsync(line);
                await _output.FlushAsync();
                (lastRecords, lastBytes, lastTime) = (records, bytes, now);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
