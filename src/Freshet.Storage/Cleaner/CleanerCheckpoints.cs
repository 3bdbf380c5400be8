using System.Collections.Concurrent;
using Freshet.Storage.Checkpoints;

namespace Freshet.Storage.Cleaner;

/// <summary>
/// Per log dir, Kafka's <c>cleaner-offset-checkpoint</c>: for each compacted log the offset below which it is
/// clean (the end of the last clean's dirty section). Same format as the other offset checkpoints.
/// </summary>
internal sealed class CleanerCheckpoints
{
    private readonly ConcurrentDictionary<TopicPartition, long> _offsets = new();
    private readonly object _writeLock = new();

    public CleanerCheckpoints(IEnumerable<string> logDirs)
    {
        foreach (var dir in logDirs)
        {
            foreach (var (tp, offset) in OffsetCheckpointFile.Read(PathIn(dir)))
            {
                _offsets[tp] = offset;
            }
        }
    }

    public long? Get(TopicPartition tp) => _offsets.TryGetValue(tp, out var offset) ? offset : null;

    /// <summary>Records the new clean offset of a log and rewrites its dir's file with the logs still in that dir.</summary>
    public void Update(PartitionLog log, long offset, IEnumerable<PartitionLog> logsInDir)
    {
        _offsets[log.TopicPartition] = offset;
        lock (_writeLock)
        {
            OffsetCheckpointFile.Write(
                PathIn(log.LogDir),
                logsInDir.Where(l => _offsets.ContainsKey(l.TopicPartition))
                    .Select(l => KeyValuePair.Create(l.TopicPartition, _offsets[l.TopicPartition])));
        }
    }

    private static string PathIn(string dir) => Path.Combine(dir, LogFileNames.CleanerOffsetCheckpoint);
}
