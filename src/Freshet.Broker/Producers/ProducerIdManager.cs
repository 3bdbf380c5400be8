namespace Freshet.Broker.Producers;

/// <summary>A block of producer ids the controller reserved for this broker: [Start, Start + Length).</summary>
internal readonly record struct ProducerIdBlock(long Start, int Length)
{
    public long End => Start + Length;
}

/// <summary>
/// Hands out producer ids that never repeat across the cluster: ids come from blocks the active controller
/// reserves in the metadata log (AllocateProducerIds), so no two brokers, and no restart, get the same block.
/// The next block is fetched in the background once 90% of the current one is used, as Kafka's manager does,
/// so a caller waits for the controller only when ids are drawn faster than a block can be fetched.
/// </summary>
internal sealed class ProducerIdManager(Func<CancellationToken, Task<ProducerIdBlock>> allocate)
{
    private const double PrefetchAt = 0.9;

    private readonly Lock _lock = new();
    private ProducerIdBlock _current;
    private long _next;
    private Task<ProducerIdBlock>? _prefetch;

    /// <summary>Thread-safe. Blocks only when the current block is spent and the next has not arrived.</summary>
    /// <exception cref="IOException">The controller could not be reached to reserve a block.</exception>
    public long NextProducerId()
    {
        while (true)
        {
            Task<ProducerIdBlock> pending;
            lock (_lock)
            {
                if (_next < _current.End)
                {
                    var id = _next++;
                    if (_prefetch is null && _next - _current.Start >= _current.Length * PrefetchAt)
                    {
                        _prefetch = Task.Run(Fetch);
                    }
                    return id;
                }
                _prefetch ??= Task.Run(Fetch);
                pending = _prefetch;
            }
            ProducerIdBlock block;
            try
            {
                block = pending.GetAwaiter().GetResult();
            }
            catch (Exception e)
            {
                lock (_lock)
                {
                    if (ReferenceEquals(_prefetch, pending))
                    {
                        _prefetch = null;
                    }
                }
                throw e as IOException ?? new IOException($"No producer id block from the controller: {e.Message}", e);
            }
            lock (_lock)
            {
                if (ReferenceEquals(_prefetch, pending))
                {
                    _prefetch = null;
                    if (block.Start >= _current.End)
                    {
                        _current = block;
                        _next = block.Start;
                    }
                }
            }
        }
    }

    // Kafka's broker gives up on a producer id block request after the request timeout; 30 s here.
    private async Task<ProducerIdBlock> Fetch()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await allocate(deadline.Token).ConfigureAwait(false);
    }
}
