using Freshet.Protocol.Messages;

namespace Freshet.Broker.Groups;

/// <summary>A protocol a member supports, with its metadata (the consumer's subscription), in the member's order of preference.</summary>
internal readonly record struct MemberProtocol(string Name, ReadOnlyMemory<byte> Metadata);

/// <summary>
/// One member of a classic group. A member waiting in JoinGroup or SyncGroup holds a
/// completion source its handler awaits, like Kafka's delayed join and sync operations.
/// </summary>
internal sealed class GroupMember(string memberId, string? groupInstanceId, string clientId, string clientHost)
{
    public string MemberId { get; set; } = memberId;

    public string? GroupInstanceId { get; } = groupInstanceId;

    public string ClientId { get; set; } = clientId;

    public string ClientHost { get; set; } = clientHost;

    public int SessionTimeoutMs { get; set; }

    public int RebalanceTimeoutMs { get; set; }

    public string ProtocolType { get; set; } = "";

    public IReadOnlyList<MemberProtocol> Protocols { get; set; } = [];

    public ReadOnlyMemory<byte> Assignment { get; set; } = ReadOnlyMemory<byte>.Empty;

    /// <summary>When the session ends unless a heartbeat (or join, sync, commit) comes first.</summary>
    public DateTimeOffset SessionDeadline { get; set; }

    public TaskCompletionSource<JoinGroupResponse>? AwaitingJoin { get; set; }

    public TaskCompletionSource<SyncGroupResponse>? AwaitingSync { get; set; }

    public bool IsStatic => GroupInstanceId is not null;

    public bool IsAwaitingJoin => AwaitingJoin is not null;

    public bool IsAwaitingSync => AwaitingSync is not null;

    public ReadOnlyMemory<byte> MetadataFor(string protocol)
    {
        foreach (var p in Protocols)
        {
            if (p.Name == protocol)
            {
                return p.Metadata;
            }
        }
        throw new InvalidOperationException($"Member {MemberId} does not support protocol {protocol}.");
    }

    /// <summary>Same protocols, in the same order, with the same metadata: a rejoin that needs no rebalance.</summary>
    public bool HasSameProtocols(IReadOnlyList<MemberProtocol> protocols)
    {
        if (protocols.Count != Protocols.Count)
        {
            return false;
        }
        for (var i = 0; i < protocols.Count; i++)
        {
            if (protocols[i].Name != Protocols[i].Name || !protocols[i].Metadata.Span.SequenceEqual(Protocols[i].Metadata.Span))
            {
                return false;
            }
        }
        return true;
    }

    public void CompleteJoin(JoinGroupResponse response)
    {
        var waiter = AwaitingJoin;
        AwaitingJoin = null;
        waiter?.TrySetResult(response);
    }

    public void CompleteSync(SyncGroupResponse response)
    {
        var waiter = AwaitingSync;
        AwaitingSync = null;
        waiter?.TrySetResult(response);
    }
}
