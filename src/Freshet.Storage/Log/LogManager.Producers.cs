namespace Freshet.Storage;

public sealed partial class LogManager
{
    /// <summary>
    /// producer.id.expiration.ms: every log forgets the producers idle that long without an open transaction (the
    /// broker runs this every producer.id.expiration.check.interval.ms). Returns how many producers went.
    /// </summary>
    public int RemoveExpiredProducers(long expirationMs)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var removed = 0;
        foreach (var log in _logs.Values)
        {
            removed += log.RemoveExpiredProducers(now, expirationMs);
        }
        return removed;
    }
}
