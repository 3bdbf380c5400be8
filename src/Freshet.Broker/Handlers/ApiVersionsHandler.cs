using Freshet.Broker.Requests;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>ApiVersions: the version range of every API this broker serves, straight from the handler table.</summary>
internal sealed class ApiVersionsHandler(Func<HandlerRegistry> registry) : ApiHandler<ApiVersionsRequest>
{
    public override ApiKey Key => ApiKey.ApiVersions;

    protected override ValueTask<IResponseMessage?> HandleAsync(RequestContext context, ApiVersionsRequest request) =>
        ValueTask.FromResult<IResponseMessage?>(Build(registry(), ErrorCode.None));

    /// <summary>The v0 answer to a version the broker does not know, so the client can retry with one it does.</summary>
    public static ApiVersionsResponse UnsupportedVersionResponse(HandlerRegistry registry) => Build(registry, ErrorCode.UnsupportedVersion);

    private static ApiVersionsResponse Build(HandlerRegistry registry, ErrorCode error)
    {
        var response = new ApiVersionsResponse { ErrorCode = (short)error };
        foreach (var handler in registry.Handlers)
        {
            response.ApiKeys.Add(new ApiVersionsResponse.ApiVersion
            {
                ApiKey = (short)handler.Key,
                MinVersion = handler.MinVersion,
                MaxVersion = handler.MaxVersion,
            });
        }
        return response;
    }
}
