using Freshet.Broker.Cluster;
using Freshet.Broker.Configuration;
using Freshet.Broker.Requests;
using Freshet.Broker.Topics;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// IncrementalAlterConfigs: SET, DELETE, APPEND and SUBTRACT on a topic's settings, leaving
/// the others as they are; validate_only checks without changing anything.
/// </summary>
internal sealed class IncrementalAlterConfigsHandler(TopicConfigAdmin topics, ControllerForwarding forwarding, BrokerOptions options) : ApiHandler<IncrementalAlterConfigsRequest>
{
    public override ApiKey Key => ApiKey.IncrementalAlterConfigs;

    protected override async ValueTask<IResponseMessage?> HandleAsync(RequestContext context, IncrementalAlterConfigsRequest request)
    {
        if (forwarding.ShouldForward(context))
        {
            return await forwarding.ForwardAsync(
                request, context.ApiVersion, IncrementalAlterConfigsResponse.Read, ct => AlterAllAsync(request, ct),
                r => r.Responses.Exists(x => x.ErrorCode == (short)ErrorCode.NotController), context.Closing).ConfigureAwait(false);
        }
        return await AlterAllAsync(request, context.Closing).ConfigureAwait(false);
    }

    private async Task<IncrementalAlterConfigsResponse> AlterAllAsync(IncrementalAlterConfigsRequest request, CancellationToken cancellationToken)
    {
        var response = new IncrementalAlterConfigsResponse();
        var duplicates = ConfigResources.Duplicates(request.Resources.Select(r => (r.ResourceType, r.ResourceName)));
        foreach (var resource in request.Resources)
        {
            var (error, message) = duplicates.Contains((resource.ResourceType, resource.ResourceName))
                ? ConfigResources.Duplicate(resource.ResourceType, resource.ResourceName)
                : await AlterAsync(resource, request.ValidateOnly, cancellationToken).ConfigureAwait(false);
            response.Responses.Add(new IncrementalAlterConfigsResponse.AlterConfigsResourceResponse
            {
                ErrorCode = (short)error,
                ErrorMessage = message,
                ResourceType = resource.ResourceType,
                ResourceName = resource.ResourceName,
            });
        }
        return response;
    }

    private async Task<(ErrorCode, string?)> AlterAsync(IncrementalAlterConfigsRequest.AlterConfigsResource resource, bool validateOnly, CancellationToken cancellationToken)
    {
        switch (resource.ResourceType)
        {
            case ConfigResources.Topic:
                var edits = resource.Configs.Select(c => new ConfigEdit(c.Name, (ConfigOperation)c.ConfigOperation, c.Value)).ToList();
                return await topics.AlterAsync(resource.ResourceName, (overrides, effective) => TopicConfigEdits.Apply(overrides, effective, edits), validateOnly, cancellationToken).ConfigureAwait(false);
            case ConfigResources.Broker:
                return ConfigResources.AlterBroker(options, resource.ResourceName, resource.Configs.Select(c => c.Name).ToList());
            default:
                return ConfigResources.Unsupported(resource.ResourceType);
        }
    }
}
