using System.Collections.Immutable;
using Freshet.Protocol.Messages;

namespace Freshet.Metadata.Controller;

/// <summary>Move a partition to <see cref="TargetReplicas"/>, or cancel its reassignment when they are null.</summary>
public sealed record ReassignmentSpec(string Topic, int Partition, IReadOnlyList<int>? TargetReplicas);

public sealed record ReassignmentResult(string Topic, int Partition, ErrorCode Error, string? Message = null);

public sealed record ReassignmentsReply(ErrorCode Error, IReadOnlyList<ReassignmentResult> Partitions);

/// <summary>A reassignment in progress: all replicas (target plus removing), and which are being added or removed.</summary>
public sealed record OngoingReassignment(string Topic, int Partition, ImmutableArray<int> Replicas, ImmutableArray<int> AddingReplicas, ImmutableArray<int> RemovingReplicas);

public sealed record ListReassignmentsReply(ErrorCode Error, IReadOnlyList<OngoingReassignment> Reassignments);
