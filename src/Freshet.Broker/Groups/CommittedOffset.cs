namespace Freshet.Broker.Groups;

/// <summary>A committed position of a group on one partition, as OffsetCommitValue stores it.</summary>
internal readonly record struct CommittedOffset(long Offset, int LeaderEpoch, string Metadata, long CommitTimestamp);
