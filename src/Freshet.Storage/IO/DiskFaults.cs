using System.Collections.Concurrent;

namespace Freshet.Storage.IO;

/// <summary>
/// A faulty-disk switch for tests: while a log dir is failed, appends, reads and flushes of its partitions throw
/// an <see cref="IOException"/> as a dying disk would; a held write stalls as a slow disk would. Production passes
/// none, and then nothing is checked.
/// </summary>
public sealed class DiskFaults
{
    private readonly ConcurrentDictionary<string, byte> _failing = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, HeldWrite> _held = new(StringComparer.Ordinal);

    /// <summary>Every later I/O of partitions in <paramref name="logDir"/> fails.</summary>
    public void Fail(string logDir) => _failing[Path.GetFullPath(logDir)] = 0;

    public void Heal(string logDir) => _failing.TryRemove(Path.GetFullPath(logDir), out _);

    /// <summary>The next append's write of record bytes in <paramref name="logDir"/> stalls until the returned hold is released.</summary>
    public HeldWrite HoldNextWrite(string logDir)
    {
        var held = new HeldWrite();
        _held[Path.GetFullPath(logDir)] = held;
        return held;
    }

    internal void ThrowIfFailing(string logDir, string operation)
    {
        if (!_failing.IsEmpty && _failing.ContainsKey(logDir))
        {
            throw new IOException($"Injected I/O error: {operation} in '{logDir}'.");
        }
    }

    /// <summary>Before an append writes its bytes: stalls while a hold on <paramref name="logDir"/> lasts.</summary>
    internal void StallIfHeld(string logDir)
    {
        if (!_held.IsEmpty && _held.TryRemove(logDir, out var held))
        {
            held.Stall();
        }
    }

    /// <summary>One stalled write: <see cref="Reached"/> completes when it stalls; <see cref="Release"/> lets it go on.</summary>
    public sealed class HeldWrite
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Reached => _reached.Task;

        public void Release() => _released.TrySetResult();

        internal void Stall()
        {
            _reached.TrySetResult();
            _released.Task.GetAwaiter().GetResult();
        }
    }
}
