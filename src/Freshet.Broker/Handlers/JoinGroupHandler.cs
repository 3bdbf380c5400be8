using System.Net;
using Freshet.Broker.Groups;
using Freshet.Broker.Requests;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>JoinGroup: waits (asynchronously) until the join phase of the rebalance completes.</summary>
internal sealed class JoinGroupHandler(GroupCoordinator coordinator) : ApiHandler<JoinGroupRequest>
{
    // v4 introduced MEMBER_ID_REQUIRED; v9 lets a static leader skip the assignment.
    private const short FirstVersionRequiringMemberId = 4;
    private const short FirstVersionWithSkipAssignment = 9;
    private const short FirstVersionWithNullableProtocolName = 7;

    public override ApiKey Key => ApiKey.JoinGroup;

    protected override async ValueTask<IResponseMessage?> HandleAsync(RequestContext context, JoinGroupRequest request)
    {
        var call = new JoinGroupCall(
            request.GroupId,
            request.MemberId,
            request.GroupInstanceId,
            context.ClientId ?? "",
            ClientHost(context),
            request.SessionTimeoutMs,
            // v0 has no rebalance timeout: the session timeout serves for both.
            context.ApiVersion == 0 ? request.SessionTimeoutMs : request.RebalanceTimeoutMs,
            request.ProtocolType,
            [.. request.Protocols.Select(p => new MemberProtocol(p.Name, p.Metadata.ToArray()))],
            context.ApiVersion >= FirstVersionRequiringMemberId,
            context.ApiVersion >= FirstVersionWithSkipAssignment);
        var response = await coordinator.JoinAsync(call).WaitAsync(context.Closing).ConfigureAwait(false);
        if (context.ApiVersion < FirstVersionWithNullableProtocolName)
        {
            response.ProtocolName ??= "";
        }
        return response;
    }

    /// <summary>The client's address as Kafka shows it in DescribeGroups ("/127.0.0.1").</summary>
    internal static string ClientHost(RequestContext context) =>
        context.Connection.RemoteEndPoint is IPEndPoint ip ? "/" + ip.Address : "";
}
