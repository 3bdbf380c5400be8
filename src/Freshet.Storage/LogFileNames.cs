using System.Globalization;

namespace Freshet.Storage;

/// <summary>
/// Every name and suffix that reaches the disk. Segment files are named by their base offset as 20
/// zero-padded decimal digits so that <c>ls</c> lists them in offset order; suffixes show a file's lifecycle.
/// </summary>
public static class LogFileNames
{
    public const string LogSuffix = ".log";
    public const string IndexSuffix = ".index";
    public const string TimeIndexSuffix = ".timeindex";
    public const string TxnIndexSuffix = ".txnindex";
    public const string SnapshotSuffix = ".snapshot";

    /// <summary>Appended to a segment file scheduled for deletion.</summary>
    public const string DeletedSuffix = ".deleted";

    /// <summary>Appended to a segment file the cleaner is writing.</summary>
    public const string CleanedSuffix = ".cleaned";

    /// <summary>Appended to a finished cleaned segment waiting to replace the original.</summary>
    public const string SwapSuffix = ".swap";

    /// <summary>Appended to a file being written before its atomic rename.</summary>
    public const string TempSuffix = ".tmp";

    /// <summary>Ends a partition directory renamed for asynchronous deletion: <c>topic-0.&lt;uuid&gt;-delete</c>.</summary>
    public const string DeleteDirSuffix = "-delete";

    /// <summary>The controller quorum's metadata log: it lives among the partition dirs but is not a partition log.</summary>
    public const string ClusterMetadataDir = "__cluster_metadata-0";

    public const string CleanShutdownMarker = ".kafka_cleanshutdown";
    public const string LockFile = ".lock";
    public const string MetaProperties = "meta.properties";
    public const string RecoveryPointCheckpoint = "recovery-point-offset-checkpoint";
    public const string LogStartOffsetCheckpoint = "log-start-offset-checkpoint";
    public const string ReplicationOffsetCheckpoint = "replication-offset-checkpoint";
    public const string PartitionMetadata = "partition.metadata";
    public const string CleanerOffsetCheckpoint = "cleaner-offset-checkpoint";
    public const string LeaderEpochCheckpoint = "leader-epoch-checkpoint";

    public const int OffsetDigits = 20;

    public static string FileNamePrefix(long baseOffset) =>
        baseOffset.ToString("D20", CultureInfo.InvariantCulture);

    public static string LogFile(string dir, long baseOffset) => Path.Combine(dir, FileNamePrefix(baseOffset) + LogSuffix);

    public static string IndexFile(string dir, long baseOffset) => Path.Combine(dir, FileNamePrefix(baseOffset) + IndexSuffix);

    public static string TimeIndexFile(string dir, long baseOffset) => Path.Combine(dir, FileNamePrefix(baseOffset) + TimeIndexSuffix);

    public static string TxnIndexFile(string dir, long baseOffset) => Path.Combine(dir, FileNamePrefix(baseOffset) + TxnIndexSuffix);

    /// <summary>Parses the base offset from a name such as <c>00000000000000000042.log</c>.</summary>
    public static bool TryParseBaseOffset(string fileName, string suffix, out long baseOffset)
    {
        baseOffset = 0;
        return fileName.Length == OffsetDigits + suffix.Length
            && fileName.EndsWith(suffix, StringComparison.Ordinal)
            && long.TryParse(fileName.AsSpan(0, OffsetDigits), NumberStyles.None, CultureInfo.InvariantCulture, out baseOffset);
    }
}
