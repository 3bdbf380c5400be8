using Freshet.Broker.Cluster;
using Freshet.Broker.Configuration;
using Freshet.Broker.Requests;
using Freshet.Broker.Topics;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// AlterConfigs, the older whole-replacement API: the settings named become the topic's
/// overrides and every other setting goes back to its default, as in Kafka.
/// </summary>
internal sealed class AlterConfigsHandler(TopicConfigAdmin topics, ControllerForwarding forwarding, BrokerOptions options) : ApiHandler<AlterConfigsRequest>
{
    public override ApiKey Key => ApiKey.AlterConfigs;

    protected override async ValueTask<IResponseMessage?> HandleAsync(RequestContext context, AlterConfigsRequest request)
    {
        if (forwarding.ShouldForward(context))
        {
            return await forwarding.ForwardAsync(
                request, context.ApiVersion, AlterConfigsResponse.Read, ct => AlterAllAsync(request, ct),
                r => r.Responses.Exists(x => x.ErrorCode == (short)ErrorCode.NotController), context.Closing).ConfigureAwait(false);
        }
        return await AlterAllAsync(request, context.Closing).ConfigureAwait(false);
    }

    private async Task<AlterConfigsResponse> AlterAllAsync(AlterConfigsRequest request, CancellationToken cancellationToken)
    {
        var response = new AlterConfigsResponse();
        var duplicates = ConfigResources.Duplicates(request.Resources.Select(r => (r.ResourceType, r.ResourceName)));
        foreach (var resource in request.Resources)
        {
            var (error, message) = duplicates.Contains((resource.ResourceType, resource.ResourceName))
                ? ConfigResources.Duplicate(resource.ResourceType, resource.ResourceName)
                : await AlterAsync(resource, request.ValidateOnly, cancellationToken).ConfigureAwait(false);
            response.Responses.Add(new AlterConfigsResponse.AlterConfigsResourceResponse
            {
                ErrorCode = (short)error,
                ErrorMessage = message,
                ResourceType = resource.ResourceType,
                ResourceName = resource.ResourceName,
            });
        }
        return response;
    }

    private async Task<(ErrorCode, string?)> AlterAsync(AlterConfigsRequest.AlterConfigsResource resource, bool validateOnly, CancellationToken cancellationToken)
    {
        switch (resource.ResourceType)
        {
            case ConfigResources.Topic:
                var configs = resource.Configs.Select(c => (c.Name, c.Value)).ToList();
                return await topics.AlterAsync(resource.ResourceName, (_, _) => TopicConfigEdits.Replace(configs), validateOnly, cancellationToken).ConfigureAwait(false);
            case ConfigResources.Broker:
                return ConfigResources.AlterBroker(options, resource.ResourceName, resource.Configs.Select(c => c.Name).ToList());
            default:
                return ConfigResources.Unsupported(resource.ResourceType);
        }
    }
}
