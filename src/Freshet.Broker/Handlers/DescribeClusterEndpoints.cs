using Freshet.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// DescribeCluster's endpoint_type (KIP-919): a broker listener describes the brokers (1), a controller's listener the
/// controllers (2). A request for the other kind gets MISMATCHED_ENDPOINT_TYPE, one for a kind Kafka does not know
/// UNSUPPORTED_ENDPOINT_TYPE, so a client learns it asked the wrong listener.
/// </summary>
internal static class DescribeClusterEndpoints
{
    public const sbyte Brokers = 1;
    public const sbyte Controllers = 2;

    /// <summary>Kafka's refusal when the request asks for other endpoints than <paramref name="served"/>; null when it matches.</summary>
    public static DescribeClusterResponse? Refusal(DescribeClusterRequest request, sbyte served, string clusterId)
    {
        if (request.EndpointType == served)
        {
            return null;
        }
        var known = request.EndpointType is Brokers or Controllers;
        return new DescribeClusterResponse
        {
            ErrorCode = (short)(known ? ErrorCode.MismatchedEndpointType : ErrorCode.UnsupportedEndpointType),
            ErrorMessage = known
                ? $"This listener describes {Name(served)} (endpoint type {served}), not {Name(request.EndpointType)}."
                : $"Unknown endpoint type {request.EndpointType}.",
            EndpointType = served,
            ClusterId = clusterId,
        };
    }

    private static string Name(sbyte endpointType) => endpointType == Controllers ? "controllers" : "brokers";
}
