using System.Collections.Concurrent;

namespace Freshet.Storage.IO;

/// <summary>
/// A faulty-disk switch for tests: while a log dir is failed, appends, reads and flushes of its partitions throw
/// an <see cref="IOException"/> as a dying disk would. Production passes none, and then nothing is checked.
/// </summary>
public sealed class DiskFaults
{
    private readonly ConcurrentDictionary<string, byte> _failing = new(StringComparer.Ordinal);

    /// <summary>Every later I/O of partitions in <paramref name="logDir"/> fails.</summary>
    public void Fail(string logDir) => _failing[Path.GetFullPath(logDir)] = 0;

    public void Heal(string logDir) => _failing.TryRemove(Path.GetFullPath(logDir), out _);

    internal void ThrowIfFailing(string logDir, string operation)
    {
        if (!_failing.IsEmpty && _failing.ContainsKey(logDir))
        {
            throw new IOException($"Injected I/O error: {operation} in '{logDir}'.");
        }
    }
}
