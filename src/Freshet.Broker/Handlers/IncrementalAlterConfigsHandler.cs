using Freshet.Broker.Configuration;
using Freshet.Broker.Requests;
using Freshet.Broker.Topics;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// IncrementalAlterConfigs: SET, DELETE, APPEND and SUBTRACT on a topic's settings, leaving
/// the others as they are; validate_only checks without changing anything.
/// </summary>
internal sealed class IncrementalAlterConfigsHandler(TopicConfigAdmin topics, BrokerOptions options) : ApiHandler<IncrementalAlterConfigsRequest>
{
    public override ApiKey Key => ApiKey.IncrementalAlterConfigs;

    protected override ValueTask<IResponseMessage?> HandleAsync(RequestContext context, IncrementalAlterConfigsRequest request)
    {
        var response = new IncrementalAlterConfigsResponse();
        var duplicates = ConfigResources.Duplicates(request.Resources.Select(r => (r.ResourceType, r.ResourceName)));
        foreach (var resource in request.Resources)
        {
            var (error, message) = duplicates.Contains((resource.ResourceType, resource.ResourceName))
                ? ConfigResources.Duplicate(resource.ResourceType, resource.ResourceName)
                : Alter(resource, request.ValidateOnly);
            response.Responses.Add(new IncrementalAlterConfigsResponse.AlterConfigsResourceResponse
            {
                ErrorCode = (short)error,
                ErrorMessage = message,
                ResourceType = resource.ResourceType,
                ResourceName = resource.ResourceName,
            });
        }
        return ValueTask.FromResult<IResponseMessage?>(response);
    }

    private (ErrorCode, string?) Alter(IncrementalAlterConfigsRequest.AlterConfigsResource resource, bool validateOnly)
    {
        switch (resource.ResourceType)
        {
            case ConfigResources.Topic:
                var edits = resource.Configs.Select(c => new ConfigEdit(c.Name, (ConfigOperation)c.ConfigOperation, c.Value)).ToList();
                return topics.Alter(resource.ResourceName, (overrides, effective) => TopicConfigEdits.Apply(overrides, effective, edits), validateOnly);
            case ConfigResources.Broker:
                return ConfigResources.AlterBroker(options, resource.ResourceName, resource.Configs.Select(c => c.Name).ToList());
            default:
                return ConfigResources.Unsupported(resource.ResourceType);
        }
    }
}
