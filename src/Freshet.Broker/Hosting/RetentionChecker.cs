using Freshet.Broker.Diagnostics;
using Freshet.Storage;
using Microsoft.Extensions.Logging;

namespace Freshet.Broker.Hosting;

/// <summary>
/// Kafka's log retention task: a retention pass over every log each log.retention.check.interval.ms, and, because
/// file.delete.delay.ms is usually much shorter than that interval, a tick of at most a second that removes the
/// <c>.deleted</c> files whose delay has passed. A pass still running when its timer fires again is not doubled.
/// </summary>
internal sealed class RetentionChecker : IAsyncDisposable
{
    private static readonly TimeSpan MaxDeleteTick = TimeSpan.FromSeconds(1);

    // System.Threading.Timer takes periods up to 2^32 - 2 ms.
    private static readonly TimeSpan MaxTimerPeriod = TimeSpan.FromMilliseconds(uint.MaxValue - 1.0);

    private readonly LogManager _logs;
    private readonly ILogger _logger;
    private readonly Timer _retentionTimer;
    private readonly Timer _deleteTimer;
    private int _retentionRunning;
    private int _deleteRunning;

    public RetentionChecker(LogManager logs, long checkIntervalMs, ILogger logger)
    {
        _logs = logs;
        _logger = logger;
        var interval = TimeSpan.FromMilliseconds(Math.Max(1, checkIntervalMs));
        interval = interval < MaxTimerPeriod ? interval : MaxTimerPeriod;
        var deleteTick = interval < MaxDeleteTick ? interval : MaxDeleteTick;
        _retentionTimer = new Timer(_ => RunOnce(ref _retentionRunning, _logs.RunRetention), null, interval, interval);
        _deleteTimer = new Timer(_ => RunOnce(ref _deleteRunning, _logs.DeleteDueSegmentFiles), null, deleteTick, deleteTick);
    }

    public async ValueTask DisposeAsync()
    {
        await _retentionTimer.DisposeAsync().ConfigureAwait(false);
        await _deleteTimer.DisposeAsync().ConfigureAwait(false);
    }

    private void RunOnce(ref int running, Func<int> pass)
    {
        if (Interlocked.Exchange(ref running, 1) == 1)
        {
            return;
        }
        try
        {
            pass();
        }
        catch (ObjectDisposedException)
        {
            // The log manager closed under a pass that was already due: the broker is stopping.
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            BrokerLog.RetentionFailed(_logger, e.Message);
        }
        finally
        {
            Volatile.Write(ref running, 0);
        }
    }
}
