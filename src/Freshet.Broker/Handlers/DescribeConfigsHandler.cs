using System.Globalization;
using Freshet.Broker.Configuration;
using Freshet.Broker.Requests;
using Freshet.Broker.Topics;
using Freshet.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>DescribeConfigs for topics (resource type 2) and this broker (resource type 4, named by node id).</summary>
internal sealed class DescribeConfigsHandler(TopicCatalog catalog, BrokerOptions options) : ApiHandler<DescribeConfigsRequest>
{
    private const sbyte TopicResource = 2;
    private const sbyte BrokerResource = 4;

    public override ApiKey Key => ApiKey.DescribeConfigs;

    protected override ValueTask<IResponseMessage?> HandleAsync(RequestContext context, DescribeConfigsRequest request)
    {
        var response = new DescribeConfigsResponse();
        foreach (var resource in request.Resources)
        {
            response.Results.Add(Describe(resource, request.IncludeSynonyms, request.IncludeDocumentation));
        }
        return ValueTask.FromResult<IResponseMessage?>(response);
    }

    private DescribeConfigsResponse.DescribeConfigsResult Describe(DescribeConfigsRequest.DescribeConfigsResource resource, bool includeSynonyms, bool includeDocumentation)
    {
        var result = new DescribeConfigsResponse.DescribeConfigsResult
        {
            ResourceType = resource.ResourceType,
            ResourceName = resource.ResourceName,
        };
        IReadOnlyList<DescribedConfig> entries;
        switch (resource.ResourceType)
        {
            case TopicResource when catalog.TryGet(resource.ResourceName, out var topic):
                entries = DescribedConfig.ForTopic(options, topic.ConfigOverrides);
                break;
            case TopicResource:
                return Fail(result, ErrorCode.UnknownTopicOrPartition, $"Topic '{resource.ResourceName}' does not exist.");
            case BrokerResource when resource.ResourceName.Length == 0 || resource.ResourceName == options.NodeId.ToString(CultureInfo.InvariantCulture):
                entries = DescribedConfig.ForBroker(options);
                break;
            case BrokerResource:
                return Fail(result, ErrorCode.InvalidRequest, $"This is broker {options.NodeId}, not '{resource.ResourceName}'.");
            default:
                return Fail(result, ErrorCode.InvalidRequest, $"Resource type {resource.ResourceType} is not supported.");
        }
        var keys = resource.ConfigurationKeys is { Count: > 0 } wanted ? new HashSet<string>(wanted, StringComparer.Ordinal) : null;
        foreach (var entry in entries)
        {
            if (keys is not null && !keys.Contains(entry.Name))
            {
                continue;
            }
            var described = new DescribeConfigsResponse.DescribeConfigsResourceResult
            {
                Name = entry.Name,
                Value = entry.IsSensitive ? null : entry.Value,
                ReadOnly = entry.ReadOnly,
                IsDefault = entry.IsDefault,
                ConfigSource = (sbyte)entry.Source,
                IsSensitive = entry.IsSensitive,
                ConfigType = (sbyte)entry.Type,
                Documentation = includeDocumentation ? entry.Documentation : null,
            };
            if (includeSynonyms)
            {
                described.Synonyms.Add(new DescribeConfigsResponse.DescribeConfigsSynonym { Name = entry.Name, Value = described.Value, Source = (sbyte)entry.Source });
            }
            result.Configs.Add(described);
        }
        return result;
    }

    private static DescribeConfigsResponse.DescribeConfigsResult Fail(DescribeConfigsResponse.DescribeConfigsResult result, ErrorCode error, string message)
    {
        result.ErrorCode = (short)error;
        result.ErrorMessage = message;
        return result;
    }
}
