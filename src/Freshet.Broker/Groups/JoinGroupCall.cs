namespace Freshet.Broker.Groups;

/// <summary>A JoinGroup as the coordinator sees it, whatever the request version.</summary>
internal sealed record JoinGroupCall(
    string GroupId,
    string MemberId,
    string? GroupInstanceId,
    string ClientId,
    string ClientHost,
    int SessionTimeoutMs,
    int RebalanceTimeoutMs,
    string ProtocolType,
    IReadOnlyList<MemberProtocol> Protocols,
    bool RequireKnownMemberId,
    bool SupportsSkipAssignment);
