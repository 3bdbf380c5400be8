using Freshet.Broker.Configuration;
using Freshet.Broker.Requests;
using Freshet.Broker.Topics;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// AlterConfigs, the older whole-replacement API: the settings named become the topic's
/// overrides and every other setting goes back to its default, as in Kafka.
/// </summary>
internal sealed class AlterConfigsHandler(TopicConfigAdmin topics, BrokerOptions options) : ApiHandler<AlterConfigsRequest>
{
    public override ApiKey Key => ApiKey.AlterConfigs;

    protected override ValueTask<IResponseMessage?> HandleAsync(RequestContext context, AlterConfigsRequest request)
    {
        var response = new AlterConfigsResponse();
        var duplicates = ConfigResources.Duplicates(request.Resources.Select(r => (r.ResourceType, r.ResourceName)));
        foreach (var resource in request.Resources)
        {
            var (error, message) = duplicates.Contains((resource.ResourceType, resource.ResourceName))
                ? ConfigResources.Duplicate(resource.ResourceType, resource.ResourceName)
                : Alter(resource, request.ValidateOnly);
            response.Responses.Add(new AlterConfigsResponse.AlterConfigsResourceResponse
            {
                ErrorCode = (short)error,
                ErrorMessage = message,
                ResourceType = resource.ResourceType,
                ResourceName = resource.ResourceName,
            });
        }
        return ValueTask.FromResult<IResponseMessage?>(response);
    }

    private (ErrorCode, string?) Alter(AlterConfigsRequest.AlterConfigsResource resource, bool validateOnly)
    {
        switch (resource.ResourceType)
        {
            case ConfigResources.Topic:
                var configs = resource.Configs.Select(c => (c.Name, c.Value)).ToList();
                return topics.Alter(resource.ResourceName, (_, _) => TopicConfigEdits.Replace(configs), validateOnly);
            case ConfigResources.Broker:
                return ConfigResources.AlterBroker(options, resource.ResourceName, resource.Configs.Select(c => c.Name).ToList());
            default:
                return ConfigResources.Unsupported(resource.ResourceType);
        }
    }
}
